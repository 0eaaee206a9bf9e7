/** SQLSTATE class 23, integrity constraint violation: a row names a row that is not there. */
const FOREIGN_KEY_VIOLATION = '23503';

/**
 * The one place a Postgres error code is read. A write that names a skill raises this when the
 * skill is gone, deleted before or during the write: by a foreign key check (runs) or by
 * `lock_prospect_skill` (migration 009), which raises it in place of the per-row check on
 * prospects. Use cases answer it as their own UnknownSkill.
 */
export function isForeignKeyViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === FOREIGN_KEY_VIOLATION;
}
