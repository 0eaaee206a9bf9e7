/**
 * CREATEPROSPECTS v2 end to end (createProspects: checks, pipeline, one transaction), against a
 * raw COPY of the same rows and a naive record-at-a-time upsert, plus its memory. Rates are input
 * records per second for every line (bad rows included), so a ratio is a ratio of times.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { forgetNanpAnswers } from '../src/domain/nanp-prefix-cache';
import { createProspects } from '../src/services/create-prospects';
import { benchDeps, createProspectsInput } from './bench-skill';
import { benchRecords, FAILING_SHARE } from './prospect-records';
import { benchSection, fmt, median, type BenchContext, type SummaryLine } from './section';
import { clockStatements, type StatementTime } from './statement-times';
import { copyBaseline, naiveBaseline, pipelineOutput } from './storage-baselines';

const COPY_GOAL = 0.5;
const NAIVE_GOAL = 20;
const RSS_GOAL_MB = 300;

export const createProspectsBench = benchSection('create-prospects', async (ctx) => {
  const size = ctx.quick ? 5_000 : 50_000;
  const naiveSize = ctx.quick ? 500 : 2_000;
  const runs = ctx.quick ? 1 : 3;
  const records = benchRecords(size);
  const out = pipelineOutput(records);
  const stored = out.rows.length;
  const destinations = out.rows.reduce((n, r) => n + r.destinations.length, 0);
  ctx.print(
    `${fmt.int(size)} records, two numbers each, ${Math.round(FAILING_SHARE * 100)}% failing (one of each failure kind): ` +
      `${fmt.int(stored)} prospects, ${fmt.int(destinations)} destinations, ${fmt.int(size)} results`,
  );
  ctx.print(`median of ${runs} run(s), each in a fresh migrated schema; rates are input records per second`);
  ctx.print("the pipeline alone and the first pass start with no number prefix known (a service's first load; later ones are faster)");
  ctx.print();

  const naiveRecords = benchRecords(naiveSize);
  const naiveOut = pipelineOutput(naiveRecords);
  const ms = {
    pipeline: [] as number[],
    first: [] as number[],
    second: [] as number[],
    copy: [] as number[],
    copyAll: [] as number[],
    naive: [] as number[],
    naiveTx: [] as number[],
  };
  // Round robin, so that each measurement sees the shared machine's load in the same proportion.
  for (let i = 0; i < runs; i++) {
    forgetNanpAnswers();
    ms.pipeline.push(timed(() => pipelineOutput(records)));
    forgetNanpAnswers();
    const [first, second] = await useCase(ctx, records, stored);
    ms.first.push(first);
    ms.second.push(second);
    ms.copy.push(await inFreshSchema(ctx, 'copy', (pool) => copyBaseline(pool, records, out, false)));
    ms.copyAll.push(await inFreshSchema(ctx, 'copyall', (pool) => copyBaseline(pool, records, out, true)));
    ms.naive.push(await inFreshSchema(ctx, 'naive', (pool) => naiveBaseline(pool, naiveOut, false)));
    ms.naiveTx.push(await inFreshSchema(ctx, 'naivetx', (pool) => naiveBaseline(pool, naiveOut, true)));
  }
  const rate = (xs: number[], n = size) => n / (median(xs) / 1000);
  const rates = {
    pipeline: rate(ms.pipeline),
    first: rate(ms.first),
    second: rate(ms.second),
    copy: rate(ms.copy),
    copyAll: rate(ms.copyAll),
    naive: rate(ms.naive, naiveSize),
    naiveTx: rate(ms.naiveTx, naiveSize),
  };
  const line = (label: string, xs: number[], r: number, note = '') =>
    ctx.print(`${label.padEnd(46)} ${fmt.ms(median(xs)).padStart(9)}  ${fmt.rate(r).padStart(14)}   runs ${fmt.list(xs)} ms${note}`);
  line('pipeline alone (CPU only, no storage)', ms.pipeline, rates.pipeline);
  line('createProspects, first pass (all Created)', ms.first, rates.first);
  line('createProspects, second pass (all Updated)', ms.second, rates.second);
  line('COPY prospects + destinations', ms.copy, rates.copy);
  line('COPY prospects + destinations + run results', ms.copyAll, rates.copyAll);
  line(`naive upsert, a statement per record (${fmt.int(naiveSize)})`, ms.naive, rates.naive, ', scaled to a rate');
  line(`  the same loop in one transaction`, ms.naiveTx, rates.naiveTx, ', scaled to a rate');
  ctx.print();
  const toCopy = rates.first / rates.copy;
  const toNaive = rates.first / rates.naive;
  ctx.print(
    `first pass  / COPY: ${fmt.ratio(toCopy)} (goal >= ${COPY_GOAL})   / COPY with results: ${fmt.ratio(rates.first / rates.copyAll)}   / naive: ${fmt.ratio(toNaive)} (goal >= ${NAIVE_GOAL})`,
  );
  ctx.print(
    `first pass  / naive loop in one transaction: ${fmt.ratio(rates.first / rates.naiveTx)}   raw COPY / naive: ${fmt.ratio(rates.copy / rates.naive)}`,
  );
  ctx.print(
    `second pass / COPY: ${fmt.ratio(rates.second / rates.copy)}   / COPY with results: ${fmt.ratio(rates.second / rates.copyAll)}   / naive: ${fmt.ratio(rates.second / rates.naive)}`,
  );
  ctx.print(
    `pipeline alone / COPY: ${fmt.ratio(rates.pipeline / rates.copy)}, / naive: ${fmt.ratio(rates.pipeline / rates.naive)}: with storage free, the first pass could reach these`,
  );
  ctx.print(
    `(${NAIVE_GOAL}x naive asks for ${fmt.rate(NAIVE_GOAL * rates.naive)}; ${COPY_GOAL}x COPY for ${fmt.rate(COPY_GOAL * rates.copy)})`,
  );

  ctx.print();
  ctx.print('one more run of each pass on one connection: CPU of node and of its Postgres backend, and time by statement');
  ctx.print('(send to answer, summed; an answer also waits for the pipeline slice running when it arrives):');
  for (const p of await statementProfile(ctx, records)) {
    const backend = p.backendCpuMs === null ? 'not readable' : fmt.ms(p.backendCpuMs);
    ctx.print(`  ${p.pass} pass: wall ${fmt.ms(p.wallMs)}, node CPU ${fmt.ms(p.nodeCpuMs)}, Postgres backend CPU ${backend}`);
    for (const t of p.statements.filter((x) => x.ms >= 5)) {
      ctx.print(`    ${t.kind.padEnd(34)} ${String(t.count).padStart(4)} x ${fmt.ms(t.ms).padStart(9)}`);
    }
  }

  ctx.print();
  const small = ctx.quick ? 500 : 5_000;
  const memSmall = await memoryProbe(small);
  const memLarge = await memoryProbe(size);
  for (const m of [memSmall, memLarge]) {
    ctx.print(
      `memory, one call of ${fmt.int(m.size).padStart(6)} records: peak RSS ${fmt.mb(m.peakRss)} (${fmt.mb(m.peakRss - m.rssBefore)} over the ` +
        `${fmt.mb(m.rssBefore)} before the call, records built), peak heap used ${fmt.mb(m.peakHeap)} (${fmt.mb(m.peakHeap - m.heapBefore)} over), ${fmt.ms(m.ms)}`,
    );
  }
  const perRecord = (m: MemoryProbe) => (m.peakRss - m.rssBefore) / m.size;
  ctx.print(
    `RSS growth per record: ${fmt.int(perRecord(memSmall))} B at ${fmt.int(small)}, ${fmt.int(perRecord(memLarge))} B at ${fmt.int(size)}`,
  );

  const summary: SummaryLine[] = [
    { metric: `first pass, ${fmt.int(size)} records`, value: fmt.rate(rates.first) },
    { metric: 'first pass / COPY', value: fmt.ratio(toCopy), goal: `>= ${COPY_GOAL}x`, met: toCopy >= COPY_GOAL },
    // The load also stores one result per record; COPYing those too is the same rows written.
    {
      metric: 'first pass / COPY with results',
      value: fmt.ratio(rates.first / rates.copyAll),
      goal: `>= ${COPY_GOAL}x`,
      met: rates.first / rates.copyAll >= COPY_GOAL,
    },
    { metric: 'first pass / naive', value: fmt.ratio(toNaive), goal: `>= ${NAIVE_GOAL}x`, met: toNaive >= NAIVE_GOAL },
    { metric: 'second pass (Updated)', value: `${fmt.rate(rates.second)} (${fmt.ratio(rates.second / rates.copy)} COPY)` },
    { metric: 'pipeline alone', value: `${fmt.rate(rates.pipeline)} (${fmt.ratio(rates.pipeline / rates.copy)} COPY)` },
    {
      metric: `peak RSS, ${fmt.int(size)}-record call`,
      value: `${fmt.mb(memLarge.peakRss)} (${fmt.int(small)}: ${fmt.mb(memSmall.peakRss)})`,
      goal: `<= ${RSS_GOAL_MB} MB`,
      met: memLarge.peakRss <= RSS_GOAL_MB * 1024 * 1024,
    },
  ];
  return summary;
});

function timed(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

async function inFreshSchema(ctx: BenchContext, tag: string, work: (pool: import('pg').Pool) => Promise<number>): Promise<number> {
  const schema = await ctx.freshSchema(tag);
  try {
    await benchDeps(schema.pool);
    return await work(schema.pool);
  } finally {
    await schema.drop();
  }
}

/** Milliseconds of the first call (every contact new) and of the same call again (every one known). */
async function useCase(ctx: BenchContext, records: unknown[], stored: number): Promise<[number, number]> {
  const schema = await ctx.freshSchema('cp');
  try {
    const deps = await benchDeps(schema.pool);
    const times: number[] = [];
    for (const expected of ['Created', 'Updated'] as const) {
      const started = performance.now();
      const outcome = await createProspects(deps, createProspectsInput(records));
      times.push(performance.now() - started);
      if (outcome.counts[expected] !== stored) {
        throw new Error(`expected ${stored} ${expected}, got ${JSON.stringify(outcome.counts)}`);
      }
    }
    return [times[0]!, times[1]!];
  } finally {
    await schema.drop();
  }
}

interface PassProfile {
  pass: string;
  wallMs: number;
  /** CPU of this node process (pipeline, encoding, answer) and of the Postgres backend serving the call. */
  nodeCpuMs: number;
  backendCpuMs: number | null;
  statements: StatementTime[];
}

async function statementProfile(ctx: BenchContext, records: unknown[]): Promise<PassProfile[]> {
  const schema = await ctx.freshSchema('stmt', 1);
  try {
    const deps = await benchDeps(schema.pool);
    // One connection, so the backend whose CPU is read is the one that serves the call.
    const pid = (await schema.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    if (schema.pool.totalCount !== 1) throw new Error('statementProfile: expected one pooled connection');
    const clock = clockStatements(schema.pool);
    const out: PassProfile[] = [];
    for (const pass of ['first', 'second']) {
      clock.reset();
      const backendBefore = backendCpuMs(pid);
      const nodeBefore = process.cpuUsage();
      const started = performance.now();
      await createProspects(deps, createProspectsInput(records));
      const wallMs = performance.now() - started;
      const node = process.cpuUsage(nodeBefore);
      const backendAfter = backendCpuMs(pid);
      out.push({
        pass,
        wallMs,
        nodeCpuMs: (node.user + node.system) / 1000,
        backendCpuMs: backendBefore === null || backendAfter === null ? null : backendAfter - backendBefore,
        statements: clock.times(),
      });
    }
    return out;
  } finally {
    await schema.drop();
  }
}

/** utime + stime of a local process from /proc; null where Postgres runs elsewhere. */
function backendCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
/** USER_HZ: 100 on every Linux that matters. */
const CLOCK_TICKS = 100;

interface MemoryProbe {
  size: number;
  ms: number;
  rssBefore: number;
  heapBefore: number;
  peakRss: number;
  peakHeap: number;
}

async function memoryProbe(size: number): Promise<MemoryProbe> {
  const script = path.join(__dirname, 'create-prospects-memory.ts');
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', script, String(size)], {
    env: process.env,
    maxBuffer: 1024 * 1024,
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as MemoryProbe;
}
