/**
 * The columns of prospects that a load writes from what the source sent (its numbers' zones and
 * places are derived from the numbers): the staging table's, and those an undo puts back.
 */
export const SOURCE_COLUMNS = [
  'first_name',
  'last_name',
  'time_zone',
  'time_zone_source',
  'expiration_date',
  'expires_at',
  'priority',
  'score',
  'fields',
  'state',
  'dial_by_hand',
];
