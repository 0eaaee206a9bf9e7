import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app-deps';
import { loadConfig } from '../../src/config';
import { setSourceMap } from '../../src/services/set-source-map';
import { putSkill } from '../../src/services/skills';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { cliEnv, runCli } from './cli-process';
import { csvHeader, csvRow, expectedCode, IMPORT_COLUMNS, IMPORT_MAPPING, importRow, isBadRow, ndjsonRow } from './import-rows';

const ROWS = 20_000;
const BAD = Array.from({ length: ROWS }, (_, i) => i).filter(isBadRow);

function writeFile(file: string, header: string, row: (i: number) => string, from: number, to: number): string {
  let text = header;
  for (let i = from; i < to; i++) text += row(i);
  fs.writeFileSync(file, text);
  return file;
}

function expectedCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < ROWS; i++) counts[expectedCode(i)] = (counts[expectedCode(i)] ?? 0) + 1;
  return counts;
}

describe('prospect-feeder import', () => {
  let db: TestDb;
  let env: Record<string, string>;
  let dir: string;
  let deps: AppDeps;
  const runCount = async () => (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM runs')).rows[0]!.n;

  beforeAll(async () => {
    db = await freshSchema('cliimp');
    env = cliEnv(db, uniquePrefix('cli-import'));
    deps = { config: loadConfig({}), pool: db.pool, logger: pino({ level: 'silent' }), now: () => new Date() };
    for (const n of [1, 2, 3, 4]) await putSkill(deps, n, { Name: `Import ${n}` });
    await setSourceMap(deps, 'crm', IMPORT_MAPPING);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-cli-import-'));
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads a 20,000-row CSV as one run, answers exit 1, and writes exactly the failed rows back as CSV', async () => {
    const file = writeFile(path.join(dir, 'rows.csv'), csvHeader(), csvRow, 0, ROWS);
    const failedOut = path.join(dir, 'failed.csv');
    const done = await runCli(['import', file, '--skill', '1', '--source', 'crm', '--failed-out', failedOut], env);
    expect(done.stderr).not.toContain('prospect-feeder:');
    expect(done.code).toBe(1);
    expect(done.stdout).toMatch(/import done: RunId \d+, 20000 records in [\d.]+ s \(\d+ records\/s\), 2000 failed/);
    for (const [code, n] of Object.entries(expectedCounts())) expect(done.stdout).toMatch(new RegExp(`${code}\\s+${n}\\n`));
    // Not a terminal: plain progress lines on stderr.
    expect(done.stderr).toMatch(/import: \d+ records \(\d+% of the file\), \d+ failed, \d+ records\/s/);

    const failed = parse(fs.readFileSync(failedOut, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(failed.map((r) => r.first)).toEqual(BAD.map((i) => `F${i}`));
    for (const r of failed) {
      const i = Number(r.first!.slice(1));
      const { ResultCode, ResultMessage, ...fields } = r;
      expect(fields).toEqual(importRow(i)); // the row as given, quotes and commas included
      expect(ResultCode).toBe(expectedCode(i));
      expect(ResultMessage!.length).toBeGreaterThan(0);
    }
    expect(Object.keys(failed[0]!)).toEqual([...IMPORT_COLUMNS, 'ResultCode', 'ResultMessage']);

    const runs = await db.pool.query('SELECT origin, status, record_count, counts, finished_at FROM runs WHERE skill_no = 1');
    expect(runs.rows).toHaveLength(1);
    expect(runs.rows[0]).toMatchObject({ origin: 'Import', status: 'Completed', record_count: ROWS, counts: expectedCounts() });
    expect(runs.rows[0].finished_at).not.toBeNull();
    const stored = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM prospects WHERE skill_no = 1');
    expect(stored.rows[0]!.n).toBe(ROWS - BAD.length);
  }, 120_000);

  it('loads a 20,000-line NDJSON file, with a JSON summary and the failed records back as NDJSON', async () => {
    const file = writeFile(path.join(dir, 'rows.ndjson'), '', ndjsonRow, 0, ROWS);
    const failedOut = path.join(dir, 'failed.ndjson');
    const done = await runCli(
      ['import', file, '--skill', '2', '--source', 'crm', '--failed-out', failedOut, '--json', '--batch', '3000'],
      env,
    );
    expect(done.code).toBe(1);
    const summary = JSON.parse(done.stdout) as { RunId: number; Records: number; Failed: number; Counts: Record<string, number> };
    expect(summary).toMatchObject({ Records: ROWS, Failed: BAD.length, Counts: expectedCounts() });

    const failed = fs
      .readFileSync(failedOut, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(failed).toHaveLength(BAD.length);
    failed.forEach((r, k) => {
      const i = BAD[k]!;
      const { ResultCode, ResultMessage, ...fields } = r;
      expect(fields).toEqual(importRow(i));
      expect(ResultCode).toBe(expectedCode(i));
      expect(typeof ResultMessage).toBe('string');
    });
    const run = await db.pool.query('SELECT origin, record_count FROM runs WHERE run_id = $1', [summary.RunId]);
    expect(run.rows[0]).toEqual({ origin: 'Import', record_count: ROWS });
  }, 120_000);

  it('exits 0 when every record loaded, and a second import of the same rows answers Updated', async () => {
    const good = Array.from({ length: 300 }, (_, i) => i).filter((i) => !isBadRow(i));
    const file = path.join(dir, 'good.csv');
    fs.writeFileSync(file, csvHeader() + good.map(csvRow).join(''));
    const failedOut = path.join(dir, 'none.csv');
    const first = await runCli(['import', file, '--skill', '3', '--source', 'crm', '--failed-out', failedOut], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`Created\\s+${good.length}\\n`));
    // No row failed: the file holds the header only.
    expect(fs.readFileSync(failedOut, 'utf8')).toBe(`${[...IMPORT_COLUMNS, 'ResultCode', 'ResultMessage'].join(',')}\r\n`);
    const again = await runCli(['import', file, '--skill', '3', '--source', 'crm', '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).Counts).toEqual({ Updated: good.length });
  }, 60_000);

  it.each([
    ['an unknown skill', ['--skill', '999', '--source', 'crm'], 'UnknownSkill'],
    ['an unknown source', ['--skill', '1', '--source', 'nosuch'], 'MissingExternalId'],
    ['a time zone that is not one', ['--skill', '1', '--source', 'crm', '--time-zone-default', 'Mars/Olympus'], 'InvalidTimeZone'],
    ['--no-time-zone-reject without a zone', ['--skill', '1', '--source', 'crm', '--no-time-zone-reject'], 'InvalidTimeZone'],
    ['an unreadable expiration date', ['--skill', '1', '--source', 'crm', '--default-expiration-date', 'someday'], 'InvalidExpirationDate'],
  ])(
    'refuses %s with exit 2 before anything is written',
    async (_what, options, code) => {
      const file = writeFile(path.join(dir, 'small.csv'), csvHeader(), csvRow, 0, 20);
      const failedOut = path.join(dir, `never-${code}.csv`);
      const before = await runCount();
      const done = await runCli(['import', file, ...options, '--failed-out', failedOut], env);
      expect(done.code).toBe(2);
      expect(done.stderr).toContain(`prospect-feeder: ${code}:`);
      expect(done.stderr).not.toMatch(/\n\s+at /);
      expect(await runCount()).toBe(before);
      expect(fs.existsSync(failedOut)).toBe(false);
    },
    30_000,
  );

  it('refuses a missing file and a file of unknown format with exit 2', async () => {
    const before = await runCount();
    const txt = path.join(dir, 'rows.txt');
    fs.writeFileSync(txt, 'id\n1\n');
    const [missing, unknown] = await Promise.all([
      runCli(['import', path.join(dir, 'nope.csv'), '--skill', '1', '--source', 'crm'], env),
      runCli(['import', txt, '--skill', '1', '--source', 'crm'], env),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('FileNotFound');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--format');
    expect(await runCount()).toBe(before);
  }, 30_000);

  it('stops on SIGINT after the batch in hand: exit 130, the run closed as Failed with what it stored', async () => {
    const file = writeFile(path.join(dir, 'long.csv'), csvHeader(), csvRow, 100_000, 100_000 + ROWS);
    let signalled = false;
    const done = await runCli(['import', file, '--skill', '4', '--source', 'crm', '--batch', '200'], env, (line, child) => {
      if (!signalled && line.startsWith('import: ')) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    expect(signalled).toBe(true);
    expect(done.code).toBe(130);
    expect(done.stdout).toContain('import interrupted');
    const run = await db.pool.query<{ status: string; record_count: number; error: string; n: number }>(
      `SELECT status, record_count, error, (SELECT count(*)::int FROM run_results rr WHERE rr.run_id = r.run_id) AS n
       FROM runs r WHERE skill_no = 4`,
    );
    const r = run.rows[0]!;
    expect(r.status).toBe('Failed');
    expect(r.error).toContain('interrupted');
    expect(r.record_count).toBeLessThan(ROWS);
    expect(r.record_count).toBe(r.n);
  }, 60_000);
});
