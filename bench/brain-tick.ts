/**
 * One brain tick for 1,000 refill-enabled skills (goal: under 50 ms). The tick is brainTick
 * itself: the skills' thresholds and last checks, CallableNow of the skills due in one statement,
 * the plan, the fetches. Timed with every skill due (the first tick after a start, and every tick
 * when CheckIntervalSeconds is 1), with none due (the fixed cost of a tick), in the steady state
 * of the default interval (5 s) at the default tick period, and with every skill due and below
 * its mark against the real fetch queue (1,000 adds in bulk, and one add per skill as before
 * addBulk, then 1,000 deduplicated ones). Other
 * lines use a stub queue, so they are the brain's own work. Each on both queue backends (the
 * check times and the in-flight read in Redis, or in Postgres), the ratios reported. Last, on
 * the last backend, with the calling rules at work (issue 13): every contact and number in
 * Florida (its hours and cap apply) and one contact in ten claimed two days ago, so its caps are
 * counted by probes of claims.
 */
import os from 'node:os';
import type pg from 'pg';
import { callableCounts, callableUpToMarks } from '../src/db/dial-queue';
import { loadConfig, type QueueBackendName } from '../src/config';
import { openQueueSide } from '../src/queue/queue-backend';
import { brainTick, type BrainTickContext, type CheckTimes, type RefillQueuePort } from '../src/services/brain-tick';
import { DEFAULT_TUNING } from '../src/queue/queue-settings';
import { RefillQueue } from '../src/queue/refill-queue';
import { dropPrefix } from '../test/queue/queue-test-kit';
import { uniquePrefix } from '../test/support/db';
import { seedDialQueue } from './dial-queue-rows';
import { benchSection, fmt, median, type BenchContext, type SummaryLine } from './section';

const GOAL_MS = 50;
const SKILLS = 1_000;
const CHECK_INTERVAL_S = 5;
/** 18:00 UTC: 13:00 in New York, 08:00 in Honolulu: every zone open, so every contact is examined. */
const AT = new Date('2026-03-02T18:00:00Z').getTime();
const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Puerto_Rico',
];

export const brainTickBench = benchSection('brain-tick', async (ctx) => {
  const perSkill = ctx.quick ? 10 : 50;
  const rounds = ctx.quick ? 3 : 7;
  const warmup = ctx.quick ? 1 : 2;
  const schema = await ctx.freshSchema('brain');
  const skillNos = Array.from({ length: SKILLS }, (_, i) => i + 1);
  await seedDialQueue(schema.pool, {
    skillNos,
    perSkill,
    zones: ZONES,
    refill: {
      Enabled: true,
      SourceName: 'crm',
      LowWaterMark: 20,
      TargetDepth: 200,
      MaxInventory: 100_000,
      CheckIntervalSeconds: CHECK_INTERVAL_S,
      Connector: { Type: 'demo' },
    },
  });
  ctx.print(
    `${fmt.int(SKILLS)} refill-enabled skills x ${perSkill} contacts, 2 numbers each (${fmt.int(SKILLS * perSkill)} contacts), ` +
      `8 US zones, all open; median of ${rounds - warmup} ticks after ${warmup} warm-up (steady: ${steadyTicks(ctx)} ticks); ` +
      'on each queue backend (check times and the in-flight read in Redis, or in Postgres)',
  );
  ctx.print(`the machine: ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
  ctx.print();

  const statement: number[] = [];
  const exact: number[] = [];
  const marks = skillNos.map((skillNo) => ({ skillNo, lowWaterMark: 20 }));
  for (let round = 0; round < rounds; round++) {
    let started = performance.now();
    await callableUpToMarks(schema.pool, new Date(AT), marks);
    if (round >= warmup) statement.push(performance.now() - started);
    started = performance.now();
    await callableCounts(schema.pool, new Date(AT), skillNos);
    if (round >= warmup) exact.push(performance.now() - started);
  }
  const line = (label: string, xs: number[], note = '') =>
    ctx.print(`${label.padEnd(58)} median ${fmt.ms(median(xs)).padStart(7)}  max ${fmt.ms(Math.max(...xs)).padStart(7)}${note}`);
  line('the count up to LowWaterMark, one statement, unsplit', statement);
  line('(exact counts, callableCounts, for comparison)', exact);
  ctx.print();

  const summary: SummaryLine[] = [];
  const measured = new Map<QueueBackendName, Measured>();
  try {
    for (const backend of BACKENDS) {
      const m = await measureOn(ctx, schema.pool, backend, { rounds, warmup });
      measured.set(backend, m);
      const everyMs = DEFAULT_TUNING.brainEveryMs;
      ctx.print(`QUEUE_BACKEND=${backend}:`);
      line(
        '  tick, every skill due (stub queue)',
        m.allDue,
        `   ${verdict(median(m.allDue))}; the count is ${Math.round((100 * median(statement)) / median(m.allDue))}% of it`,
      );
      line(
        `  tick, steady: interval ${CHECK_INTERVAL_S} s, a tick every ${fmt.ms(everyMs)}`,
        m.steady,
        `   ${verdict(median(m.steady))}, ${Math.min(...m.checked)}..${Math.max(...m.checked)} skills checked per tick`,
      );
      line(
        '  tick, no skill due (the fixed cost of a tick)',
        m.noneDue,
        `   = ${fmt.ms((median(m.noneDue) * 1000) / everyMs)} of work per second at a tick every ${fmt.ms(everyMs)}`,
      );
      line('  tick, every skill due and below its mark, 1,000 new jobs', m.added, '   (addBulk)');
      line(
        '  (the same, one add per skill, as before addBulk)',
        m.addedEach,
        `   addBulk takes ${fmt.ratio(median(m.added) / median(m.addedEach))} of it`,
      );
      line('  tick, every skill due and below its mark, all deduplicated', m.deduplicated);
      ctx.print();
      summary.push(
        {
          metric: `tick on ${backend}, every one of ${fmt.int(SKILLS)} skills due (${perSkill} contacts each)`,
          value: fmt.ms(median(m.allDue)),
          goal: `< ${GOAL_MS} ms`,
          met: median(m.allDue) < GOAL_MS,
        },
        {
          metric: `tick on ${backend}, steady (${CHECK_INTERVAL_S} s interval, tick every ${fmt.ms(everyMs)})`,
          value: fmt.ms(median(m.steady)),
          goal: `< ${GOAL_MS} ms`,
          met: median(m.steady) < GOAL_MS,
        },
        {
          metric: `tick on ${backend}, every skill due and below its mark (real queue)`,
          value: `${fmt.ms(median(m.added))} new (one add each: ${fmt.ms(median(m.addedEach))}), ${fmt.ms(median(m.deduplicated))} deduplicated`,
        },
        { metric: `tick on ${backend}, no skill due`, value: fmt.ms(median(m.noneDue)) },
      );
      if (m.withRules) {
        line('  tick, every skill due, Florida rules and caps, 1 in 10 claimed lately', m.withRules, `   ${verdict(median(m.withRules))}`);
        summary.push({
          metric: `tick on ${backend}, every skill due, state rules and caps on (1 in 10 contacts claimed lately)`,
          value: fmt.ms(median(m.withRules)),
          goal: `< ${GOAL_MS} ms`,
          met: median(m.withRules) < GOAL_MS,
        });
      }
    }
  } finally {
    await schema.drop();
  }
  const [r, p] = [measured.get('redis')!, measured.get('postgres')!];
  const ratio = (pick: (m: Measured) => number[]) => fmt.ratio(median(pick(p)) / median(pick(r)));
  const ratios =
    `every skill due ${ratio((m) => m.allDue)}, steady ${ratio((m) => m.steady)}, none due ${ratio((m) => m.noneDue)}, ` +
    `1,000 new jobs ${ratio((m) => m.added)} (one add each: ${ratio((m) => m.addedEach)}), all deduplicated ${ratio((m) => m.deduplicated)}`;
  ctx.print(`postgres against redis: ${ratios}`);
  summary.push({ metric: 'tick, QUEUE_BACKEND=postgres against redis', value: ratios });
  return summary;
});

const BACKENDS: readonly QueueBackendName[] = ['redis', 'postgres'];

interface Measured {
  allDue: number[];
  noneDue: number[];
  steady: number[];
  checked: number[];
  /** Ticks that added 1,000 jobs to an empty queue: in bulk (the brain's way), and one add per skill (the former way). */
  added: number[];
  addedEach: number[];
  deduplicated: number[];
  /** Every skill due with Florida's rules and caps on (the last backend only). */
  withRules?: number[];
}

/** The tick timings on one queue backend: its check times, its in-flight read, its real fetch queue. */
async function measureOn(
  ctx: BenchContext,
  pool: pg.Pool,
  backend: QueueBackendName,
  opts: { rounds: number; warmup: number },
): Promise<Measured> {
  const { rounds, warmup } = opts;
  const everyMs = DEFAULT_TUNING.brainEveryMs;
  const prefix = uniquePrefix('bench-brain');
  const config = { redisUrl: ctx.redisUrl, queuePrefix: prefix, databaseUrl: ctx.databaseUrl, queueBackend: backend };
  const side = openQueueSide({ config: { ...loadConfig({}), ...config }, pool }, { name: 'bench-brain' });
  const refill = new RefillQueue(config);
  // Every skill above its mark again (the previous backend's last phase lowered them).
  await pool.query(`UPDATE skills SET body = jsonb_set(body, '{Refill,LowWaterMark}', '20')`);
  try {
    const ticks = new Ticks(pool, side.checkTimes, refill);
    const allDue: number[] = [];
    const noneDue: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await ticks.forget();
      const first = await ticks.tick(AT);
      const second = await ticks.tick(AT);
      if (first.checked !== SKILLS || second.checked !== 0) throw new Error(`checked ${first.checked} then ${second.checked}`);
      if (round >= warmup) {
        allDue.push(first.ms);
        noneDue.push(second.ms);
      }
    }

    // Steady: first checks staggered by the brain over the interval, then the clock moves one
    // tick period per tick, so about SKILLS * period / interval skills come due per tick.
    await ticks.forget();
    await ticks.tick(AT);
    const steady: number[] = [];
    const checked: number[] = [];
    for (let s = 1; s <= steadyTicks(ctx); s++) {
      const t = await ticks.tick(AT + s * everyMs);
      steady.push(t.ms);
      checked.push(t.checked);
    }

    // Every skill below its mark: each due skill queues a fetch on the real queue, emptied before
    // each tick; in bulk and one add per skill, alternately, so both see the same machine.
    await pool.query(`UPDATE skills SET body = jsonb_set(body, '{Refill,LowWaterMark}', '100')`);
    const oneByOne: RefillQueuePort = {
      enqueueAll: (items) => Promise.all(items.map((item) => refill.enqueue(item))),
      inFlight: (skillNos) => refill.inFlight(skillNos),
    };
    const added: number[] = [];
    const addedEach: number[] = [];
    for (let round = 0; round < addRounds(ctx); round++) {
      for (const [port, into] of [
        [refill, added],
        [oneByOne, addedEach],
      ] as const) {
        await refill.queue.obliterate({ force: true });
        await ticks.forget();
        const t = await ticks.tick(AT, port);
        if (t.fetches !== SKILLS || t.deduplicated !== 0) throw new Error(`real queue: ${JSON.stringify(t)}`);
        into.push(t.ms);
      }
    }
    const deduplicated: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await ticks.forget();
      const t = await ticks.tick(AT, refill);
      if (t.deduplicated !== SKILLS) throw new Error(`expected every fetch deduplicated: ${JSON.stringify(t)}`);
      if (round >= warmup) deduplicated.push(t.ms);
    }

    // The calling rules at work (last backend only: it changes the skills and seeds claims):
    // state hours and caps, a tenth of the contacts counted by probes.
    let withRules: number[] | undefined;
    if (backend === BACKENDS[BACKENDS.length - 1]) {
      await pool.query(`UPDATE skills SET body = jsonb_set(body, '{Refill,LowWaterMark}', '20')
                          || '{"Compliance": {"MaxAttemptsPerContactPer7Days": 7, "MaxAttemptsPerNumberPer24h": 3}}'::jsonb`);
      await seedRecentClaims(pool, new Date(AT));
      withRules = [];
      for (let round = 0; round < rounds; round++) {
        await ticks.forget();
        const t = await ticks.tick(AT);
        if (round >= warmup) withRules.push(t.ms);
      }
    }
    return { allDue, noneDue, steady, checked, added, addedEach, deduplicated, ...(withRules ? { withRules } : {}) };
  } finally {
    await forgetAll(side.checkTimes);
    await refill.close();
    await side.close();
    await dropPrefix(prefix, backend);
  }
}

/** Every contact and number in Florida (places as a load writes them); one in ten claimed two days before `at`. */
async function seedRecentClaims(pool: pg.Pool, at: Date): Promise<void> {
  await pool.query(`UPDATE destinations SET state = 'FL'`);
  await pool.query(
    `INSERT INTO call_places (place, zone, state, unconsented_mobile)
     SELECT DISTINCT place, time_zone, state, false FROM destinations ON CONFLICT DO NOTHING`,
  );
  await pool.query(
    `WITH c AS (
       INSERT INTO claims (claim_id, skill_no, prospect_id, position, attempt, claimed_at, expires_at, phone_number)
       SELECT gen_random_uuid(), p.skill_no, p.prospect_id, 0, 1, $1::timestamptz - interval '2 days',
              $1::timestamptz - interval '2 days' + interval '15 minutes', d.phone_number
       FROM prospects p JOIN destinations d ON d.prospect_id = p.prospect_id AND d.position = 0
       WHERE p.prospect_id % 10 = 0
       RETURNING prospect_id, claimed_at)
     UPDATE prospects p SET state = 'FL', last_claimed_at = c.claimed_at,
       number_places = ARRAY(SELECT DISTINCT d.place FROM destinations d WHERE d.prospect_id = p.prospect_id ORDER BY 1)
     FROM prospects q LEFT JOIN c ON c.prospect_id = q.prospect_id
     WHERE q.prospect_id = p.prospect_id`,
    [at],
  );
  await pool.query(`INSERT INTO call_places (place, zone, state, unconsented_mobile)
                    SELECT DISTINCT place, time_zone, state, false FROM prospects ON CONFLICT DO NOTHING`);
  await pool.query('VACUUM (ANALYZE) prospects, destinations, claims');
}

function steadyTicks(ctx: BenchContext): number {
  const perInterval = Math.round((CHECK_INTERVAL_S * 1000) / DEFAULT_TUNING.brainEveryMs);
  return ctx.quick ? perInterval : 2 * perInterval;
}

/** Ticks adding 1,000 jobs, each way: few, as each one's jobs are thrown away after. */
function addRounds(ctx: BenchContext): number {
  return ctx.quick ? 1 : 3;
}

function verdict(ms: number): string {
  return ms < GOAL_MS ? `under the ${GOAL_MS} ms goal` : `OVER the ${GOAL_MS} ms goal`;
}

/** brainTick at a given clock, against a stub fetch queue unless a real one is given. */
class Ticks {
  private stubbed = 0;
  private readonly stub: BrainTickContext['refill'];

  constructor(
    private readonly pool: pg.Pool,
    private readonly checkTimes: CheckTimes,
    queue: RefillQueue,
  ) {
    // Adds go nowhere; the in-flight look-up reads the (empty) real queue.
    this.stub = {
      enqueueAll: async (items) => items.map(() => ({ JobId: `stub-${this.stubbed++}`, Deduplicated: false })),
      inFlight: (skillNos) => queue.inFlight(skillNos),
    };
  }

  tick(atMs: number, refill?: RefillQueuePort) {
    return brainTick({
      deps: { pool: this.pool, now: () => new Date(atMs) },
      checkTimes: this.checkTimes,
      refill: refill ?? this.stub,
      tickEveryMs: DEFAULT_TUNING.brainEveryMs,
    });
  }

  /** Drops every last-check time: the next tick finds every skill due. */
  forget(): Promise<void> {
    return forgetAll(this.checkTimes);
  }
}

function forgetAll(checkTimes: CheckTimes): Promise<void> {
  return checkTimes.forget(Array.from({ length: SKILLS }, (_, i) => i + 1));
}
