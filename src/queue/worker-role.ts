import type { Queue } from 'bullmq';
import type { AppDeps } from '../app-deps';
import { closeWithin } from './close-within';
import { createFetchWorker, type FetchWorkerOptions } from './fetch-worker';
import { publishTargets, writebackQueue } from './publish-targets';
import { newQueue, openQueueSide } from './queue-backend';
import { QUEUE_NAMES, tuning as tuningWith, type QueueTuning } from './queue-settings';
import { stopWorker, type RoleHandle } from './role-handle';
import { createWritebackWorker } from './writeback-worker';

export interface WorkerRoleOptions extends Partial<Omit<FetchWorkerOptions, 'tuning'>> {
  tuning?: Partial<QueueTuning>;
}

/** The `worker` role: the fetch worker and the write-back worker of this process. */
export async function startWorker(deps: AppDeps, opts: WorkerRoleOptions = {}): Promise<RoleHandle> {
  const t = tuningWith(opts.tuning);
  const side = openQueueSide(deps, { name: 'worker' });
  const writeback = writebackQueue(deps.config, t);
  // Only for the role's /metrics (job counts); the worker never adds to it.
  const fetchQueue = newQueue(QUEUE_NAMES.fetch, deps.config);
  const targets = publishTargets(side.resultsStream, writeback);
  const fetchWorker = createFetchWorker(deps, targets, {
    tuning: t,
    ...(opts.connectorFor ? { connectorFor: opts.connectorFor } : {}),
    ...(opts.beforeCommit ? { beforeCommit: opts.beforeCommit } : {}),
  });
  const writebackWorker = createWritebackWorker(deps, {
    tuning: t,
    ...(opts.connectorFor ? { connectorFor: opts.connectorFor } : {}),
  });
  await Promise.all([fetchWorker.waitUntilReady(), writebackWorker.waitUntilReady()]);
  deps.logger.info({ fetchConcurrency: t.fetchConcurrency, writebackConcurrency: t.writebackConcurrency }, 'worker started');

  let closing: Promise<void> | undefined;
  return {
    queues: [fetchQueue, writeback as Queue],
    close: () =>
      (closing ??= (async () => {
        // Workers first: they finish their jobs (or are cut off and their jobs stall back to the
        // queue), then the producer and the side state they were using.
        await Promise.all([stopWorker(fetchWorker, t.closeTimeoutMs), stopWorker(writebackWorker, t.closeTimeoutMs)]);
        await Promise.all([closeWithin(writeback, 1_500), closeWithin(fetchQueue, 1_500)]);
        await side.close();
        deps.logger.info('worker stopped');
      })()),
  };
}
