/**
 * The refill loop end to end: how long after a dialing queue drops below its LowWaterMark new
 * prospects are callable. The real brain and fetch worker run in this process against a skill
 * checked every second, refilled over HTTP from the demo CRM on loopback, on each queue backend
 * (QUEUE_BACKEND redis and postgres, the ratio reported); the bench claims the
 * queue down to LowWaterMark - 1 and polls the dial-queue read until CallableNow rises.
 *
 * The services' clock is real time moved to 19:00 UTC today, when every US zone (Hawaii at 09:00)
 * is inside the calling window, so the bench measures the same thing at any hour. BullMQ and the
 * timings below use real time; only the domain's `now` is moved.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from 'bullmq';
import type pg from 'pg';
import pino from 'pino';
import type { AppDeps } from '../src/app-deps';
import { loadConfig, type QueueBackendName } from '../src/config';
import { claimCalls } from '../src/db/claims';
import { readDialQueue } from '../src/db/dial-queue';
import { createPool } from '../src/db/pool';
import { DEMO_SOURCE_MAP } from '../src/connectors/demo-crm';
import { startDemoCrmServer } from '../src/demo/demo-crm-server';
import { DEMO_SOURCE_NAME, demoSkillBody } from '../src/demo/demo-skill';
import { startBrain } from '../src/queue/brain';
import type { RefillJobResult } from '../src/queue/fetch-worker';
import { openQueueSide } from '../src/queue/queue-backend';
import { DEFAULT_TUNING, type QueueTuning } from '../src/queue/queue-settings';
import { RefillQueue, type RefillJobData } from '../src/queue/refill-queue';
import { startWorker } from '../src/queue/worker-role';
import { setSourceMap } from '../src/services/set-source-map';
import type { CheckTimes } from '../src/services/brain-tick';
import { putSkill } from '../src/services/skills';
import { dropPrefix } from '../test/queue/queue-test-kit';
import { uniquePrefix } from '../test/support/db';
import { benchSection, fmt, median, type BenchContext, type SummaryLine } from './section';

const GOAL_MS = 1_500;
const SKILL = 4200;
const LOW_WATER_MARK = 20;
const TARGET_DEPTH = 100;
const POLL_MS = 10;
/** 19:00 UTC: 15:00 in New York (EDT), 09:00 in Honolulu, 11:00 in Anchorage (AKDT). */
const CLOCK_UTC_HOUR = 19;

export const refillLatencyBench = benchSection('refill-latency', async (ctx) => {
  const repeats = ctx.quick ? 3 : 8;
  ctx.print(
    `skill checked every 1 s (LowWaterMark ${LOW_WATER_MARK}, TargetDepth ${TARGET_DEPTH}), http connector to the demo CRM on 127.0.0.1, ` +
      `brain and fetch worker in this process; ${repeats} drops per setting, each after a random 0-1 s pause`,
  );
  ctx.print('latency = from the claim that leaves CallableNow at LowWaterMark - 1 to the dial-queue read that sees it rise');
  ctx.print();
  // The default against the other tick period, to show what the setting buys.
  const other = DEFAULT_TUNING.brainEveryMs === 1_000 ? 250 : 1_000;
  // The default on each queue backend (the goal holds on both), then the other tick period on redis.
  const variants: { label: string; backend: QueueBackendName; tuning: Partial<QueueTuning>; goal: boolean }[] = [
    { label: `default (brainEveryMs ${DEFAULT_TUNING.brainEveryMs}), QUEUE_BACKEND=redis`, backend: 'redis', tuning: {}, goal: true },
    { label: `default (brainEveryMs ${DEFAULT_TUNING.brainEveryMs}), QUEUE_BACKEND=postgres`, backend: 'postgres', tuning: {}, goal: true },
    { label: `brainEveryMs ${other}, redis, for comparison`, backend: 'redis', tuning: { brainEveryMs: other }, goal: false },
  ];
  const measured: { label: string; backend: QueueBackendName; goal: boolean; samples: Sample[] }[] = [];
  for (const v of variants) {
    const { samples, checkIntervals } = await measure(ctx, v.backend, v.tuning, repeats);
    measured.push({ label: v.label, backend: v.backend, goal: v.goal, samples });
    report(ctx, v.label, samples, checkIntervals);
  }
  const total = (s: Sample[]) => s.map((x) => x.total);
  const maxOf = (s: Sample[]) => Math.max(...total(s));
  const summary: SummaryLine[] = measured.map((m) => ({
    metric: `refill visible after drop, ${m.label}`,
    value: `median ${fmt.ms(median(total(m.samples)))}, max ${fmt.ms(maxOf(m.samples))}`,
    ...(m.goal ? { goal: `max <= ~${fmt.ms(GOAL_MS)}`, met: maxOf(m.samples) <= GOAL_MS } : {}),
  }));
  const [onRedis, onPostgres] = measured as [(typeof measured)[0], (typeof measured)[0]];
  const ratio = median(total(onPostgres.samples)) / median(total(onRedis.samples));
  // Drop -> queued is mostly the tick's phase and the skill's check interval (random, up to 1 s):
  // the part after the add (pickup, fetch, commit, seen) is where the backends differ by themselves.
  const afterAdd = (xs: Sample[]) => median(xs.map((x) => x.total - x.toQueued));
  const afterRatio = afterAdd(onPostgres.samples) / afterAdd(onRedis.samples);
  ctx.print(
    `QUEUE_BACKEND=postgres against redis: drop -> visible ${fmt.ratio(ratio)} (medians), ` +
      `queued -> visible ${fmt.ratio(afterRatio)} (${fmt.ms(afterAdd(onPostgres.samples))} against ${fmt.ms(afterAdd(onRedis.samples))})`,
  );
  summary.push({
    metric: 'refill latency, QUEUE_BACKEND=postgres against redis (medians)',
    value: `drop -> visible ${fmt.ratio(ratio)}, queued -> visible ${fmt.ratio(afterRatio)}`,
  });
  return summary;
});

interface Sample {
  /** Drop to the read that saw new prospects callable. */
  total: number;
  /** Drop to the fetch job's add (the brain's tick that found the skill below its mark). */
  toQueued: number;
  /** Add to the worker taking the job. */
  toStarted: number;
  /** Job taken to the refill's commit (CRM read, pipeline, one transaction). */
  toCommitted: number;
  /** Commit to the poll that saw it (at most POLL_MS plus one read). */
  toSeen: number;
  fetched: number;
}

/** A clock at today's CLOCK_UTC_HOUR that moves with real time. */
function movedClock(): { now: () => Date; offsetMs: number } {
  const at = new Date();
  at.setUTCHours(CLOCK_UTC_HOUR, 0, 0, 0);
  const offsetMs = at.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offsetMs), offsetMs };
}

async function measure(
  ctx: BenchContext,
  backend: QueueBackendName,
  over: Partial<QueueTuning>,
  repeats: number,
): Promise<{ samples: Sample[]; checkIntervals: number[] }> {
  const schema = await ctx.freshSchema('refill');
  const prefix = uniquePrefix('bench-refill');
  const clock = movedClock();
  const deps: AppDeps = {
    config: { ...loadConfig({}), databaseUrl: ctx.databaseUrl, redisUrl: ctx.redisUrl, queuePrefix: prefix, queueBackend: backend },
    pool: schema.pool,
    logger: pino({ level: 'silent' }),
    now: clock.now,
  };
  // The bench's own reads and claims go through a pool of their own, not the services'.
  const probe = createPool(ctx.databaseUrl, { schema: schema.name, max: 2 });
  // The brain's check times, read where the brain writes them on this backend.
  const side = openQueueSide(deps, { name: 'bench-refill' });
  const refill = new RefillQueue(deps.config);
  const crm = await startDemoCrmServer({ seed: 7 });
  const checks = new CheckLog();
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  let brain: Awaited<ReturnType<typeof startBrain>> | undefined;
  try {
    await setSourceMap(deps, DEMO_SOURCE_NAME, DEMO_SOURCE_MAP);
    const body = demoSkillBody(crm.url) as { Refill: Record<string, unknown> };
    await putSkill(deps, SKILL, {
      ...body,
      Name: 'Refill latency bench',
      Refill: { ...body.Refill, LowWaterMark: LOW_WATER_MARK, TargetDepth: TARGET_DEPTH, MaxInventory: 1_000_000, CheckIntervalSeconds: 1 },
    });
    worker = await startWorker(deps, { tuning: over });
    brain = await startBrain(deps, { tuning: over });
    const sampler = checks.follow(side.checkTimes, clock.offsetMs);

    const callable = async () => (await readDialQueue(probe, SKILL, clock.now()))!.callableNow;
    const samples: Sample[] = [];
    try {
      for (let i = 0; i < repeats; i++) {
        // Steady: the queue above its mark and no fetch in flight (the first one fills it from empty).
        await until(async () => (await callable()) >= LOW_WATER_MARK && !(await refill.refillInFlight(SKILL)), 30_000, 'queue refilled');
        await sleep(Math.random() * 1_000);
        const before = await callable();
        await claimCalls(probe, SKILL, before - (LOW_WATER_MARK - 1), clock.now());
        const droppedAt = Date.now();
        const left = await callable();
        if (left !== LOW_WATER_MARK - 1) throw new Error(`claimed down to ${left}, not ${LOW_WATER_MARK - 1}`);
        await until(async () => (await callable()) > left, 15_000, 'new prospects callable');
        const seenAt = Date.now();
        samples.push(await breakdown(probe, refill, droppedAt, seenAt, clock.offsetMs));
      }
    } finally {
      sampler.stop();
    }
    return { samples, checkIntervals: checks.intervals() };
  } finally {
    await brain?.close();
    await worker?.close();
    await crm.close();
    await refill.close();
    await side.close();
    await probe.end();
    await dropPrefix(prefix, backend);
    await schema.drop();
  }
}

/** The fetch job added after the drop, once finished, and the commit time the refill stored. */
async function breakdown(probe: pg.Pool, refill: RefillQueue, droppedAt: number, seenAt: number, offsetMs: number): Promise<Sample> {
  let job: Job<RefillJobData, RefillJobResult> | undefined;
  await until(
    async () => {
      const jobs = await refill.queue.getJobs(['completed', 'active', 'waiting'], 0, 20);
      // The claim commits a moment before it returns: a tick may see the drop first.
      job = jobs.filter((j) => j.timestamp >= droppedAt - 5).sort((a, b) => a.timestamp - b.timestamp)[0];
      return job?.finishedOn !== undefined;
    },
    10_000,
    'fetch job finished',
  );
  const done = job!;
  // last_refill_at is the services' (moved) clock, read in the refill's transaction just before its commit.
  const { rows } = await probe.query<{ at: Date }>('SELECT last_refill_at AS at FROM refill_state WHERE skill_no = $1', [SKILL]);
  const committedAt = rows[0]!.at.getTime() - offsetMs;
  return {
    total: seenAt - droppedAt,
    toQueued: done.timestamp - droppedAt,
    toStarted: done.processedOn! - done.timestamp,
    toCommitted: committedAt - done.processedOn!,
    toSeen: seenAt - committedAt,
    fetched: done.returnvalue.fetched,
  };
}

/**
 * Follows the skill's last-check time (the brain writes it at every check), so the
 * intervals between checks can be told apart: 1 s when every tick checks, 2 s after a tick
 * that found the skill not yet due.
 */
class CheckLog {
  private readonly seen: number[] = [];

  follow(checkTimes: CheckTimes, offsetMs: number): { stop(): void } {
    let stopped = false;
    const loop = async () => {
      while (!stopped) {
        const v = await checkTimes.read().then(
          (all) => all.get(SKILL),
          () => undefined,
        );
        if (v !== undefined) {
          const at = v - offsetMs;
          if (this.seen[this.seen.length - 1] !== at) this.seen.push(at);
        }
        await sleep(20);
      }
    };
    void loop();
    return { stop: () => void (stopped = true) };
  }

  /** Skips the first check: its recorded time is staggered back by a phase of the skill's own. */
  intervals(): number[] {
    return this.seen.slice(2).map((at, i) => at - this.seen[i + 1]!);
  }
}

function report(ctx: BenchContext, label: string, samples: Sample[], intervals: number[]): void {
  const col = (pick: (s: Sample) => number) => samples.map(pick);
  const stat = (xs: number[]) =>
    `median ${fmt.ms(median(xs)).padStart(8)}   max ${fmt.ms(Math.max(...xs)).padStart(8)}   runs ${fmt.list(xs)}`;
  ctx.print(`${label}:`);
  ctx.print(`  drop -> visible             ${stat(col((s) => s.total))}`);
  ctx.print(`    drop -> fetch queued      ${stat(col((s) => s.toQueued))}   (tick phase + check interval)`);
  ctx.print(`    queued -> job started     ${stat(col((s) => s.toStarted))}   (worker pickup)`);
  ctx.print(
    `    started -> committed      ${stat(col((s) => s.toCommitted))}   (CRM read, pipeline, transaction; ${fmt.int(median(col((s) => s.fetched)))} records)`,
  );
  ctx.print(`    committed -> seen         ${stat(col((s) => s.toSeen))}   (poll every ${POLL_MS} ms)`);
  if (intervals.length > 0) {
    const late = intervals.filter((ms) => ms > 1_500);
    ctx.print(
      `  brain checks of the skill: ${intervals.length} intervals, median ${fmt.ms(median(intervals))}, ` +
        `${late.length} (${Math.round((100 * late.length) / intervals.length)}%) over 1.5 s (max ${fmt.ms(Math.max(...intervals))})`,
    );
  }
  ctx.print();
}

async function until(probe: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await sleep(POLL_MS);
  }
  throw new Error(`${what}: not within ${fmt.ms(ms)}`);
}
