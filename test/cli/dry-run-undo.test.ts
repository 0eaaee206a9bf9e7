import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { setSourceMap } from '../../src/services/set-source-map';
import { putSkill } from '../../src/services/skills';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { cliEnv, runCli } from './cli-process';
import { csvHeader, csvRow, expectedCode, IMPORT_MAPPING, isBadRow } from './import-rows';

const ROWS = 3_000;

describe('prospect-feeder import --dry-run, then import, then undo', () => {
  let db: TestDb;
  let env: Record<string, string>;
  let dir: string;
  const count = async (table: string) => (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

  beforeAll(async () => {
    db = await freshSchema('clidry');
    env = cliEnv(db, uniquePrefix('cli-dry'));
    const deps = { config: loadConfig({}), pool: db.pool, logger: pino({ level: 'silent' }), now: () => new Date() };
    await putSkill(deps, 1, { Name: 'Dry' });
    await setSourceMap(deps, 'crm', IMPORT_MAPPING);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-cli-dry-'));
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('previews with the summary and the failed rows, writes nothing, and the import it previewed is undone', async () => {
    const file = path.join(dir, 'rows.csv');
    fs.writeFileSync(file, csvHeader() + Array.from({ length: ROWS }, (_, i) => csvRow(i)).join(''));
    const bad = Array.from({ length: ROWS }, (_, i) => i).filter(isBadRow);
    const failedOut = path.join(dir, 'failed.csv');

    const dry = await runCli(
      ['import', file, '--skill', '1', '--source', 'crm', '--dry-run', '--batch', '700', '--failed-out', failedOut, '--json'],
      env,
    );
    expect(dry.code).toBe(1);
    const preview = JSON.parse(dry.stdout) as { RunId: number | null; DryRun: boolean; Counts: Record<string, number> };
    const expected: Record<string, number> = {};
    for (let i = 0; i < ROWS; i++) expected[expectedCode(i)] = (expected[expectedCode(i)] ?? 0) + 1;
    expect(preview).toMatchObject({ RunId: null, DryRun: true, Counts: expected });
    expect(fs.readFileSync(failedOut, 'utf8').trimEnd().split('\n')).toHaveLength(bad.length + 1);
    expect(dry.stderr).toMatch(/import: \d+ records/);
    expect({ runs: await count('runs'), prospects: await count('prospects') }).toEqual({ runs: 0, prospects: 0 });

    const real = await runCli(['import', file, '--skill', '1', '--source', 'crm', '--json', '--batch', '700'], env);
    const loaded = JSON.parse(real.stdout) as { RunId: number; Counts: Record<string, number> };
    expect(loaded.Counts).toEqual(preview.Counts);
    expect(await count('prospects')).toBe(ROWS - bad.length);

    const undone = await runCli(['undo', String(loaded.RunId), '--json'], env);
    expect(undone.code).toBe(0);
    expect(JSON.parse(undone.stdout)).toMatchObject({ RunId: loaded.RunId, Summary: { Removed: ROWS - bad.length } });
    expect(await count('prospects')).toBe(0);
    const run = await db.pool.query('SELECT status, undone_by FROM runs WHERE run_id = $1', [loaded.RunId]);
    expect(run.rows[0]).toEqual({ status: 'Undone', undone_by: 'cli' });

    const again = await runCli(['undo', String(loaded.RunId)], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already undone/);
  }, 120_000);
});
