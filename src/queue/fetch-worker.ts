import { DelayedError, UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { AppDeps } from '../app-deps';
import { CrmMisconfigured, CrmRateLimited } from '../connectors/crm-errors';
import { observeFetchDuration, observeResults } from '../observability/metrics';
import { redactText } from '../observability/redact';
import { RefillNotPossible } from '../services/errors';
import { publishOwedRuns, publishRun, type PublishTargets } from '../services/publish-results';
import { refillSkill, type RefillSkillOptions } from '../services/refill-skill';
import { newWorker } from './queue-backend';
import { QUEUE_NAMES, workerOptions, type QueueTuning } from './queue-settings';
import type { RefillJobData } from './refill-queue';
import { shownSafely } from './shown-safely';

/** What a finished fetch job shows on the job dashboard: counts, never records. */
export interface RefillJobResult {
  runId: number | null;
  fetched: number;
  counts: Record<string, number>;
}

export interface FetchWorkerOptions extends Pick<RefillSkillOptions, 'connectorFor' | 'beforeCommit'> {
  tuning: QueueTuning;
}

/**
 * The fetch worker: runs one refill per job, then publishes the run. Publishing never fails the
 * job (the records are stored; fetching again would read the next page): a run left unpublished
 * is published by the skill's next job, which starts with the runs owed.
 */
export function createFetchWorker(
  deps: Pick<AppDeps, 'pool' | 'config' | 'now' | 'logger'>,
  targets: PublishTargets,
  opts: FetchWorkerOptions,
): Worker<RefillJobData, RefillJobResult> {
  const log = deps.logger.child({ queue: QUEUE_NAMES.fetch });

  const processJob = async (job: Job<RefillJobData, RefillJobResult>, token?: string, signal?: AbortSignal): Promise<RefillJobResult> => {
    const { skillNo, count } = job.data;
    const started = performance.now();
    try {
      await publishOwedRuns(deps, targets, skillNo);
    } catch (err) {
      log.warn({ skillNo, err: errText(err) }, 'owed runs not published yet');
    }
    try {
      const outcome = await refillSkill(
        deps,
        { skillNo, count, ...(job.id ? { jobId: job.id } : {}) },
        { ...(signal ? { signal } : {}), connectorFor: opts.connectorFor, beforeCommit: opts.beforeCommit },
      );
      const seconds = (performance.now() - started) / 1000;
      observeFetchDuration(seconds, outcome.runId === null ? 'Empty' : 'Stored');
      if (outcome.runId !== null) {
        observeResults(outcome.counts);
        try {
          await publishRun(deps, targets, outcome.runId, outcome.results ?? undefined);
        } catch (err) {
          log.warn({ skillNo, runId: outcome.runId, err: errText(err) }, 'run stored but not published yet');
        }
      }
      log.info(
        {
          skillNo,
          jobId: job.id,
          runId: outcome.runId,
          asked: count,
          fetched: outcome.fetched,
          counts: outcome.counts,
          ms: Math.round(seconds * 1000),
        },
        outcome.runId === null ? 'refill found nothing new' : 'refill stored',
      );
      return { runId: outcome.runId, fetched: outcome.fetched, counts: outcome.counts };
    } catch (err) {
      const seconds = (performance.now() - started) / 1000;
      if (err instanceof CrmRateLimited && token) {
        // Slows this skill only: the job waits out Retry-After in `delayed` without spending an
        // attempt, and stays the skill's one fetch in flight meanwhile.
        observeFetchDuration(seconds, 'RateLimited');
        log.warn({ skillNo, jobId: job.id, waitMs: err.retryAfterMs }, 'CRM asks to slow down; refill postponed');
        await job.moveToDelayed(Date.now() + err.retryAfterMs, token);
        throw new DelayedError();
      }
      observeFetchDuration(seconds, 'Failed');
      if (err instanceof RefillNotPossible || err instanceof CrmMisconfigured) {
        log.warn({ skillNo, jobId: job.id, code: err.code, err: err.message }, 'refill not possible');
        throw new UnrecoverableError(redactText(`${err.code}: ${err.message}`));
      }
      log.warn({ skillNo, jobId: job.id, attempt: job.attemptsMade + 1, err: errText(err) }, 'refill failed; it will be retried');
      throw shownSafely(err);
    }
  };

  const worker = newWorker<RefillJobData, RefillJobResult>(
    QUEUE_NAMES.fetch,
    processJob,
    deps.config,
    workerOptions(opts.tuning, opts.tuning.fetchConcurrency),
  );
  // Once closing (a forced close cuts Redis under the lock renewer), errors are expected noise.
  worker.on('error', (err) => (worker.closing ? log.debug : log.error).call(log, { err: errText(err) }, 'fetch worker error'));
  return worker;
}

function errText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
