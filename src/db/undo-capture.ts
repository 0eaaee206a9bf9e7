/**
 * What a load keeps so that its run can be undone (migrations 050, 053), written by the load's own
 * statements: the upsert keeps the contacts' pre-images, replaceDestinations the numbers it
 * deletes. Apart from run-undo.ts (which reverses runs) so that prospects.ts can use it without an
 * import cycle.
 */
import { SOURCE_COLUMNS } from './prospect-columns';

/** The 32-bit transaction id of the current transaction, in the form `xmin::text::bigint` reads. */
const CURRENT_XID_SQL = 'pg_current_xact_id()::text::bigint % 4294967296';

/**
 * The ids of the transactions that stored run `runParam` so far (an array, computed once per
 * statement): a row whose xmin is one of them was written by the run itself, and what it held
 * before the run was kept when the run first touched it (an import touches a contact again in a
 * later batch: that batch keeps nothing).
 */
export const runXidsSql = (runParam: string) => `ARRAY(SELECT x.xid FROM run_xacts x WHERE x.run_id = ${runParam})`;

/** Columns of a pre-image the undo puts back unless the run sent exactly what they held. */
export const LOADED_COLUMNS = SOURCE_COLUMNS;
/** Columns every update of a load rewrites, kept for every contact the run updated. */
export const REWRITTEN_COLUMNS = ['source_map_version', 'last_run_id', 'updated_at'];

/**
 * CTEs that keep the undo data of one upsert of a load, for the upsert statement itself (written
 * before its INSERT, in its WITH): the rows about to be overwritten, as this statement's snapshot
 * still sees them (`old` reads them before the ON CONFLICT update does), and this transaction's
 * id. `$1` skill, `$2` source, `$4` run id; `staging` holds the slice. One statement, so keeping
 * them costs no round trip.
 *
 * A contact whose loaded columns the run sends unchanged (a CRM page read again) keeps only what
 * every update rewrites (`same`): its whole pre-image was ~600 bytes of heap and WAL for nothing,
 * most of what keeping undo data cost such a load. Number_zones and number_places are not kept:
 * the undo recomputes them from the numbers.
 */
export function undoCaptureCtes(staging: string): string {
  const same = LOADED_COLUMNS.map((c) => `p.${c} IS NOT DISTINCT FROM s.${c}`).join(' AND ');
  const loaded = LOADED_COLUMNS.map((c) => `CASE WHEN o.same THEN NULL ELSE o.${c} END`).join(', ');
  // One probe of the unique index per staged row (OFFSET 0 keeps the lateral subquery from being
  // flattened): as a join, the planner hashed the slice and read every contact of the table for
  // each chunk (50,000 contacts: ~65 ms a chunk of 5,000 against ~28 ms; ten times more per chunk
  // at 500,000).
  return `undo_old AS MATERIALIZED (
       SELECT o.* FROM ${staging} s
       CROSS JOIN LATERAL (SELECT p.prospect_id, ${REWRITTEN_COLUMNS.map((c) => `p.${c}`).join(', ')}, p.xmin::text::bigint AS xid,
                                  ${LOADED_COLUMNS.map((c) => `p.${c}`).join(', ')}, ${same} AS same
                           FROM prospects p
                           WHERE p.skill_no = $1 AND p.source_name = $2 AND p.external_id = s.external_id
                           OFFSET 0) o
     ),
     undo_images AS (
       INSERT INTO run_undo_images (run_id, prospect_id, same, ${REWRITTEN_COLUMNS.join(', ')}, ${LOADED_COLUMNS.join(', ')})
       SELECT $4, o.prospect_id, o.same, ${REWRITTEN_COLUMNS.map((c) => `o.${c}`).join(', ')}, ${loaded}
       FROM undo_old o
       WHERE o.xid <> ALL (${runXidsSql('$4')})
     ),
     undo_xact AS (
       INSERT INTO run_xacts (run_id, xid) VALUES ($4, ${CURRENT_XID_SQL}) ON CONFLICT DO NOTHING
     )`;
}

/** The columns of run_undo_numbers (migration 053), as replaceDestinations' delete returns them. */
export const UNDO_NUMBER_COLUMNS = [
  'prospect_id',
  'position',
  'phone_number',
  'type',
  'time_zone',
  'status',
  'final_reason',
  'state',
  'consent',
];

/**
 * A CTE that keeps, for run `runParam`, the numbers that CTE `gone` (a delete of destinations
 * returning UNDO_NUMBER_COLUMNS and `xid`, its xmin) deleted, unless the run wrote them itself.
 */
export function undoNumbersCte(gone: string, runParam: string): string {
  return `undo_numbers AS (
       INSERT INTO run_undo_numbers (run_id, ${UNDO_NUMBER_COLUMNS.join(', ')})
       SELECT ${runParam}, ${UNDO_NUMBER_COLUMNS.map((c) => `g.${c}`).join(', ')} FROM ${gone} g
       WHERE g.xid <> ALL (${runXidsSql(runParam)})
     )`;
}
