import type { AppDeps } from '../app-deps';
import type { DbClient } from '../db/pool';
import { findRun, listRuns, readRunResults, type RunSummary, type StoredResult } from '../db/run-reads';
import { FAILED_CODES, isSuccess, RESULT_CODES, SUCCESSFUL_CODES } from '../domain/result-code';
import { CallError } from './errors';
import type { CreateProspectsResults } from './create-prospects';
import { runResults } from './run-results';

/** A run as the API, CLI and dashboard show it. */
export interface RunView {
  RunId: number;
  SkillNo: number;
  SourceName: string;
  SourceMapVersion: number | null;
  Origin: string;
  Status: string;
  JobId: string | null;
  RecordCount: number;
  /** ResultCode -> number of records. */
  Counts: Record<string, number>;
  Error: string | null;
  CursorBefore: string | null;
  CursorAfter: string | null;
  StartedAt: string;
  FinishedAt: string | null;
  /** Set once the run is undone: when, by which key's role, and the undo's counts. */
  Undo: { At: string; By: string | null; Counts: Record<string, number> } | null;
  /** Refill runs only: when the results went to the stream, and how the CRM write-back went. */
  Publication: {
    PublishedAt: string | null;
    WriteBack: { Status: string; Attempts: number; HttpStatus: number | null; Error: string | null; At: string | null } | null;
  } | null;
}

export const DEFAULT_RUN_LIST = 50;
export const MAX_RUN_LIST = 500;

export async function listRunViews(
  deps: Pick<AppDeps, 'pool'>,
  filter: { SkillNo?: number; Limit?: number; Before?: number } = {},
): Promise<RunView[]> {
  const runs = await listRuns(deps.pool, {
    limit: Math.min(filter.Limit ?? DEFAULT_RUN_LIST, MAX_RUN_LIST),
    ...(filter.SkillNo !== undefined ? { skillNo: filter.SkillNo } : {}),
    ...(filter.Before !== undefined ? { beforeRunId: filter.Before } : {}),
  });
  return runs.map(toView);
}

export async function getRunView(deps: Pick<AppDeps, 'pool'>, runId: number): Promise<RunView> {
  const run = await findRun(deps.pool, runId);
  if (!run) throw unknownRun(runId);
  return toView(run);
}

/**
 * Reads the ResultCode filter of a results request: codes separated by commas; `Failed` and
 * `Successful` stand for every failure or success code. Refuses a code the contract does not know.
 */
export function parseResultCodeFilter(filter: string | undefined): string[] | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const codes = new Set<string>();
  for (const raw of filter.split(',')) {
    const code = raw.trim();
    if (code === 'Failed') FAILED_CODES.forEach((c) => codes.add(c));
    else if (code === 'Successful') SUCCESSFUL_CODES.forEach((c) => codes.add(c));
    else if ((RESULT_CODES as readonly string[]).includes(code)) codes.add(code);
    else throw new CallError('InvalidData', `ResultCode "${code.slice(0, 40)}" is not a result code (or Failed / Successful)`);
  }
  return [...codes];
}

/** A run's results in the CREATEPROSPECTS answer shape, optionally only some codes. */
export async function getRunResults(
  deps: Pick<AppDeps, 'pool'>,
  runId: number,
  resultCodes?: readonly string[],
): Promise<{ RunId: number; Results: CreateProspectsResults }> {
  const run = await findRun(deps.pool, runId);
  if (!run) throw unknownRun(runId);
  return { RunId: runId, Results: await runResults(deps.pool, runId, resultCodes) };
}

/** A run's first `limit` failed records and how many of its records failed (the dashboard's drawer). */
export async function readFailedRecords(
  deps: { pool: DbClient },
  runId: number,
  limit: number,
): Promise<{ total: number; records: StoredResult[] }> {
  const run = await findRun(deps.pool, runId);
  if (!run) throw unknownRun(runId);
  const total = Object.entries(run.counts).reduce((n, [code, k]) => (isSuccess(code) ? n : n + k), 0);
  return { total, records: await readRunResults(deps.pool, runId, { limit, resultCodes: FAILED_CODES }) };
}

export function unknownRun(runId: number): CallError {
  return new CallError('UnknownRun', `no run ${runId}`);
}

function toView(r: RunSummary): RunView {
  const p = r.publication;
  return {
    RunId: r.runId,
    SkillNo: r.skillNo,
    SourceName: r.sourceName,
    SourceMapVersion: r.sourceMapVersion,
    Origin: r.origin,
    Status: r.status,
    JobId: r.jobId,
    RecordCount: r.recordCount,
    Counts: r.counts,
    Error: r.error,
    CursorBefore: r.cursorBefore,
    CursorAfter: r.cursorAfter,
    StartedAt: r.startedAt.toISOString(),
    FinishedAt: r.finishedAt?.toISOString() ?? null,
    Undo: r.undo ? { At: r.undo.at.toISOString(), By: r.undo.by, Counts: r.undo.counts } : null,
    Publication: p
      ? {
          PublishedAt: p.publishedAt?.toISOString() ?? null,
          WriteBack: p.writebackStatus
            ? {
                Status: p.writebackStatus,
                Attempts: p.writebackAttempts,
                HttpStatus: p.writebackHttpStatus,
                Error: p.writebackError,
                At: p.writebackAt?.toISOString() ?? null,
              }
            : null,
        }
      : null,
  };
}
