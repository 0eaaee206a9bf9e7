import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AppDeps } from '../app-deps';
import { callableUpToMarks } from '../db/dial-queue';
import { readRefillSettings } from '../db/refill-state';
import { isDue, planRefills, type SkillRefillView } from '../domain/refill-plan';
import { sweepOwed } from '../services/sweep-owed';
import { closeWithin } from './close-within';
import { publishTargets, writebackQueue } from './publish-targets';
import { QUEUE_NAMES, redisKeys, tuning as tuningWith, workerConnection, workerOptions, type QueueTuning } from './queue-settings';
import { closeRedis, createRedis } from './redis-client';
import { refillDedupId, RefillQueue } from './refill-queue';
import { stopWorker, type RoleHandle } from './role-handle';

/** Due skills from which the count is split over two connections. */
const SPLIT_FROM = 200;

export interface BrainTickReport {
  /** Refill-enabled skills. */
  skills: number;
  /** Of those, skills whose check interval had elapsed. */
  checked: number;
  /** Fetches wanted (deduplicated ones included). */
  fetches: number;
  /** Of those, skills whose refill was already in flight: not added, or added and joined to it. */
  deduplicated: number;
  ms: number;
}

export interface BrainTickContext {
  deps: Pick<AppDeps, 'pool' | 'now'>;
  redis: Redis;
  refill: Pick<RefillQueue, 'enqueue' | 'queue'>;
  prefix: string;
  /** The tick period: a skill is counted due up to half a tick early (see isDue). 0 when absent. */
  tickEveryMs?: number;
}

/**
 * One tick: every refill-enabled skill's thresholds in one statement, their last-check times in
 * one Redis read, then CallableNow of only the skills due for a check, counted up to their
 * LowWaterMark (one statement, or two side by side when many are due), the pure plan, one batched look-up of the refills already
 * in flight, and an add for each of the others. Last-check times live in Redis, not in the
 * brain's memory, so that ticks handed to different brains still respect each skill's
 * CheckIntervalSeconds.
 */
export async function brainTick(ctx: BrainTickContext): Promise<BrainTickReport> {
  const started = performance.now();
  const now = ctx.deps.now();
  const nowMs = now.getTime();
  const key = redisKeys(ctx.prefix).lastCheck;
  const [settings, lastChecks] = await Promise.all([readRefillSettings(ctx.deps.pool), ctx.redis.hgetall(key)]);

  const toleranceMs = (ctx.tickEveryMs ?? 0) / 2;
  const due = settings.filter((s) =>
    isDue({ checkIntervalSeconds: s.checkIntervalSeconds, lastCheckMs: lastCheckOf(lastChecks, s.skillNo) }, nowMs, toleranceMs),
  );
  const report: BrainTickReport = { skills: settings.length, checked: 0, fetches: 0, deduplicated: 0, ms: 0 };
  if (due.length > 0) {
    const marks = due.map((s) => ({ skillNo: s.skillNo, lowWaterMark: s.lowWaterMark }));
    // The count is CPU-bound in Postgres (an index probe per contact up to the mark): many due
    // skills are split over two connections so that two cores share it (1,000 skills: ~35% less on the loaded 2-core test box).
    const halves = marks.length >= SPLIT_FROM ? [marks.slice(0, marks.length >> 1), marks.slice(marks.length >> 1)] : [marks];
    const counted = await Promise.all(halves.map((half) => callableUpToMarks(ctx.deps.pool, now, half)));
    const counts = new Map(counted.flat().map((c) => [c.skillNo, c]));
    const views: SkillRefillView[] = due.map((s) => {
      const c = counts.get(s.skillNo);
      // A skill deleted since the settings were read: its fetch finds no skill and ends.
      return { ...s, callableNow: c?.callableUpToMark ?? 0, activeTotal: c ? c.activeTotal : 0, lastCheckMs: lastCheckOf(lastChecks, s.skillNo) };
    });
    const plan = planRefills(views, nowMs, toleranceMs);
    const inFlight = await refillsInFlight(ctx.redis, ctx.refill.queue, plan.fetches.map((f) => f.skillNo));
    const answers = await Promise.all(
      plan.fetches.filter((f) => !inFlight.has(f.skillNo)).map((f) => ctx.refill.enqueue({ ...f, origin: 'Brain' })),
    );
    if (plan.checked.length > 0) {
      await ctx.redis.hset(key, Object.fromEntries(plan.checked.map((c) => [String(c.skillNo), String(c.checkMs)])));
    }
    report.checked = plan.checked.length;
    report.fetches = plan.fetches.length;
    report.deduplicated = inFlight.size + answers.filter((a) => a.Deduplicated).length;
  }
  // Skills deleted or with refill turned off leave their field behind; drop them now and then.
  const enabled = new Set(settings.map((s) => String(s.skillNo)));
  const stale = Object.keys(lastChecks).filter((k) => !enabled.has(k));
  if (stale.length > 0) await ctx.redis.hdel(key, ...stale);
  report.ms = performance.now() - started;
  return report;
}

/**
 * The skills among `skillNos` whose add would be deduplicated: their deduplication key names a
 * job that still exists (BullMQ drops the key when the job ends, and an add replaces a key whose
 * job is gone). Two round trips for any number of skills, where an add is a script each (~0.3 ms
 * apiece) and RefillQueue.inFlight's state read is two commands each. A refill ending right after
 * this read is caught at the skill's next check.
 */
async function refillsInFlight(redis: Redis, queue: RefillQueue['queue'], skillNos: readonly number[]): Promise<Set<number>> {
  if (skillNos.length === 0) return new Set();
  const ids = await redis.mget(skillNos.map((n) => `${queue.keys.de}:${refillDedupId(n)}`));
  const named = skillNos.flatMap((skillNo, i) => (ids[i] ? [{ skillNo, jobId: ids[i] }] : []));
  if (named.length === 0) return new Set();
  const pipeline = redis.pipeline();
  for (const n of named) pipeline.exists(queue.toKey(n.jobId));
  const exists = (await pipeline.exec()) ?? [];
  return new Set(named.filter((_, i) => exists[i]?.[0] === null && exists[i]?.[1] === 1).map((n) => n.skillNo));
}

function lastCheckOf(lastChecks: Record<string, string>, skillNo: number): number | null {
  const v = lastChecks[String(skillNo)];
  return v === undefined ? null : Number(v);
}

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
  const redis = createRedis(deps.config.redisUrl, { name: 'prospect-feeder:brain' });
  const refill = new RefillQueue(deps.config, { tuning: t, failFast: false });
  const ticks = new Queue(QUEUE_NAMES.brain, { connection: workerConnection(deps.config), prefix: deps.config.queuePrefix });
  ticks.on('error', () => undefined);
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
  const targets = publishTargets(redis, deps.config.queuePrefix, writeback);

  const ctx: BrainTickContext = { deps, redis, refill, prefix: deps.config.queuePrefix, tickEveryMs: t.brainEveryMs };
  let slowWarned = 0;
  const worker = new Worker(
    QUEUE_NAMES.brain,
    async (job) => {
      if (job.name === 'sweep') {
        const swept = await sweepOwed(deps, targets, { graceMs: t.sweepGraceMs, limit: SWEEP_LIMIT });
        if (swept.published + swept.writeBacksQueued > 0) log.info(swept, 'owed runs published or their write-backs queued again');
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
    { ...workerOptions(deps.config, t, 1), lockDuration: Math.min(t.lockDurationMs, 10_000) },
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
        await closeRedis(redis, 1_500);
        log.info('brain stopped');
      })()),
  };
}
