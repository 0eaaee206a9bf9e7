import type { DbClient } from './pool';
import { toPublication, type PublicationRecord, type RunPublication } from './run-publications';

/** Reads of runs and their stored results (the writes live in ./runs.ts). */

export interface RunSummary {
  runId: number;
  skillNo: number;
  sourceName: string;
  sourceMapVersion: number | null;
  origin: string;
  status: string;
  jobId: string | null;
  recordCount: number;
  counts: Record<string, number>;
  error: string | null;
  cursorBefore: string | null;
  cursorAfter: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** Its undo (contract section 10): when, by whom (the key's role), what it answered; null if none. */
  undo: { at: Date; by: string | null; counts: Record<string, number> } | null;
  /** Null for runs that are not published (API and import runs). */
  publication: RunPublication | null;
}

interface RunRecord {
  run_id: number;
  skill_no: number;
  source_name: string;
  source_map_version: number | null;
  origin: string;
  status: string;
  job_id: string | null;
  record_count: number;
  counts: Record<string, number>;
  error: string | null;
  cursor_before: string | null;
  cursor_after: string | null;
  started_at: Date;
  finished_at: Date | null;
  undone_at: Date | null;
  undone_by: string | null;
  undo_counts: Record<string, number> | null;
  publication: PublicationRecord | null;
}

const RUN_COLUMNS = `r.run_id, r.skill_no, r.source_name, r.source_map_version, r.origin, r.status, r.job_id,
  r.record_count, r.counts, r.error, r.cursor_before, r.cursor_after, r.started_at, r.finished_at,
  r.undone_at, r.undone_by, r.undo_counts,
  (SELECT to_jsonb(p) FROM run_publications p WHERE p.run_id = r.run_id) AS publication`;

/** Newest first; `beforeRunId` pages back through older runs. */
export async function listRuns(db: DbClient, filter: { skillNo?: number; limit: number; beforeRunId?: number }): Promise<RunSummary[]> {
  const { rows } = await db.query<RunRecord>(
    `SELECT ${RUN_COLUMNS} FROM runs r
     WHERE ($1::int IS NULL OR r.skill_no = $1) AND ($2::bigint IS NULL OR r.run_id < $2)
     ORDER BY r.run_id DESC LIMIT $3`,
    [filter.skillNo ?? null, filter.beforeRunId ?? null, filter.limit],
  );
  return rows.map(toSummary);
}

export async function findRun(db: DbClient, runId: number): Promise<RunSummary | null> {
  const { rows } = await db.query<RunRecord>(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.run_id = $1`, [runId]);
  return rows[0] ? toSummary(rows[0]) : null;
}

export interface StoredResult {
  seq: number;
  resultCode: string;
  resultMessage: string | null;
  externalId: string | null;
  record: unknown;
}

/**
 * One page of a run's results in input order, after `afterSeq`, optionally only those with the
 * given codes. Callers page through big runs instead of holding 50,000 records at once.
 */
export async function readRunResults(
  db: DbClient,
  runId: number,
  page: { afterSeq?: number; limit: number; resultCodes?: readonly string[] },
): Promise<StoredResult[]> {
  const { rows } = await db.query<{
    seq: number;
    result_code: string;
    result_message: string | null;
    external_id: string | null;
    record: unknown;
  }>(
    `SELECT seq, result_code, result_message, external_id, record FROM run_results
     WHERE run_id = $1 AND seq > $2 AND ($3::text[] IS NULL OR result_code = ANY($3::text[]))
     ORDER BY seq LIMIT $4`,
    [runId, page.afterSeq ?? -1, page.resultCodes && page.resultCodes.length > 0 ? page.resultCodes : null, page.limit],
  );
  return rows.map((r) => ({
    seq: r.seq,
    resultCode: r.result_code,
    resultMessage: r.result_message,
    externalId: r.external_id,
    record: r.record,
  }));
}

/**
 * The top-level field names of a run's object records, ordered by the first record holding each
 * (within a record, in the order the source sent them), plus `Record` when some record is not an object:
 * the columns of a CSV export, known before its first row.
 */
export async function recordKeysOfRun(db: DbClient, runId: number, resultCodes?: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ key: string }>(
    `WITH r AS (
       SELECT seq, record FROM run_results
       WHERE run_id = $1 AND ($2::text[] IS NULL OR result_code = ANY($2::text[]))
     ), k AS (
       SELECT k.key, min(r.seq::bigint * 100000 + k.ord) AS first_seen
       FROM r CROSS JOIN LATERAL json_object_keys(r.record) WITH ORDINALITY AS k(key, ord)
       WHERE json_typeof(r.record) = 'object'
       GROUP BY k.key
       UNION ALL
       SELECT 'Record', min(seq)::bigint * 100000 FROM r WHERE json_typeof(r.record) IS DISTINCT FROM 'object' HAVING count(*) > 0
     )
     SELECT key FROM k ORDER BY first_seen, key`,
    [runId, resultCodes && resultCodes.length > 0 ? resultCodes : null],
  );
  return rows.map((r) => r.key);
}

function toSummary(r: RunRecord): RunSummary {
  return {
    runId: r.run_id,
    skillNo: r.skill_no,
    sourceName: r.source_name,
    sourceMapVersion: r.source_map_version,
    origin: r.origin,
    status: r.status,
    jobId: r.job_id,
    recordCount: r.record_count,
    counts: r.counts,
    error: r.error,
    cursorBefore: r.cursor_before,
    cursorAfter: r.cursor_after,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    undo: r.undone_at ? { at: r.undone_at, by: r.undone_by, counts: r.undo_counts ?? {} } : null,
    publication: r.publication ? toPublication(jsonPublication(r.publication)) : null,
  };
}

/** to_jsonb gives timestamps as strings. */
function jsonPublication(p: PublicationRecord): PublicationRecord {
  return {
    ...p,
    published_at: p.published_at ? new Date(p.published_at) : null,
    writeback_at: p.writeback_at ? new Date(p.writeback_at) : null,
  };
}
