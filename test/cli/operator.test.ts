import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { cliEnv, dropPrefix, runCli } from './cli-process';
import { csvHeader, csvRow, expectedCode, IMPORT_MAPPING, isBadRow } from './import-rows';

/** The operator commands over one schema, in the order an operator would use them. */
describe('prospect-feeder operator commands', () => {
  let db: TestDb;
  let env: Record<string, string>;
  let dir: string;
  const prefix = uniquePrefix('cli-ops');
  const ROWS = 500;
  let runId = 0;

  beforeAll(async () => {
    db = await freshSchema('cliops');
    env = cliEnv(db, prefix);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pf-cli-ops-'));
    fs.writeFileSync(path.join(dir, 'rows.csv'), csvHeader() + Array.from({ length: ROWS }, (_, i) => csvRow(i)).join(''));
  });
  afterAll(async () => {
    await dropPrefix(db, prefix);
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const json = (file: string, value: unknown) => {
    const p = path.join(dir, file);
    fs.writeFileSync(p, JSON.stringify(value));
    return p;
  };

  it('source-map set stores versions (Created, NoChangesMade, Updated) from either file shape; get reads it back', async () => {
    const created = await runCli(['source-map', 'set', 'crm', json('map.json', IMPORT_MAPPING)], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toBe('SourceName: crm\nVersion: 1\nResult: Created\n');
    const same = await runCli(['source-map', 'set', 'crm', json('wrapped.json', { Mapping: IMPORT_MAPPING }), '--json'], env);
    expect(JSON.parse(same.stdout)).toEqual({ SourceName: 'crm', Version: 1, Result: 'NoChangesMade' });
    const updated = await runCli(['source-map', 'set', 'crm', json('map2.json', { ...IMPORT_MAPPING, City: 'city' })], env);
    expect(updated.stdout).toContain('Version: 2\nResult: Updated');
    const got = await runCli(['source-map', 'get', 'crm', '--json'], env);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual({ SourceName: 'crm', Version: 2, Mapping: { ...IMPORT_MAPPING, City: 'city' } });
  }, 60_000);

  it('source-map refusals exit 2 with the contract code', async () => {
    const [noPhone, badField, notJson, unknown] = await Promise.all([
      runCli(['source-map', 'set', 'crm', json('nophone.json', { ExternalID: 'id' })], env),
      runCli(['source-map', 'set', 'crm', json('badfield.json', { ExternalID: 'id', PhoneNumber: 'p', Shoe: 'x' })], env),
      runCli(['source-map', 'set', 'crm', (fs.writeFileSync(path.join(dir, 'broken.json'), '{'), path.join(dir, 'broken.json'))], env),
      runCli(['source-map', 'get', 'nosuch'], env),
    ]);
    expect([noPhone.code, badField.code, notJson.code, unknown.code]).toEqual([2, 2, 2, 2]);
    expect(noPhone.stderr).toContain('MissingRequiredField');
    expect(badField.stderr).toContain('InvalidFieldName');
    expect(notJson.stderr).toContain('InvalidData');
    expect(unknown.stderr).toContain('UnknownSource');
  }, 60_000);

  it('skill set creates and replaces a skill; skills lists it with its queue; a bad body exits 2', async () => {
    const body = { Name: 'Renewals', Refill: { Enabled: true, SourceName: 'crm', LowWaterMark: 5, TargetDepth: 40 } };
    const created = await runCli(['skill', 'set', '7', json('skill.json', body)], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Result: Created');
    const bad = await runCli(['skill', 'set', '8', json('badskill.json', { Name: '' })], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('InvalidData');
    const imported = await runCli(['import', path.join(dir, 'rows.csv'), '--skill', '7', '--source', 'crm', '--json'], env);
    expect(imported.code).toBe(1);
    runId = (JSON.parse(imported.stdout) as { RunId: number }).RunId;

    const [table, asJson] = await Promise.all([runCli(['skills'], env), runCli(['skills', '--json'], env)]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SkillNo\s+Name\s+Refill\s+Depth\s+CallableNow\s+LowWaterMark\s+TargetDepth$/);
    const loaded = Array.from({ length: ROWS }, (_, i) => i).filter((i) => !isBadRow(i)).length;
    expect(lines[2]).toMatch(new RegExp(`^\\s*7\\s+Renewals\\s+enabled\\s+${loaded}\\s+\\d+\\s+5\\s+40$`));
    const skills = (JSON.parse(asJson.stdout) as { Skills: Record<string, unknown>[] }).Skills;
    expect(skills).toEqual([
      {
        SkillNo: 7,
        Name: 'Renewals',
        RefillEnabled: true,
        Depth: loaded,
        CallableNow: expect.any(Number),
        LowWaterMark: 5,
        TargetDepth: 40,
      },
    ]);
  }, 60_000);

  it('runs lists the import with its failures; --skill filters', async () => {
    const [all, other, asJson] = await Promise.all([
      runCli(['runs'], env),
      runCli(['runs', '--skill', '8'], env),
      runCli(['runs', '--json', '--limit', '1'], env),
    ]);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(new RegExp(`^\\s*${runId}\\s+7\\s+crm\\s+Import\\s+Completed\\s+${ROWS}\\s+${ROWS / 10}\\s`, 'm'));
    expect(other.stdout).toBe('no runs yet\n');
    const runs = (JSON.parse(asJson.stdout) as { Runs: { RunId: number; Origin: string; RecordCount: number }[] }).Runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ RunId: runId, Origin: 'Import', RecordCount: ROWS });
  }, 60_000);

  it('results prints every record in input order; --failed, --json and --csv narrow and reshape it', async () => {
    const [table, failed, asJson, csv] = await Promise.all([
      runCli(['results', String(runId)], env),
      runCli(['results', String(runId), '--failed'], env),
      runCli(['results', String(runId), '--failed', '--json'], env),
      runCli(['results', String(runId), '--csv'], env),
    ]);
    expect(table.code).toBe(0);
    const rows = table.stdout.trimEnd().split('\n').slice(2);
    expect(rows).toHaveLength(ROWS);
    rows.forEach((line, i) => expect(line).toMatch(new RegExp(`^\\s*${i + 1}\\s+\\S+\\s+${expectedCode(i)}\\b`)));

    const bad = Array.from({ length: ROWS }, (_, i) => i).filter(isBadRow);
    expect(failed.stdout.trimEnd().split('\n').slice(2)).toHaveLength(bad.length);
    const lines = asJson.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { RecordNo: number; ResultCode: string; Record: { first: string } });
    expect(lines.map((l) => l.RecordNo)).toEqual(bad.map((i) => i + 1));
    expect(lines.map((l) => l.ResultCode)).toEqual(bad.map(expectedCode));
    expect(lines.map((l) => l.Record.first)).toEqual(bad.map((i) => `F${i}`));

    const records = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(ROWS);
    expect(records[7]).toMatchObject({ RecordNo: '8', ResultCode: expectedCode(7), first: 'F7' });
  }, 60_000);

  it('results of an unknown run exit 2', async () => {
    const done = await runCli(['results', '99999'], env);
    expect(done.code).toBe(2);
    expect(done.stderr).toContain('UnknownRun');
  }, 30_000);

  it('refill queues a job (deduplicated while one waits) and --wait prints its run once a worker ran it', async () => {
    const body = {
      Name: 'Filed',
      Refill: {
        Enabled: false,
        SourceName: 'crm',
        LowWaterMark: 5,
        TargetDepth: 40,
        Connector: { Type: 'file', Path: path.join(dir, 'rows.csv') },
      },
    };
    expect((await runCli(['skill', 'set', '9', json('filed.json', body)], env)).code).toBe(0);
    const [unknown, notConfigured] = await Promise.all([
      runCli(['refill', '--skill', '404'], env),
      runCli(['refill', '--skill', '7'], env),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('UnknownSkill');
    expect(notConfigured.code).toBe(2);
    expect(notConfigured.stderr).toContain('RefillNotConfigured');

    // A skill at its MaxInventory: refused before anything is queued.
    fs.writeFileSync(path.join(dir, 'three.csv'), csvHeader() + [0, 1, 2].map((i) => csvRow(i)).join(''));
    const full = { Name: 'Full', Refill: { ...body.Refill, LowWaterMark: 1, TargetDepth: 3, MaxInventory: 3 } };
    expect((await runCli(['skill', 'set', '10', json('full.json', full)], env)).code).toBe(0);
    expect((await runCli(['import', path.join(dir, 'three.csv'), '--skill', '10', '--source', 'crm'], env)).code).toBe(0);
    const refused = await runCli(['refill', '--skill', '10', '--count', '5'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('InventoryFull');
    expect(refused.stderr).toContain('skill 10 holds 3 active prospects, at or past its MaxInventory of 3');

    // No worker yet: the first job waits, and a second refill answers it.
    const first = await runCli(['refill', '--skill', '9', '--count', '100', '--json'], env);
    expect(first.code).toBe(0);
    const queued = JSON.parse(first.stdout) as { JobId: string; Deduplicated: boolean };
    expect(queued.Deduplicated).toBe(false);
    const second = await runCli(['refill', '--skill', '9'], env);
    expect(second.stdout).toContain(`JobId: ${queued.JobId}\nDeduplicated: yes`);

    let waited: Awaited<ReturnType<typeof runCli>> | undefined;
    const worker = await runCli(['worker'], { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }, (line, child) => {
      if (!line.includes('prospect-feeder is up')) return;
      void runCli(['refill', '--skill', '9', '--count', '100', '--wait', '--timeout', '30'], env)
        .then((r) => (waited = r))
        .finally(() => child.kill('SIGTERM'));
    });
    expect(worker.code).toBe(0);
    expect(waited?.code).toBe(0);
    // Either the job queued above (deduplicated) or a new one after it: both fetch 100 records.
    expect(waited?.stdout).toMatch(/completed: RunId \d+, 100 records fetched/);
    expect(waited?.stdout).toMatch(/(Created|Updated)\s+90\n/);
  }, 90_000);
});
