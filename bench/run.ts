/**
 * `npm run bench`: every section of bench/sections.ts against DATABASE_URL / REDIS_URL (the test
 * defaults), each in schemas of its own that are dropped at the end, then one summary table.
 * BENCH_QUICK=1 runs small sizes once each, to check the bench itself; BENCH_ONLY=<name,...> runs
 * the sections whose name contains one of the words.
 */
import { dropBenchSchemas } from './bench-schema';
import { benchContext, type SummaryLine } from './section';
import { SECTIONS } from './sections';

async function main(): Promise<number> {
  const quick = process.env.BENCH_QUICK === '1';
  const only = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const sections = SECTIONS.filter((s) => only.length === 0 || only.some((w) => s.name.includes(w)));
  const started = Date.now();
  console.log(`prospect-feeder bench${quick ? ' (BENCH_QUICK)' : ''}: node ${process.version}, pid ${process.pid}`);
  const summary: { section: string; line: SummaryLine }[] = [];
  let failed = false;
  try {
    for (const section of sections) {
      console.log(`\n== ${section.name} ${'='.repeat(Math.max(0, 90 - section.name.length))}`);
      const ctx = benchContext(quick, (line = '') => console.log(`  ${line}`));
      try {
        for (const line of await section.run(ctx)) summary.push({ section: section.name, line });
      } catch (err) {
        failed = true;
        console.log(`  FAILED: ${(err as Error).stack ?? String(err)}`);
        summary.push({ section: section.name, line: { metric: 'section failed', value: (err as Error).message } });
      }
    }
  } finally {
    await dropBenchSchemas();
  }
  printSummary(summary);
  console.log(`\nbench took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return failed ? 1 : 0;
}

function printSummary(rows: { section: string; line: SummaryLine }[]): void {
  const table = [
    ['section', 'metric', 'value', 'goal', ''],
    ...rows.map(({ section, line }) => [
      section,
      line.metric,
      line.value,
      line.goal ?? '',
      line.met === undefined ? '' : line.met ? 'ok' : 'MISSED',
    ]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  const render = (r: string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  console.log(`\n== summary ${'='.repeat(84)}`);
  console.log(render(table[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table.slice(1)) console.log(render(r));
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
