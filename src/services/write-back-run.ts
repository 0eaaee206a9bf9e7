import type { AppDeps } from '../app-deps';
import { createConnector } from '../connectors/create-connector';
import type { CrmConnector } from '../connectors/crm-connector';
import { CrmRateLimited, CrmUnavailable } from '../connectors/crm-errors';
import { readRefillTarget } from '../db/refill-state';
import { recordWritebackAttempt } from '../db/run-publications';
import { findRun } from '../db/run-reads';
import type { Connector } from '../domain/skill';
import { runResults } from './run-results';

export type WriteBackOutcome = 'Delivered' | 'AlreadyDelivered' | 'NotOwed';

/**
 * POSTs a run's results to its skill's ResultsUrl (read at send time, so a corrected URL is used
 * by the retries) and records each attempt on the run. Throws on a failed attempt so the queue
 * retries it; `finalAttempt` marks the run Failed instead of Pending.
 */
export async function writeBackRun(
  deps: Pick<AppDeps, 'pool' | 'now'>,
  runId: number,
  opts: { finalAttempt: boolean; signal?: AbortSignal; connectorFor?: (settings: Connector) => CrmConnector },
): Promise<WriteBackOutcome> {
  const run = await findRun(deps.pool, runId);
  if (!run?.publication || run.publication.writebackStatus === null) return 'NotOwed';
  if (run.publication.writebackStatus === 'Delivered') return 'AlreadyDelivered';

  const target = await readRefillTarget(deps.pool, run.skillNo);
  const settings = target?.body.Refill?.Connector;
  const connector = settings ? (opts.connectorFor ?? createConnector)(settings) : null;
  if (!settings || settings.Type !== 'http' || !settings.ResultsUrl || !connector?.writeBack) {
    await recordWritebackAttempt(deps.pool, runId, {
      status: 'Failed',
      httpStatus: null,
      error: 'the skill no longer has a ResultsUrl',
      at: deps.now(),
    });
    return 'NotOwed';
  }

  const results = await runResults(deps.pool, runId);
  let answer: { status: number };
  try {
    answer = await connector.writeBack(
      { RunId: run.runId, SkillNo: run.skillNo, SourceName: run.sourceName, Results: results },
      opts.signal,
    );
  } catch (err) {
    await recordWritebackAttempt(deps.pool, runId, {
      status: opts.finalAttempt ? 'Failed' : 'Pending',
      httpStatus: err instanceof CrmUnavailable || err instanceof CrmRateLimited ? (err.status ?? null) : null,
      error: err instanceof Error ? err.message : String(err),
      at: deps.now(),
    });
    throw err;
  }
  await recordWritebackAttempt(deps.pool, runId, { status: 'Delivered', httpStatus: answer.status, error: null, at: deps.now() });
  return 'Delivered';
}
