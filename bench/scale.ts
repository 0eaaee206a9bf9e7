/**
 * What grows with the table: a database filled to 10,000,000 prospects (BENCH_QUICK: 300,000) in
 * four skills, against a nearly empty one, in the same run. Loads (createProspects, first pass) and
 * claims (claimCalls, several dialers) are timed in both, round robin, and printed as ratios of the
 * full database's rate to the empty one's. Reads are timed in the full one only, each as p50/p95 of
 * many calls to the service the HTTP route calls (routing and JSON add well under a millisecond):
 * GETPROSPECT by phone and by ExternalID, and the dial-queue read of a skill of 1,000,000 contacts,
 * polled every 100 ms (its counts come from a copy at most a second old; the exact count it saves
 * is timed too).
 */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { claimCalls } from '../src/db/claims';
import { readDialQueue as countDialQueue } from '../src/db/dial-queue';
import type { ProspectQuery } from '../src/db/prospects';
import { createProspects } from '../src/services/create-prospects';
import { readDialQueue } from '../src/services/read-dial-queue';
import { readProspects } from '../src/services/read-prospects';
import type { AppDeps } from '../src/app-deps';
import { lookupPagesRead } from '../test/support/plan-pages';
import { BENCH_NOW, BENCH_SKILL, benchDeps, createProspectsInput } from './bench-skill';
import { benchRecords } from './prospect-records';
import { seedScale, seededPhone, type ScaleSkill } from './scale-rows';
import { benchSection, fmt, loadAverage, median, type SummaryLine } from './section';

const RATIO_GOAL = 0.85;
const GETPROSPECT_P95_GOAL_MS = 5;
const DIAL_QUEUE_P95_GOAL_MS = 20;
const DIALERS = 4;
/** Both open at BENCH_NOW (10:00 and 09:00). */
const ZONES = ['America/New_York', 'America/Chicago'];
/** The skill dialers claim from in both databases, and whose dial-queue is read. */
const QUEUE_SKILL = 2;

export const scaleBench = benchSection('scale', async (ctx) => {
  const total = ctx.quick ? 300_000 : 10_000_000;
  const queueSkill = ctx.quick ? 100_000 : 1_000_000;
  const emptyQueue = ctx.quick ? 20_000 : 200_000;
  const loadSize = ctx.quick ? 5_000 : 20_000;
  const runs = ctx.quick ? 1 : 3;
  const claimSeconds = ctx.quick ? 1 : 4;
  const reads = ctx.quick ? 100 : 400;
  // The load goes to the biggest skill (a third of everything), the claims to one of 1,000,000.
  const bigSkill = Math.round(total / 3);
  const rest = total - bigSkill - queueSkill;
  const skills: ScaleSkill[] = [
    { skillNo: BENCH_SKILL, contacts: bigSkill },
    { skillNo: QUEUE_SKILL, contacts: queueSkill },
    { skillNo: 3, contacts: Math.floor(rest / 2) },
    { skillNo: 4, contacts: rest - Math.floor(rest / 2) },
  ];

  const empty = await ctx.freshSchema('scale0');
  const full = await ctx.freshSchema('scale');
  try {
    const emptyDeps = await benchDeps(empty.pool);
    const fullDeps = await benchDeps(full.pool);
    await seedScale(empty.pool, [{ skillNo: QUEUE_SKILL, contacts: emptyQueue }], ZONES);
    const seeding = performance.now();
    await seedScale(full.pool, skills, ZONES);
    const seededMs = performance.now() - seeding;
    const size = await databaseSize(full.pool);
    ctx.print(
      `full database: ${fmt.int(total)} prospects (${skills.map((s) => fmt.int(s.contacts)).join(' / ')} in skills ` +
        `${skills.map((s) => s.skillNo).join(', ')}), two numbers each, seeded in ${fmt.ms(seededMs)}; ${fmt.mb(size)} with indexes`,
    );
    ctx.print(`empty database: a queue of ${fmt.int(emptyQueue)} contacts in skill ${QUEUE_SKILL} for the claims, nothing else`);
    ctx.print(`the machine: ${os.cpus().length} cores, load average ${loadAverage()} after seeding`);
    ctx.print();

    // Untimed, once into each: node's first load pays for warming up (code, number prefixes).
    for (const deps of [emptyDeps, fullDeps]) await timedLoad(deps, benchRecords(loadSize, 2, 9_000_000));
    // Round robin, so that both databases see the shared machine's load in the same proportion.
    const loadMs = { empty: [] as number[], full: [] as number[] };
    const claimRate = { empty: [] as number[], full: [] as number[] };
    for (let r = 0; r < runs; r++) {
      const records = benchRecords(loadSize, 1, 1_000_000 * (r + 1));
      loadMs.empty.push(await timedLoad(emptyDeps, records));
      loadMs.full.push(await timedLoad(fullDeps, records));
      claimRate.empty.push(await claimsPerSecond(empty.pool, claimSeconds));
      claimRate.full.push(await claimsPerSecond(full.pool, claimSeconds));
    }
    const loadRatio = median(loadMs.empty) / median(loadMs.full);
    const claimRatio = median(claimRate.full) / median(claimRate.empty);
    ctx.print(`load of ${fmt.int(loadSize)} new records (createProspects, first pass), median of ${runs}; load average ${loadAverage()}`);
    ctx.print(`  empty ${fmt.ms(median(loadMs.empty)).padStart(9)}   runs ${fmt.list(loadMs.empty)} ms`);
    ctx.print(
      `  full  ${fmt.ms(median(loadMs.full)).padStart(9)}   runs ${fmt.list(loadMs.full)} ms   rate ratio full/empty ${fmt.ratio(loadRatio)}`,
    );
    // Where a load's time goes at size: pages of each table and index it touched, and those that
    // were not in shared buffers (read from the OS), one more load into each database.
    const records = benchRecords(loadSize, 3, 20_000_000);
    const touched = {
      empty: await pagesTouched(empty.pool, () => timedLoad(emptyDeps, records)),
      full: await pagesTouched(full.pool, () => timedLoad(fullDeps, records)),
    };
    ctx.print(`  pages touched by one more load, empty -> full (of them not in shared buffers), by relation:`);
    for (const [rel, full] of [...touched.full].sort((a, b) => b[1].read - a[1].read || b[1].hit - a[1].hit).slice(0, 8)) {
      const e = touched.empty.get(rel) ?? { hit: 0, read: 0 };
      ctx.print(
        `    ${rel.padEnd(44)} ${fmt.int(e.hit + e.read).padStart(7)} (${fmt.int(e.read)}) -> ${fmt.int(full.hit + full.read).padStart(7)} (${fmt.int(full.read)})`,
      );
    }
    ctx.print(`claims/s, ${DIALERS} dialers, Limit 10, ${claimSeconds} s each, median of ${runs}`);
    ctx.print(`  empty ${fmt.int(median(claimRate.empty)).padStart(7)}   runs ${fmt.list(claimRate.empty)}`);
    ctx.print(
      `  full  ${fmt.int(median(claimRate.full)).padStart(7)}   runs ${fmt.list(claimRate.full)}   ratio full/empty ${fmt.ratio(claimRatio)}`,
    );
    ctx.print();

    // Reads, in the full database: contacts of the biggest skill (prospect ids 1..bigSkill).
    const pick = spread(bigSkill, reads);
    const byPhone = await timedCalls(pick, (id) =>
      readProspects(fullDeps, BENCH_SKILL, { PhoneNumber: seededPhone(id, 1) }).then(expectOne),
    );
    const byId = await timedCalls(pick, (id) =>
      readProspects(fullDeps, BENCH_SKILL, { SourceName: 'crm', ExternalID: `seed-${BENCH_SKILL}-${id - 1}` }).then(expectOne),
    );
    const byIdAlone = await timedCalls(pick, (id) =>
      readProspects(fullDeps, BENCH_SKILL, { ExternalID: `seed-${BENCH_SKILL}-${id - 1}` }).then(expectOne),
    );
    const exactCount = await timedCalls([1, 2, 3, 4, 5], () => countDialQueue(full.pool, QUEUE_SKILL, BENCH_NOW));
    const pollDeps: AppDeps = { ...fullDeps, now: () => new Date() };
    const dialQueue = await timedCalls(
      pick,
      () => readDialQueue(pollDeps, QUEUE_SKILL),
      () => sleep(100),
    );
    ctx.print(`reads in the full database, ${fmt.int(reads)} calls each (p50 / p95); load average ${loadAverage()}`);
    const readLine = (label: string, ms: number[]) =>
      ctx.print(`  ${label.padEnd(62)} ${p(ms, 0.5).toFixed(2).padStart(7)} / ${p(ms, 0.95).toFixed(2).padStart(7)} ms`);
    readLine(`GETPROSPECT by PhoneNumber (skill of ${fmt.int(bigSkill)})`, byPhone);
    readLine('GETPROSPECT by SourceName + ExternalID', byId);
    readLine('GETPROSPECT by ExternalID alone', byIdAlone);
    readLine(`dial-queue of a skill of ${fmt.int(queueSkill)}, polled every 100 ms`, dialQueue);
    readLine('  the exact count it is served from (5 calls)', exactCount);
    // The plans at size, as pages read (a plan that walks the skill reads tens of thousands).
    const id = pick[0]!;
    const lookups: [string, ProspectQuery][] = [
      ['by PhoneNumber', { skillNo: BENCH_SKILL, phoneNumber: seededPhone(id, 1), limit: 100 }],
      ['by SourceName + ExternalID', { skillNo: BENCH_SKILL, sourceName: 'crm', externalId: `seed-${BENCH_SKILL}-${id - 1}`, limit: 100 }],
      ['by ExternalID alone', { skillNo: BENCH_SKILL, externalId: `seed-${BENCH_SKILL}-${id - 1}`, limit: 100 }],
    ];
    const pages = await Promise.all(lookups.map(async ([label, q]) => `${label} ${await lookupPagesRead(full.pool, q)}`));
    ctx.print(`  pages each GETPROSPECT statement reads (EXPLAIN ANALYZE, BUFFERS): ${pages.join(', ')}`);

    const atSize = `at ${fmt.int(total)}`;
    const readSummary = (metric: string, ms: number[], goal: number): SummaryLine => ({
      metric,
      value: `p50 ${p(ms, 0.5).toFixed(1)} ms, p95 ${p(ms, 0.95).toFixed(1)} ms`,
      goal: `p95 < ${goal} ms`,
      met: p(ms, 0.95) < goal,
    });
    return [
      { metric: `load rate ${atSize} / empty`, value: fmt.ratio(loadRatio), goal: `>= ${RATIO_GOAL}x`, met: loadRatio >= RATIO_GOAL },
      { metric: `claims/s ${atSize} / empty`, value: fmt.ratio(claimRatio), goal: `>= ${RATIO_GOAL}x`, met: claimRatio >= RATIO_GOAL },
      readSummary(`GETPROSPECT by phone ${atSize}`, byPhone, GETPROSPECT_P95_GOAL_MS),
      readSummary(`GETPROSPECT by ExternalID ${atSize}`, byId, GETPROSPECT_P95_GOAL_MS),
      readSummary(`GETPROSPECT by ExternalID alone ${atSize}`, byIdAlone, GETPROSPECT_P95_GOAL_MS),
      readSummary(`dial-queue, ${fmt.int(queueSkill)} in the skill`, dialQueue, DIAL_QUEUE_P95_GOAL_MS),
    ];
  } finally {
    await empty.drop();
    await full.drop();
  }
});

async function timedLoad(deps: AppDeps, records: unknown[]): Promise<number> {
  const started = performance.now();
  const outcome = await createProspects(deps, createProspectsInput(records));
  const ms = performance.now() - started;
  if (!outcome.counts.Created) throw new Error(`expected Created records, got ${JSON.stringify(outcome.counts)}`);
  return ms;
}

/** Claims per second of DIALERS clients claiming 10 at a time from QUEUE_SKILL for `seconds`. */
async function claimsPerSecond(pool: pg.Pool, seconds: number): Promise<number> {
  const clients = await Promise.all(Array.from({ length: DIALERS }, () => pool.connect()));
  try {
    let claims = 0;
    const started = performance.now();
    const until = started + seconds * 1000;
    await Promise.all(
      clients.map(async (c) => {
        while (performance.now() < until) {
          const got = await claimCalls(c, QUEUE_SKILL, 10, BENCH_NOW);
          if (got.length === 0) throw new Error('the claim queue ran dry: make it bigger');
          claims += got.length;
        }
      }),
    );
    return claims / ((performance.now() - started) / 1000);
  } finally {
    for (const c of clients) c.release();
  }
}

/** Milliseconds of each call, one after the other (`between` runs untimed before each). */
async function timedCalls<T>(
  items: readonly T[],
  call: (item: T) => Promise<unknown>,
  between?: () => Promise<unknown>,
): Promise<number[]> {
  const ms: number[] = [];
  for (const item of items) {
    await between?.();
    const started = performance.now();
    await call(item);
    ms.push(performance.now() - started);
  }
  return ms;
}

function expectOne(answer: { Prospects: unknown[] }): void {
  if (answer.Prospects.length !== 1) throw new Error(`expected one prospect, got ${answer.Prospects.length}`);
}

/** `count` prospect ids spread over 1..`max` (a fixed stride, so every run reads the same ones). */
function spread(max: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => 1 + Math.floor(((i * 7_919) % count) * (max / count)));
}

function p(ms: readonly number[], q: number): number {
  const s = [...ms].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** Blocks of each table and index of the schema hit and read (missed) in shared buffers while `work` ran. */
async function pagesTouched(pool: pg.Pool, work: () => Promise<unknown>): Promise<Map<string, { hit: number; read: number }>> {
  const sample = async () => {
    // An idle backend flushes its statistics within 10 s (PGSTAT_IDLE_INTERVAL).
    await sleep(11_000);
    const { rows } = await pool.query<{ rel: string; hit: string; read: string }>(
      `SELECT relname AS rel, coalesce(heap_blks_hit, 0) AS hit, coalesce(heap_blks_read, 0) AS read
       FROM pg_statio_user_tables WHERE schemaname = current_schema()
       UNION ALL
       SELECT indexrelname, coalesce(idx_blks_hit, 0), coalesce(idx_blks_read, 0)
       FROM pg_statio_user_indexes WHERE schemaname = current_schema()`,
    );
    return new Map(rows.map((r) => [r.rel, { hit: Number(r.hit), read: Number(r.read) }]));
  };
  const before = await sample();
  await work();
  const after = await sample();
  return new Map(
    [...after].map(([rel, a]) => {
      const b = before.get(rel) ?? { hit: 0, read: 0 };
      return [rel, { hit: a.hit - b.hit, read: a.read - b.read }];
    }),
  );
}

async function databaseSize(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ bytes: string }>(
    `SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'`,
  );
  return Number(rows[0]!.bytes);
}
