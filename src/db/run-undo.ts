import type { DbClient } from './pool';
import { ACTIVE_NUMBER_PLACES_SQL, ACTIVE_NUMBER_ZONES_SQL } from './prospects';
import { LOADED_COLUMNS, REWRITTEN_COLUMNS, UNDO_NUMBER_COLUMNS, runXidsSql } from './undo-capture';

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

/** One answer of an undo, with the record of the run it answers (run_results). */
export interface UndoAnswer {
  seq: number;
  resultCode: UndoCode;
  externalId: string | null;
  record: unknown;
}

/**
 * A page of an undo's answers (those with one of `codes`), in seq order after `afterSeq`, with the
 * records they answer: the primary keys of both tables, one probe each per answer.
 */
export async function readUndoAnswers(
  db: DbClient,
  runId: number,
  page: { afterSeq: number; limit: number; codes: readonly UndoCode[] },
): Promise<UndoAnswer[]> {
  const { rows } = await db.query<{ seq: number; result_code: UndoCode; external_id: string | null; record: unknown }>(
    `SELECT a.seq, a.result_code, r.external_id, r.record
     FROM run_undo_answers a JOIN run_results r ON r.run_id = a.run_id AND r.seq = a.seq
     WHERE a.run_id = $1 AND a.seq > $2 AND a.result_code = ANY($3::text[])
     ORDER BY a.seq LIMIT $4`,
    [runId, page.afterSeq, page.codes, page.limit],
  );
  return rows.map((r) => ({ seq: r.seq, resultCode: r.result_code, externalId: r.external_id, record: r.record }));
}

const DECISIONS = 'pg_temp.undo_slice';

/**
 * The slice's restored contacts as an array, computed once per statement: matched by `= ANY` it
 * makes the btree reach just the slice's rows (EXPLAIN ANALYZE of a middle slice of a
 * 500,000-record undo: joined to the slice instead, destinations were read whole, 892,800 rows,
 * ~320 ms a slice, and the run's 446,400 undo images ~50 ms, as the planner misjudged both).
 */
const RESTORED_IDS_SQL = `ARRAY(SELECT prospect_id FROM ${DECISIONS} WHERE action = 'Restored')`;

/**
 * Undoes the run's successful records with seq in [from, to): decides each one (its contact is
 * still as the run left it when its row version is one of the run's transactions), locking the
 * contacts it will change; removes the ones the run created, puts back the ones it updated (their
 * numbers too), keeps each record's answer (run_undo_answers) and answers the slice's counts.
 * Eight statements per slice whatever its size, and nothing per record in node.
 */
export async function undoSlice(
  db: DbClient,
  run: Pick<UndoRunRow, 'runId' | 'skillNo' | 'sourceName'>,
  from: number,
  to: number,
): Promise<Partial<Record<UndoCode, number>>> {
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
                     -- LIMIT: a probe of the btree per record; as a plain EXISTS it became a hashed
                     -- subplan over all the run's images, every slice (446,400 of them at 500,000).
                     WHEN EXISTS (SELECT 1 FROM run_undo_images i WHERE i.run_id = $1 AND i.prospect_id = l.prospect_id LIMIT 1)
                       THEN 'Restored'
                     ELSE 'ChangedSince' END
     FROM locked l WHERE u.seq = l.seq`,
    [run.runId, run.skillNo, run.sourceName],
  );
  // Statistics again, now that each record is decided: those taken above saw every action still
  // ChangedSince, so the statements below planned for one Restored record and joined the slice's
  // 10,000 by a nested loop over every contact (bench: one slice's UPDATE of prospects past 30 s,
  // undos of 50,000 records 37-128 s in some rounds, 1.5-2.5 s in others).
  await db.query(`ANALYZE ${DECISIONS}`);
  // Destinations follow by the trigger of migration 007, claims by their foreign key.
  await db.query(`DELETE FROM prospects p USING ${DECISIONS} u WHERE u.action = 'Removed' AND p.prospect_id = u.prospect_id`);
  // The numbers as they were: those the run wrote go, those it deleted come back (run_undo_numbers);
  // numbers it left alone stay as they are. A number finalized since the run finalized it through
  // an outcome, which also changed the contact: that contact is ChangedSince, not here.
  await db.query(
    `DELETE FROM destinations d
     WHERE d.prospect_id = ANY (${RESTORED_IDS_SQL}) AND d.xmin::text::bigint = ANY (${runXidsSql('$1')})`,
    [run.runId],
  );
  // A position still taken holds a number the run did not change: images moved from the json of
  // migration 052 list those too.
  await db.query(
    `INSERT INTO destinations (${UNDO_NUMBER_COLUMNS.join(', ')})
     SELECT ${UNDO_NUMBER_COLUMNS.map((c) => `n.${c}`).join(', ')}
     FROM ${DECISIONS} u JOIN run_undo_numbers n ON n.run_id = $1 AND n.prospect_id = u.prospect_id
     WHERE u.action = 'Restored'
     ON CONFLICT (prospect_id, position) DO NOTHING`,
    [run.runId],
  );
  // A contact the run sent unchanged (same) keeps its loaded columns: only what the update
  // rewrote goes back.
  await db.query(
    `UPDATE prospects p SET
       ${LOADED_COLUMNS.map((c) => `${c} = CASE WHEN i.same THEN p.${c} ELSE i.${c} END`).join(',\n       ')},
       ${REWRITTEN_COLUMNS.map((c) => `${c} = i.${c}`).join(', ')},
       number_zones = ${ACTIVE_NUMBER_ZONES_SQL('p.prospect_id')},
       number_places = ${ACTIVE_NUMBER_PLACES_SQL('p.prospect_id')}
     FROM ${DECISIONS} u JOIN run_undo_images i ON i.run_id = $1 AND i.prospect_id = u.prospect_id
     WHERE u.action = 'Restored' AND p.prospect_id = u.prospect_id AND i.prospect_id = ANY (${RESTORED_IDS_SQL})`,
    [run.runId],
  );
  // The slice's answers are kept (migration 054), not handed to node: the answer to the call is
  // read back from them once the undo has committed. Node gets the slice's counts.
  const { rows } = await db.query<{ action: UndoCode; n: number }>(
    `WITH kept AS (
       INSERT INTO run_undo_answers (run_id, seq, result_code) SELECT $1, seq, action FROM ${DECISIONS}
       RETURNING result_code
     )
     SELECT result_code AS action, count(*)::int AS n FROM kept GROUP BY result_code`,
    [run.runId],
  );
  return Object.fromEntries(rows.map((r) => [r.action, r.n])) as Partial<Record<UndoCode, number>>;
}

/** Marks the run Undone with who undid it and what the undo answered, and drops its undo data. */
export async function finishUndo(db: DbClient, runId: number, by: string | null, counts: Record<string, number>): Promise<Date> {
  await db.query('DELETE FROM run_undo_images WHERE run_id = $1', [runId]);
  await db.query('DELETE FROM run_undo_numbers WHERE run_id = $1', [runId]);
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
     numbers AS (DELETE FROM run_undo_numbers n USING old WHERE n.run_id = old.run_id),
     xacts AS (DELETE FROM run_xacts x USING old WHERE x.run_id = old.run_id)
     SELECT count(*)::int AS n FROM old`,
    [before, limit],
  );
  return rows[0]!.n;
}
