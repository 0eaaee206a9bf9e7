/**
 * What preview and undo cost (issue 14): a DryRun against the real call it previews, a load that
 * keeps undo data against the same load without it, and the undo of a load. All on the same
 * state in one schema, round robin, so each ratio is measured in the same run. The loads re-post
 * known contacts (all Updated): that is where undo data is written (a pre-image per contact).
 */
import { inTransaction } from '../src/db/pool';
import { loadProspects, prepareCreateProspects } from '../src/services/create-prospects';
import { previewCreateProspects } from '../src/services/preview-create-prospects';
import { undoRun } from '../src/services/undo-run';
import { benchDeps, createProspectsInput } from './bench-skill';
import { benchRecords } from './prospect-records';
import { benchSection, fmt, median } from './section';

const DRY_RUN_GOAL = 1.0;
const UNDO_COST_GOAL = 0.85;

export const previewUndoBench = benchSection('preview and undo', async (ctx) => {
  const size = ctx.quick ? 5_000 : 50_000;
  const runs = ctx.quick ? 1 : 3;
  const schema = await ctx.freshSchema('undo');
  const deps = await benchDeps(schema.pool);
  const input = createProspectsInput(benchRecords(size));
  const load = async (keepUndo: boolean) => {
    const prepared = await prepareCreateProspects(deps.pool, deps, input);
    return inTransaction(deps.pool, (client) => loadProspects(client, prepared, { origin: 'Api', keepUndo }));
  };
  await load(true); // every contact known from here on
  const ms = { dry: [] as number[], withUndo: [] as number[], without: [] as number[], undo: [] as number[] };
  const timed = async <T>(xs: number[], work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const out = await work();
    xs.push(performance.now() - started);
    return out;
  };
  for (let i = 0; i < runs; i++) {
    await timed(ms.dry, () => previewCreateProspects(deps, input));
    await timed(ms.without, () => load(false));
    const kept = await timed(ms.withUndo, () => load(true));
    await timed(ms.undo, () => undoRun(deps, kept.runId, 'bench'));
  }
  const rate = (xs: number[]) => size / (median(xs) / 1000);
  const line = (label: string, xs: number[]) =>
    ctx.print(`${label.padEnd(46)} ${fmt.ms(median(xs)).padStart(9)}  ${fmt.rate(rate(xs)).padStart(14)}   runs ${fmt.list(xs)} ms`);
  ctx.print(`${fmt.int(size)} records re-posted (all known: Updated), median of ${runs} run(s), same schema`);
  line('DryRun', ms.dry);
  line('load without undo data', ms.without);
  line('load keeping undo data', ms.withUndo);
  line('undo of that load (all Restored)', ms.undo);
  const dryRatio = median(ms.without) / median(ms.dry);
  const undoRatio = median(ms.without) / median(ms.withUndo);
  return [
    { metric: 'DryRun / real call', value: fmt.ratio(dryRatio), goal: `>= ${DRY_RUN_GOAL}x`, met: dryRatio >= DRY_RUN_GOAL },
    {
      metric: 'load with undo data / without',
      value: fmt.ratio(undoRatio),
      goal: `>= ${UNDO_COST_GOAL}x`,
      met: undoRatio >= UNDO_COST_GOAL,
    },
    { metric: 'undo of a load', value: fmt.rate(rate(ms.undo)) },
  ];
});
