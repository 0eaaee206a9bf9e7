import type { Queue } from 'bullmq';
import type { AppDeps } from '../app-deps';
import { brainTick, type BrainTickContext } from '../services/brain-tick';
import { sweepOwed } from '../services/sweep-owed';
import { closeWithin } from './close-within';
import { publishTargets, writebackQueue } from './publish-targets';
import { newQueue, newWorker, openQueueSide } from './queue-backend';
import { QUEUE_NAMES, tuning as tuningWith, workerOptions, type QueueTuning } from './queue-settings';
import { RefillQueue } from './refill-queue';
import { stopWorker, type RoleHandle } from './role-handle';

export const BRAIN_SCHEDULER_ID = 'brain-tick';
export const SWEEP_SCHEDULER_ID = 'owed-sweep';
/** Runs a sweep looks at; a backlog larger than this clears over the following sweeps. */
const SWEEP_LIMIT = 500;

/**
 * The `brain` role. Ticks come from one BullMQ job scheduler shared by every brain process, so
 * running two brains (for availability) does not double the ticks: each tick job is processed by
 * one of them. Fetches are deduplicated per skill anyway.
 */
export async function startBrain(deps: AppDeps, opts: { tuning?: Partial<QueueTuning> } = {}): Promise<RoleHandle> {
  const t = tuningWith(opts.tuning);
  const log = deps.logger.child({ role: 'brain' });
  const side = openQueueSide(deps, { name: 'brain' });
  const refill = new RefillQueue(deps.config, { tuning: t, failFast: false });
  const ticks = newQueue(QUEUE_NAMES.brain, deps.config);
  await ticks.upsertJobScheduler(
    BRAIN_SCHEDULER_ID,
    { every: t.brainEveryMs },
    { name: 'tick', opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
  );

  // The sweep shares the tick's queue and worker: one sweep at a time, whatever the brains.
  await ticks.upsertJobScheduler(
    SWEEP_SCHEDULER_ID,
    { every: t.sweepEveryMs },
    { name: 'sweep', opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
  );
  const writeback = writebackQueue(deps.config, t);
  const targets = publishTargets(side.resultsStream, writeback);

  const ctx: BrainTickContext = { deps, refill, checkTimes: side.checkTimes, tickEveryMs: t.brainEveryMs };
  let slowWarned = 0;
  const worker = newWorker(
    QUEUE_NAMES.brain,
    async (job) => {
      if (job.name === 'sweep') {
        const swept = await sweepOwed(deps, targets, {
          graceMs: t.sweepGraceMs,
          limit: SWEEP_LIMIT,
          undoRetentionDays: deps.config.undoRetentionDays,
        });
        if (swept.published + swept.writeBacksQueued + swept.undoPurged > 0)
          log.info(swept, 'owed runs published or their write-backs queued again');
        return swept;
      }
      const report = await brainTick(ctx);
      if (report.fetches > 0) log.info(report, 'brain queued refills');
      else log.debug(report, 'brain tick');
      if (report.ms > t.brainEveryMs / 2 && Date.now() - slowWarned > 60_000) {
        slowWarned = Date.now();
        log.warn(report, 'brain tick took more than half its interval');
      }
      return { checked: report.checked, fetches: report.fetches };
    },
    // A tick is short: a dead brain's tick is handed to another after a few seconds, not 30.
    deps.config,
    { ...workerOptions(t, 1), lockDuration: Math.min(t.lockDurationMs, 10_000) },
  );
  worker.on('error', (err) => (worker.closing ? log.debug : log.error).call(log, { err: err.message }, 'brain worker error'));
  worker.on('failed', (_job, err) => log.warn({ err: err.message }, 'brain tick failed'));
  await worker.waitUntilReady();
  log.info({ everyMs: t.brainEveryMs }, 'brain started');

  let closing: Promise<void> | undefined;
  return {
    queues: [ticks as Queue, refill.queue as Queue, writeback as Queue],
    close: () =>
      (closing ??= (async () => {
        await stopWorker(worker, t.closeTimeoutMs);
        await Promise.all([closeWithin(ticks, 1_500), closeWithin(writeback, 1_500), refill.close(1_500)]);
        await side.close();
        log.info('brain stopped');
      })()),
  };
}
