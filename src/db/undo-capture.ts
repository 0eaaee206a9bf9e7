/**
 * What a load keeps so that its run can be undone (migration 050), written by the load's upsert
 * statement itself. Apart from run-undo.ts (which reverses runs) so that prospects.ts can use it
 * without an import cycle.
 */

/** The 32-bit transaction id of the current transaction, in the form `xmin::text::bigint` reads. */
const CURRENT_XID_SQL = 'pg_current_xact_id()::text::bigint % 4294967296';

/**
 * CTEs that keep the undo data of one upsert of a load, for the upsert statement itself (written
 * before its INSERT, in its WITH): the rows about to be overwritten, as this statement's snapshot
 * still sees them (`old` reads them before the ON CONFLICT update does), with their numbers, and
 * this transaction's id. `$1` skill, `$2` source, `$4` run id; `staging` holds the slice's
 * ExternalIDs. One statement, so keeping them costs no round trip.
 */
export function undoCaptureCtes(staging: string): string {
  // One probe of the unique index per staged row (OFFSET 0 keeps the lateral subquery from being
  // flattened): as a join, the planner hashed the slice and read every contact of the table for
  // each chunk (50,000 contacts: ~65 ms a chunk of 5,000 against ~28 ms; ten times more per chunk
  // at 500,000).
  return `undo_old AS MATERIALIZED (
       SELECT o.* FROM ${staging} s
       CROSS JOIN LATERAL (SELECT p.* FROM prospects p
                           WHERE p.skill_no = $1 AND p.source_name = $2 AND p.external_id = s.external_id
                           OFFSET 0) o
     ),
     undo_images AS (
       INSERT INTO run_undo_images (run_id, prospect_id, first_name, last_name, time_zone, time_zone_source,
         expiration_date, expires_at, priority, score, fields, number_zones, source_map_version, last_run_id,
         updated_at, state, dial_by_hand, destinations)
       SELECT $4, o.prospect_id, o.first_name, o.last_name, o.time_zone, o.time_zone_source, o.expiration_date,
         o.expires_at, o.priority, o.score, o.fields, o.number_zones, o.source_map_version, o.last_run_id, o.updated_at,
         o.state, o.dial_by_hand,
         coalesce((SELECT json_agg(json_build_array(d.position, d.phone_number, d.type, d.time_zone, d.status, d.final_reason, d.state, d.consent))
                   FROM destinations d WHERE d.prospect_id = o.prospect_id), '[]'::json)
       FROM undo_old o
     ),
     undo_xact AS (
       INSERT INTO run_xacts (run_id, xid) VALUES ($4, ${CURRENT_XID_SQL}) ON CONFLICT DO NOTHING
     )`;
}
