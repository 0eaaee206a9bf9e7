import type { Job, Worker } from 'bullmq';
import type { AppDeps } from '../app-deps';
import type { CrmConnector } from '../connectors/crm-connector';
import type { Connector } from '../domain/skill';
import { shownSafely } from './shown-safely';
import { writeBackRun, type WriteBackOutcome } from '../services/write-back-run';
import type { WritebackJobData } from './publish-targets';
import { newWorker } from './queue-backend';
import { QUEUE_NAMES, workerOptions, type QueueTuning } from './queue-settings';

/** Sends runs' results back to their CRM, retried with backoff until delivered or out of attempts. */
export function createWritebackWorker(
  deps: Pick<AppDeps, 'pool' | 'config' | 'now' | 'logger'>,
  opts: { tuning: QueueTuning; connectorFor?: (settings: Connector) => CrmConnector },
): Worker<WritebackJobData, WriteBackOutcome> {
  const log = deps.logger.child({ queue: QUEUE_NAMES.writeback });
  const worker = newWorker<WritebackJobData, WriteBackOutcome>(
    QUEUE_NAMES.writeback,
    async (job: Job<WritebackJobData, WriteBackOutcome>, _token?: string, signal?: AbortSignal) => {
      const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      try {
        const outcome = await writeBackRun(deps, job.data.runId, {
          finalAttempt,
          ...(signal ? { signal } : {}),
          ...(opts.connectorFor ? { connectorFor: opts.connectorFor } : {}),
        });
        log.info({ runId: job.data.runId, skillNo: job.data.skillNo, outcome }, 'write-back done');
        return outcome;
      } catch (err) {
        log.warn(
          {
            runId: job.data.runId,
            skillNo: job.data.skillNo,
            attempt: job.attemptsMade + 1,
            finalAttempt,
            err: err instanceof Error ? err.message : String(err),
          },
          finalAttempt ? 'write-back failed for good' : 'write-back failed; it will be retried',
        );
        throw shownSafely(err);
      }
    },
    deps.config,
    workerOptions(opts.tuning, opts.tuning.writebackConcurrency),
  );
  worker.on('error', (err) => (worker.closing ? log.debug : log.error).call(log, { err: err.message }, 'write-back worker error'));
  return worker;
}
