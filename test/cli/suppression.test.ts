import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { cliEnv, runCli } from './cli-process';

describe('prospect-feeder suppression import / check', () => {
  let db: TestDb;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    db = await freshSchema('clidnc');
    env = cliEnv(db, uniquePrefix('cli-dnc'));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-cli-dnc-'));
    await db.pool.query(`INSERT INTO suppression_lists (name) VALUES ('internal')`);
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };

  it('loads a file of numbers, one a line, counting invalid lines (exit 1); a re-import leaves them as they were', async () => {
    const numbers = file('numbers.txt', '(212) 555-0100\n212-555-0101\n\nnot a number\n+1 212 555 0100\n12345\n');
    const first = await runCli(['suppression', 'import', numbers, '--list', 'internal', '--json', '--no-progress'], env);
    expect(first.code, first.stderr).toBe(1);
    expect(JSON.parse(first.stdout)).toMatchObject({ Lines: 5, Added: 2, Updated: 0, Invalid: 2, InvalidLines: [4, 6] });
    expect(first.stdout + first.stderr).not.toContain('5550100');
    const again = await runCli(['suppression', 'import', numbers, '--list', 'internal', '--json', '--no-progress'], env);
    // Already there for good: no history row, the first import still their add (a monthly registry
    // re-import would otherwise write millions of history rows, kept five years).
    expect(JSON.parse(again.stdout)).toMatchObject({ Added: 0, Updated: 0, Unchanged: 2, Invalid: 2 });
    expect((await db.pool.query('SELECT count(*)::int AS n FROM suppression_history')).rows[0].n).toBe(0);
    const { rows } = await db.pool.query(`SELECT b.source, b.file_name, b.role FROM suppression_batches b ORDER BY batch_id`);
    expect(rows).toEqual([
      { source: 'Import', file_name: 'numbers.txt', role: null },
      { source: 'Import', file_name: 'numbers.txt', role: null },
    ]);
  });

  it('reads the PhoneNumber column of a CSV (exit 0 when every line loads)', async () => {
    const csv = file('numbers.csv', 'Name,PhoneNumber\n"Doe, Jane",(646) 555-0100\nJoe,+16465550101\n');
    const run = await runCli(['suppression', 'import', csv, '--list', 'internal'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Added 2, Updated 0, Unchanged 0, not valid numbers 0/);
  });

  it('refuses an unknown list or a missing file before writing anything (exit 2)', async () => {
    const before = (await db.pool.query(`SELECT count(*)::int AS n FROM suppression_batches`)).rows[0].n;
    const unknown = await runCli(['suppression', 'import', file('x.txt', '2125550199\n'), '--list', 'nope'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/UnknownList/);
    const missing = await runCli(['suppression', 'import', path.join(dir, 'absent.txt'), '--list', 'internal'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/FileNotFound/);
    const builtIn = await runCli(['suppression', 'import', file('y.txt', '2125550199\n'), '--list', 'Revocations'], env);
    expect(builtIn.code).toBe(2);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM suppression_batches`)).rows[0].n).toBe(before);
  });

  it('check answers whether a number is suppressed, by what', async () => {
    const yes = await runCli(['suppression', 'check', '212-555-0100', '--json'], env);
    expect(yes.code).toBe(0);
    expect(JSON.parse(yes.stdout)).toMatchObject({
      PhoneNumber: '+12125550100',
      Suppressed: true,
      Matches: [{ ListName: 'internal', PhoneNumber: '+12125550100' }],
    });
    const no = await runCli(['suppression', 'check', '+12125550199'], env);
    expect(no.stdout).toBe('+12125550199 is not suppressed\n');
    const bad = await runCli(['suppression', 'check', '123'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/InvalidPhoneNumber/);
  });
});
