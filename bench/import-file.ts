/**
 * The CLI's streamed import of a big file, end to end: records per second and the peak memory
 * of the `prospect-feeder import` process.
 * `npx tsx bench/import-file.ts [rows=1000000] [csv|ndjson] [batch=5000]` against DATABASE_URL;
 * writes the file to the temp folder (kept between runs), works in a schema of its own and drops
 * it afterwards. Needs GNU time (/usr/bin/time) for the peak resident set size.
 *
 * Rows are those of the CLI tests (test/cli/import-rows.ts): 10% bad in five kinds, duplicates
 * across batches included, so the run exercises the failure paths and the ExternalID set.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { migrate } from '../src/db/migrate';
import { createPool } from '../src/db/pool';
import { setSourceMap } from '../src/services/set-source-map';
import { putSkill } from '../src/services/skills';
import { csvHeader, csvRow, IMPORT_MAPPING, ndjsonRow } from '../test/cli/import-rows';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const ROWS = Number(process.argv[2] ?? 1_000_000);
const FORMAT = process.argv[3] === 'ndjson' ? 'ndjson' : 'csv';
const BATCH = process.argv[4] ?? '5000';
const BIN = path.resolve(__dirname, '..', 'bin', 'prospect-feeder.js');

function ensureFile(): string {
  const file = path.join(os.tmpdir(), `pf-import-bench-${ROWS}.${FORMAT}`);
  if (fs.existsSync(file)) return file;
  const fd = fs.openSync(file, 'w');
  let text = FORMAT === 'csv' ? csvHeader() : '';
  for (let i = 0; i < ROWS; i++) {
    text += FORMAT === 'csv' ? csvRow(i) : ndjsonRow(i);
    if (text.length > 1 << 20) {
      fs.writeSync(fd, text);
      text = '';
    }
  }
  fs.writeSync(fd, text);
  fs.closeSync(fd);
  return file;
}

async function main(): Promise<void> {
  const file = ensureFile();
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = createPool(DATABASE_URL, { schema });
  try {
    await migrate(pool);
    const deps = { config: loadConfig({}), pool, logger: pino({ level: 'silent' }), now: () => new Date() };
    await putSkill(deps, 1, { Name: 'Import bench' });
    await setSourceMap(deps, 'crm', IMPORT_MAPPING);

    const url = `${DATABASE_URL}${DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const run = spawnSync('/usr/bin/time', ['-v', process.execPath, BIN, 'import', file, '--skill', '1', '--source', 'crm', '--json', '--batch', BATCH], {
      env: { ...process.env, DATABASE_URL: url },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const summary = JSON.parse(run.stdout) as { Records: number; Failed: number; Seconds: number; RecordsPerSecond: number };
    const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1] ?? NaN);
    const wall = /Elapsed \(wall clock\) time[^:]*: (.+)/.exec(run.stderr)?.[1];
    console.log(
      JSON.stringify({
        rows: ROWS,
        format: FORMAT,
        batch: Number(BATCH),
        fileMb: Math.round(fs.statSync(file).size / 1e6),
        exitCode: run.status,
        records: summary.Records,
        failed: summary.Failed,
        importSeconds: summary.Seconds,
        recordsPerSecond: summary.RecordsPerSecond,
        processWallClock: wall,
        peakRssMb: Math.round(peakKb / 1024),
      }),
    );
  } finally {
    await pool.end();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
