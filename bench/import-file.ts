/**
 * The CLI's streamed import of a big file, end to end: records per second and the peak memory
 * of the `prospect-feeder import` process itself (its VmHWM, as GNU time's maximum resident set
 * size reports it for the child: the bench's own memory is not in it). The section imports
 * 100,000 and 1,000,000 rows (BENCH_QUICK: 10,000 and 50,000), each into a schema of its own, so
 * the two peaks show whether memory stays flat as the file grows.
 *
 * Alone: `npx tsx bench/import-file.ts [rows=1000000] [csv|ndjson] [batch=5000]` against
 * DATABASE_URL prints one JSON line. The file is written to the temp folder (kept between runs).
 *
 * Rows are those of the CLI tests (test/cli/import-rows.ts): 10% bad in five kinds, duplicates
 * across batches included, so the run exercises the failure paths and the ExternalID set.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { setSourceMap } from '../src/services/set-source-map';
import { putSkill } from '../src/services/skills';
import { csvHeader, csvRow, IMPORT_MAPPING, ndjsonRow } from '../test/cli/import-rows';
import { benchSchema, dropBenchSchemas } from './bench-schema';
import { benchSection, DATABASE_URL, fmt, type SummaryLine } from './section';

const BIN = path.resolve(__dirname, '..', 'bin', 'prospect-feeder.js');
/** The issue's goal: the import's own peak, whatever the file's size. */
const PEAK_GOAL_MB = 300;

type Format = 'csv' | 'ndjson';

export interface ImportRun {
  rows: number;
  format: Format;
  batch: number;
  fileMb: number;
  exitCode: number | null;
  records: number;
  failed: number;
  importSeconds: number;
  recordsPerSecond: number;
  processWallClock: string | undefined;
  peakRssMb: number;
}

function ensureFile(rows: number, format: Format): string {
  const file = path.join(os.tmpdir(), `pf-import-bench-${rows}.${format}`);
  return writeOnce(file, format === 'csv' ? csvHeader() : '', rows, (i) => (format === 'csv' ? csvRow(i) : ndjsonRow(i)));
}

/**
 * Writes `head` and `lines(0..count-1)` to `file` in 1 MB writes, unless it is already there
 * (bench files are kept between runs); a run stopped part way leaves only a `.part` file.
 */
export function writeOnce(file: string, head: string, count: number, lines: (i: number) => string): string {
  if (fs.existsSync(file)) return file;
  const fd = fs.openSync(`${file}.part`, 'w');
  let text = head;
  for (let i = 0; i < count; i++) {
    text += lines(i);
    if (text.length > 1 << 20) {
      fs.writeSync(fd, text);
      text = '';
    }
  }
  fs.writeSync(fd, text);
  fs.closeSync(fd);
  fs.renameSync(`${file}.part`, file);
  return file;
}

/** One `prospect-feeder import` of `rows` rows into a fresh schema, measured by GNU time. */
export async function importRun(rows: number, format: Format = 'csv', batch = 5_000): Promise<ImportRun> {
  const file = ensureFile(rows, format);
  const schema = await benchSchema(DATABASE_URL, 'import', 2);
  try {
    const deps = { config: loadConfig({}), pool: schema.pool, logger: pino({ level: 'silent' }), now: () => new Date() };
    await putSkill(deps, 1, { Name: 'Import bench' });
    await setSourceMap(deps, 'crm', IMPORT_MAPPING);
    const url = `${DATABASE_URL}${DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema.name}`)}`;
    const args = [
      '-v',
      process.execPath,
      BIN,
      'import',
      file,
      '--skill',
      '1',
      '--source',
      'crm',
      '--json',
      '--no-progress',
      '--batch',
      String(batch),
    ];
    const run = spawnSync('/usr/bin/time', args, {
      env: { ...process.env, DATABASE_URL: url },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (!run.stdout) throw new Error(`the import printed nothing (exit ${run.status}): ${run.stderr.slice(-2_000)}`);
    const summary = JSON.parse(run.stdout) as { Records: number; Failed: number; Seconds: number; RecordsPerSecond: number };
    // GNU time's "Maximum resident set size" is the child's ru_maxrss: its VmHWM at exit.
    const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1] ?? NaN);
    return {
      rows,
      format,
      batch,
      fileMb: Math.round(fs.statSync(file).size / 1e6),
      exitCode: run.status,
      records: summary.Records,
      failed: summary.Failed,
      importSeconds: summary.Seconds,
      recordsPerSecond: summary.RecordsPerSecond,
      processWallClock: /Elapsed \(wall clock\) time[^:]*: (.+)/.exec(run.stderr)?.[1],
      peakRssMb: Math.round(peakKb / 1024),
    };
  } finally {
    await schema.drop();
  }
}

export const importFileBench = benchSection('import file (CLI)', async (ctx) => {
  const sizes = ctx.quick ? [10_000, 50_000] : [100_000, 1_000_000];
  const summary: SummaryLine[] = [];
  const peaks: number[] = [];
  for (const rows of sizes) {
    const r = await importRun(rows);
    peaks.push(r.peakRssMb);
    if (r.records !== rows) throw new Error(`imported ${r.records} of ${rows} rows`);
    ctx.print(
      `${fmt.int(rows)} rows (${r.fileMb} MB CSV): ${fmt.rate(r.recordsPerSecond)}, peak RSS ${r.peakRssMb} MB (goal < ${PEAK_GOAL_MB} MB), ${r.failed} failed`,
    );
    summary.push(
      {
        metric: `import ${fmt.int(rows)} rows: peak RSS`,
        value: `${r.peakRssMb} MB`,
        goal: `< ${PEAK_GOAL_MB} MB`,
        met: r.peakRssMb < PEAK_GOAL_MB,
      },
      { metric: `import ${fmt.int(rows)} rows: rate`, value: fmt.rate(r.recordsPerSecond) },
    );
  }
  // Flat: what grows with the file is the set of ExternalIDs seen (~34 MB per 1,000,000 IDs).
  const growth = peaks[1]! - peaks[0]!;
  ctx.print(`peak RSS from ${fmt.int(sizes[0]!)} to ${fmt.int(sizes[1]!)} rows: ${growth >= 0 ? '+' : ''}${growth} MB`);
  summary.push({ metric: `import peak RSS growth, ${fmt.int(sizes[0]!)} -> ${fmt.int(sizes[1]!)} rows`, value: `${growth} MB` });
  return summary;
});

if (require.main === module) {
  importRun(Number(process.argv[2] ?? 1_000_000), process.argv[3] === 'ndjson' ? 'ndjson' : 'csv', Number(process.argv[4] ?? 5_000))
    .then((r) => console.log(JSON.stringify(r)))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(() => dropBenchSchemas());
}
