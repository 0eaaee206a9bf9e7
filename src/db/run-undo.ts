import type { DbClient } from './pool';
import { ACTIVE_NUMBER_PLACES_SQL, ACTIVE_NUMBER_ZONES_SQL } from './prospects';

/**
 * Undo data of runs (migration 050) and the statements that reverse a run. Every statement here
 * is set-based over a slice of the run's results: undoing 1,000,000 records holds one slice in
 * node at a time, never the run's ids.
 */

export interface UndoRunRow {
  runId: number;
  skillNo: number;
  sourceName: string;
  origin: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  undonePurgedAt: Date | null;
}

/** The run, locked against a concurrent undo until the transaction ends; null when unknown. */
export async function lockRunForUndo(db: DbClient, runId: number): Promise<UndoRunRow | null> {
  const { rows } = await db.query<{
    run_id: number;
    skill_no: number;
    source_name: string;
    origin: string;
    status: string;
    started_at: Date;
    finished_at: Date | null;
    undo_purged_at: Date | null;
  }>(
    `SELECT run_id, skill_no, source_name, origin, status, started_at, finished_at, undo_purged_at
     FROM runs WHERE run_id = $1 FOR UPDATE`,
    [runId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    runId: r.run_id,
    skillNo: r.skill_no,
    sourceName: r.source_name,
    origin: r.origin,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    undonePurgedAt: r.undo_purged_at,
  };
}

/** The highest seq of the run's results (-1 when none): undo walks seq ranges up to it. */
export async function lastResultSeq(db: DbClient, runId: number): Promise<number> {
  const { rows } = await db.query<{ last: number | null }>('SELECT max(seq) AS last FROM run_results WHERE run_id = $1', [runId]);
  return rows[0]?.last ?? -1;
}

export type UndoCode = 'Removed' | 'Restored' | 'ChangedSince';

export interface UndoneRecord {
  seq: number;
  resultCode: UndoCode;
  externalId: string;
  record: unknown;
}

const DECISIONS = 'pg_temp.undo_slice';

/**
 * Undoes the run's successful records with seq in [from, to): decides each one (its contact is
 * still as the run left it when its row version is one of the run's transactions), locking the
 * contacts it will change; removes the ones the run created, puts back the ones it updated (their
 * numbers too: a number finalized since stays finalized), and answers each record in seq order.
 * Five statements per slice whatever its size.
 */
export async function undoSlice(
  db: DbClient,
  run: Pick<UndoRunRow, 'runId' | 'skillNo' | 'sourceName'>,
  from: number,
  to: number,
): Promise<UndoneRecord[]> {
  // The slice's records first, then statistics on them: run_results and prospects of a load just
  // stored have none yet, and a plan made without them (one record expected) joined the slice to
  // itself and to the run's undo images by nested loops, ~145 s for one slice of 10,000.
  await db.query(
    `CREATE TEMP TABLE IF NOT EXISTS ${DECISIONS} (seq integer, result_code text, external_id text, prospect_id bigint,
       action text NOT NULL DEFAULT 'ChangedSince');
     TRUNCATE ${DECISIONS};
     INSERT INTO ${DECISIONS} (seq, result_code, external_id)
     SELECT seq, result_code, external_id FROM run_results
     WHERE run_id = ${Number(run.runId)} AND seq >= ${Number(from)} AND seq < ${Number(to)} AND result_code IN ('Created', 'Updated');
     ANALYZE ${DECISIONS}`,
  );
  // Locked (FOR UPDATE waits for a claim or an outcome in flight, then reads its new version). A
  // record whose contact is gone stays ChangedSince (the column's default).
  await db.query(
    `WITH locked AS (
       -- A lateral subquery that locks is never flattened into a join: one probe of the unique
       -- index per record, where a join planned without statistics hashed the whole source.
       SELECT d.seq, l.prospect_id, l.xid FROM ${DECISIONS} d
       CROSS JOIN LATERAL (SELECT p.prospect_id, p.xmin::text::bigint AS xid FROM prospects p
                           WHERE p.skill_no = $2 AND p.source_name = $3 AND p.external_id = d.external_id
                           FOR UPDATE) l
     )
     UPDATE ${DECISIONS} u SET prospect_id = l.prospect_id,
       action = CASE WHEN NOT EXISTS (SELECT 1 FROM run_xacts x WHERE x.run_id = $1 AND x.xid = l.xid) THEN 'ChangedSince'
                     WHEN u.result_code = 'Created' THEN 'Removed'
                     WHEN EXISTS (SELECT 1 FROM run_undo_images i WHERE i.run_id = $1 AND i.prospect_id = l.prospect_id)
                       THEN 'Restored'
                     ELSE 'ChangedSince' END
     FROM locked l WHERE u.seq = l.seq`,
    [run.runId, run.skillNo, run.sourceName],
  );
  // Destinations follow by the trigger of migration 007, claims by their foreign key.
  await db.query(`DELETE FROM prospects p USING ${DECISIONS} u WHERE u.action = 'Removed' AND p.prospect_id = u.prospect_id`);
  // The numbers as they were; one finalized now stays finalized (with its reason).
  await db.query(
    `WITH gone AS (
       DELETE FROM destinations d USING ${DECISIONS} u
       WHERE u.action = 'Restored' AND d.prospect_id = u.prospect_id
       RETURNING d.prospect_id, d.phone_number, d.status, d.final_reason
     ),
     -- Only finalized numbers matter, and they are few: joined against all of gone, the plan was a
     -- nested loop of every restored number by every deleted one (~70 s for 45,000 contacts).
     held AS MATERIALIZED (SELECT * FROM gone WHERE status <> 'Active')
     INSERT INTO destinations (prospect_id, position, phone_number, type, time_zone, status, final_reason, state, consent)
     SELECT i.prospect_id, (e->>0)::smallint, e->>1, e->>2, e->>3,
            CASE WHEN g.status IS NOT NULL AND g.status <> 'Active' THEN g.status ELSE e->>4 END,
            CASE WHEN g.status IS NOT NULL AND g.status <> 'Active' THEN g.final_reason ELSE e->>5 END,
            e->>6, coalesce((e->>7)::boolean, false)
     FROM ${DECISIONS} u
     JOIN run_undo_images i ON i.run_id = $1 AND i.prospect_id = u.prospect_id
     CROSS JOIN LATERAL json_array_elements(i.destinations) e
     LEFT JOIN held g ON g.prospect_id = i.prospect_id AND g.phone_number = e->>1
     WHERE u.action = 'Restored'`,
    [run.runId],
  );
  await db.query(
    `UPDATE prospects p SET
       first_name = i.first_name, last_name = i.last_name, time_zone = i.time_zone,
       time_zone_source = i.time_zone_source, expiration_date = i.expiration_date, expires_at = i.expires_at,
       priority = i.priority, score = i.score, fields = i.fields, source_map_version = i.source_map_version,
       last_run_id = i.last_run_id, updated_at = i.updated_at,
       state = i.state, dial_by_hand = i.dial_by_hand,
       number_zones = ${ACTIVE_NUMBER_ZONES_SQL('p.prospect_id')},
       number_places = ${ACTIVE_NUMBER_PLACES_SQL('p.prospect_id')}
     FROM ${DECISIONS} u JOIN run_undo_images i ON i.run_id = $1 AND i.prospect_id = u.prospect_id
     WHERE u.action = 'Restored' AND p.prospect_id = u.prospect_id`,
    [run.runId],
  );
  const { rows } = await db.query<{ seq: number; action: UndoCode; external_id: string; record: unknown }>(
    `SELECT u.seq, u.action, r.external_id, r.record
     FROM ${DECISIONS} u JOIN run_results r ON r.run_id = $1 AND r.seq = u.seq
     ORDER BY u.seq`,
    [run.runId],
  );
  return rows.map((r) => ({ seq: r.seq, resultCode: r.action, externalId: r.external_id, record: r.record }));
}

/** Marks the run Undone with who undid it and what the undo answered, and drops its undo data. */
export async function finishUndo(db: DbClient, runId: number, by: string | null, counts: Record<string, number>): Promise<Date> {
  await db.query('DELETE FROM run_undo_images WHERE run_id = $1', [runId]);
  await db.query('DELETE FROM run_xacts WHERE run_id = $1', [runId]);
  const { rows } = await db.query<{ undone_at: Date }>(
    `UPDATE runs SET status = 'Undone', undone_at = now(), undone_by = $2, undo_counts = $3::jsonb
     WHERE run_id = $1 RETURNING undone_at`,
    [runId, by, JSON.stringify(counts)],
  );
  return rows[0]!.undone_at;
}

/**
 * Deletes the undo data of runs started before `before` (retention), set-based, at most `limit`
 * runs per call, and marks them purged: an undo of one of them then answers 410. Answers how many
 * runs it purged (a caller repeats while it is `limit`).
 */
export async function purgeUndoData(db: DbClient, before: Date, limit: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH old AS (
       UPDATE runs SET undo_purged_at = now()
       WHERE run_id IN (SELECT run_id FROM runs
                        WHERE undo_purged_at IS NULL AND undone_at IS NULL AND started_at < $1
                        ORDER BY started_at LIMIT $2)
       RETURNING run_id
     ),
     images AS (DELETE FROM run_undo_images i USING old WHERE i.run_id = old.run_id),
     xacts AS (DELETE FROM run_xacts x USING old WHERE x.run_id = old.run_id)
     SELECT count(*)::int AS n FROM old`,
    [before, limit],
  );
  return rows[0]!.n;
}
