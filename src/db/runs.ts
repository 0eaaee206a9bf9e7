import type { DbClient } from './pool';
import { jsonSafe } from '../domain/json-safe';

export type RunOrigin = 'Api' | 'Refill' | 'Import';

export interface NewRun {
  skillNo: number;
  sourceName: string;
  sourceMapVersion: number | null;
  origin: RunOrigin;
  jobId?: string | null;
  cursorBefore?: string | null;
  cursorAfter?: string | null;
}

export async function createRun(db: DbClient, run: NewRun): Promise<number> {
  const { rows } = await db.query<{ run_id: number }>(
    `INSERT INTO runs (skill_no, source_name, source_map_version, origin, job_id, cursor_before, cursor_after)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING run_id`,
    [
      run.skillNo,
      run.sourceName,
      run.sourceMapVersion,
      run.origin,
      run.jobId ?? null,
      run.cursorBefore ?? null,
      run.cursorAfter ?? null,
    ],
  );
  return rows[0]!.run_id;
}

/** One stored answer of one input record; `seq` is the record's 0-based position in the run. */
export interface RunResultRow {
  seq: number;
  resultCode: string;
  resultMessage: string | null;
  externalId: string | null;
  record: unknown;
}

/** Stores a slice of a run's results in one statement. */
export async function insertRunResults(db: DbClient, runId: number, results: readonly RunResultRow[]): Promise<void> {
  if (results.length === 0) return;
  const seqs: number[] = [];
  const codes: string[] = [];
  const messages: (string | null)[] = [];
  const externalIds: (string | null)[] = [];
  const records: string[] = [];
  for (const r of results) {
    seqs.push(r.seq);
    codes.push(r.resultCode);
    messages.push(jsonSafe(r.resultMessage));
    externalIds.push(jsonSafe(r.externalId));
    // Records are stored as the caller sent them, less what jsonb cannot hold.
    records.push(JSON.stringify(jsonSafe(r.record)) ?? 'null');
  }
  await db.query(
    `INSERT INTO run_results (run_id, seq, result_code, result_message, external_id, record)
     SELECT $1, u.seq, u.code, u.message, u.external_id, u.record::jsonb
     FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(seq, code, message, external_id, record)`,
    [runId, seqs, codes, messages, externalIds, records],
  );
}

export async function finishRun(
  db: DbClient,
  runId: number,
  outcome: { recordCount: number; counts: Record<string, number>; status?: 'Completed' | 'Failed'; error?: string | null },
): Promise<void> {
  await db.query(
    `UPDATE runs SET record_count = $2, counts = $3::jsonb, status = $4, error = $5, finished_at = now()
     WHERE run_id = $1`,
    [runId, outcome.recordCount, JSON.stringify(outcome.counts), outcome.status ?? 'Completed', outcome.error ?? null],
  );
}
