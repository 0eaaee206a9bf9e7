import type { DbClient } from './pool';

/** The channel a results-stream append notifies, with the new entry's id as payload. */
export const RESULTS_CHANNEL = 'prospect_feeder_results';

export interface ResultsStreamRow {
  id: number;
  runId: number;
  skillNo: number;
  sourceName: string;
  counts: unknown;
  results: unknown;
}

/**
 * Appends one published run and trims the table to about `keep` entries, in one statement
 * (the trim is a range delete on the primary key). The NOTIFY is sent at commit.
 */
export async function appendResultsEntry(db: DbClient, entry: Omit<ResultsStreamRow, 'id'>, keep: number): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `WITH added AS (
       INSERT INTO results_stream (run_id, skill_no, source_name, counts, results)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb) RETURNING id
     ), trimmed AS (
       DELETE FROM results_stream WHERE id <= (SELECT id FROM added) - $6
     )
     SELECT id, pg_notify('${RESULTS_CHANNEL}', id::text) FROM added`,
    [entry.runId, entry.skillNo, entry.sourceName, JSON.stringify(entry.counts), JSON.stringify(entry.results), keep],
  );
  return rows[0]!.id;
}

/** Entries after `afterId` (0: from the oldest kept), oldest first. */
export async function readResultsEntries(db: DbClient, afterId: number, limit: number): Promise<ResultsStreamRow[]> {
  const { rows } = await db.query<{ id: number; run_id: number; skill_no: number; source_name: string; counts: unknown; results: unknown }>(
    `SELECT id, run_id, skill_no, source_name, counts, results FROM results_stream
     WHERE id > $1 ORDER BY id LIMIT $2`,
    [afterId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    runId: r.run_id,
    skillNo: r.skill_no,
    sourceName: r.source_name,
    counts: r.counts,
    results: r.results,
  }));
}
