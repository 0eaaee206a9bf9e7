/**
 * What preview and undo cost (issue 14): a DryRun against the real call it previews, a load that
 * keeps undo data against the same load without it, and the undo of a load. All on the same
 * state in one schema, round robin, so each ratio is measured in the same run. The loads re-post
 * known contacts (all Updated): that is where undo data is written (a pre-image per contact).
 */
import fs from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { inTransaction } from '../src/db/pool';
import { loadProspects, prepareCreateProspects } from '../src/services/create-prospects';
import { importFile, prepareImport } from '../src/services/import-file';
import { previewCreateProspects } from '../src/services/preview-create-prospects';
import { undoRun } from '../src/services/undo-run';
import { BENCH_SKILL, BENCH_SOURCE, benchDeps, createProspectsInput } from './bench-skill';
import { benchRecords } from './prospect-records';
import { benchSection, fmt, median, type BenchContext } from './section';

const DRY_RUN_GOAL = 1.0;
const UNDO_COST_GOAL = 0.85;

export const previewUndoBench = benchSection('preview and undo', async (ctx) => {
  const size = ctx.quick ? 5_000 : 50_000;
  const runs = ctx.quick ? 1 : 5;
  const schema = await ctx.freshSchema('undo');
  const deps = await benchDeps(schema.pool);
  const input = createProspectsInput(benchRecords(size));
  const load = async (keepUndo: boolean) => {
    const prepared = await prepareCreateProspects(deps.pool, deps, input);
    return inTransaction(deps.pool, (client) => loadProspects(client, prepared, { origin: 'Api', keepUndo }));
  };
  await load(true); // every contact known from here on
  const ms = {
    dry: [] as number[],
    withUndo: [] as number[],
    without: [] as number[],
    undo: [] as number[],
    changedWith: [] as number[],
    changedWithout: [] as number[],
    changedUndo: [] as number[],
  };
  // Every contact changed (names, numbers, fields): the same ExternalIDs from another seed, each
  // load sending the other set than the load before it, so every one of them writes whole
  // pre-images and the numbers it replaces.
  const inputs = [input, createProspectsInput(benchRecords(size, 2))];
  let sent = 0;
  const loadChanged = async (keepUndo: boolean) => {
    sent = 1 - sent;
    const prepared = await prepareCreateProspects(deps.pool, deps, inputs[sent]!);
    return inTransaction(deps.pool, (client) => loadProspects(client, prepared, { origin: 'Api', keepUndo }));
  };
  const timed = async <T>(xs: number[], work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const out = await work();
    xs.push(performance.now() - started);
    return out;
  };
  for (let i = 0; i < runs; i++) {
    await timed(ms.dry, () => previewCreateProspects(deps, input));
    // Which load goes first alternates: on a shared box the later of two runs is often the slower.
    if (i % 2 === 1) await timed(ms.without, () => load(false));
    const kept = await timed(ms.withUndo, () => load(true));
    await timed(ms.undo, () => undoRun(deps, kept.runId, 'bench'));
    if (i % 2 === 0) await timed(ms.without, () => load(false));
    // The undo put the other set back: the next load changes every contact again.
    if (i % 2 === 1) await timed(ms.changedWithout, () => loadChanged(false));
    const changed = await timed(ms.changedWith, () => loadChanged(true));
    await timed(ms.changedUndo, () => undoRun(deps, changed.runId, 'bench'));
    sent = 1 - sent;
    if (i % 2 === 0) await timed(ms.changedWithout, () => loadChanged(false));
    if (sent === 1) {
      await load(false); // untimed: the first set again, for the next round's unchanged loads
      sent = 0;
    }
  }
  const rate = (xs: number[]) => size / (median(xs) / 1000);
  const line = (label: string, xs: number[]) =>
    ctx.print(`${label.padEnd(46)} ${fmt.ms(median(xs)).padStart(9)}  ${fmt.rate(rate(xs)).padStart(14)}   runs ${fmt.list(xs)} ms`);
  ctx.print(`${fmt.int(size)} records re-posted (all known: Updated), median of ${runs} run(s), same schema`);
  line('DryRun', ms.dry);
  line('load without undo data', ms.without);
  line('load keeping undo data', ms.withUndo);
  line('undo of that load (all Restored)', ms.undo);
  line('load changing every contact, without undo data', ms.changedWithout);
  line('load changing every contact, keeping undo data', ms.changedWith);
  line('undo of that load (all Restored)', ms.changedUndo);
  const big = ctx.quick ? null : await bigUndo(ctx);
  const dryRatio = median(ms.without) / median(ms.dry);
  const undoRatio = median(ms.without) / median(ms.withUndo);
  const changedRatio = median(ms.changedWithout) / median(ms.changedWith);
  return [
    { metric: 'DryRun / real call', value: fmt.ratio(dryRatio), goal: `>= ${DRY_RUN_GOAL}x`, met: dryRatio >= DRY_RUN_GOAL },
    {
      metric: 'load with undo data / without',
      value: fmt.ratio(undoRatio),
      goal: `>= ${UNDO_COST_GOAL}x`,
      met: undoRatio >= UNDO_COST_GOAL,
    },
    {
      metric: 'same, every contact changed',
      value: fmt.ratio(changedRatio),
      goal: `>= ${UNDO_COST_GOAL}x`,
      met: changedRatio >= UNDO_COST_GOAL,
    },
    { metric: 'undo of a load', value: fmt.rate(rate(ms.undo)) },
    { metric: 'undo of a load that changed every contact', value: fmt.rate(rate(ms.changedUndo)) },
    ...(big
      ? [{ metric: `undo of a ${fmt.int(BIG_UNDO)}-record load`, value: `${fmt.ms(big)} (${fmt.ms(big / (BIG_UNDO / 100_000))} per 100k)` }]
      : []),
  ];
});

const BIG_UNDO = 500_000;

/**
 * The undo of a 500,000-record load that updated every contact (all Restored), in a schema of its
 * own: an undo's slices must keep their plan as the run grows (64 s at this size before its
 * slices were planned with statistics and read the run's data by index). Answers its ms.
 */
async function bigUndo(ctx: BenchContext): Promise<number> {
  const schema = await ctx.freshSchema('undo_big');
  // Past MAX_RECORDS_PER_CALL: an import, one run of 100 batches (transactions) of 5,000.
  const file = path.join(os.tmpdir(), `pf-undo-bench-${process.pid}.ndjson`);
  try {
    const deps = await benchDeps(schema.pool);
    const out = fs.createWriteStream(file);
    for (let first = 0; first < BIG_UNDO; first += 50_000) {
      const lines = benchRecords(50_000, 1, first).map((r) => `${JSON.stringify(r)}\n`);
      if (!out.write(lines.join(''))) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const load = async () => importFile(deps, await prepareImport(deps, { file, SkillNo: BENCH_SKILL, SourceName: BENCH_SOURCE }));
    await load();
    const started = performance.now();
    const kept = await load();
    const loaded = performance.now() - started;
    const undoStarted = performance.now();
    const undone = await undoRun(deps, kept.runId!, 'bench');
    const ms = performance.now() - undoStarted;
    ctx.print(
      `${fmt.int(BIG_UNDO)} records re-imported in ${fmt.ms(loaded)}, undone in ${fmt.ms(ms)} (${Object.entries(undone.counts)
        .map(([code, n]) => `${code} ${fmt.int(n)}`)
        .join(', ')})`,
    );
    return ms;
  } finally {
    await fs.promises.rm(file, { force: true });
    await schema.drop();
  }
}
