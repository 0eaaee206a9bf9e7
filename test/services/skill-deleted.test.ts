import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app-deps';
import { loadConfig } from '../../src/config';
import { CallError } from '../../src/services/errors';
import { importFile, prepareImport } from '../../src/services/import-file';
import { setSourceMap } from '../../src/services/set-source-map';
import { putSkill } from '../../src/services/skills';
import { freshSchema, type TestDb } from '../support/db';

// A skill deleted between a call's checks and its write: Postgres's foreign key violation (read
// in src/db/pg-errors.ts) reaches the caller as the use case's own UnknownSkill.
describe('a skill deleted after the checks', () => {
  let db: TestDb;
  let deps: AppDeps;
  let dir: string;
  beforeAll(async () => {
    db = await freshSchema('skillgone');
    deps = { config: loadConfig({}), pool: db.pool, logger: pino({ level: 'silent' }), now: () => new Date('2026-03-02T15:00:00Z') };
    await setSourceMap(deps, 'crm', { ExternalID: 'id', PhoneNumber: 'phone' });
    dir = await mkdtemp(path.join(os.tmpdir(), 'skillgone-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('refuses an import with UnknownSkill and writes no run', async () => {
    await putSkill(deps, 7, { Name: 'Seven' });
    const file = path.join(dir, 'contacts.csv');
    await writeFile(file, 'id,phone\nA1,2125550100\n');
    const prepared = await prepareImport(deps, { file, SkillNo: 7, SourceName: 'crm' });
    await db.pool.query('DELETE FROM skills WHERE skill_no = 7');
    const err = await importFile(deps, prepared).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallError);
    expect(err).toMatchObject({ code: 'UnknownSkill' });
    expect((await db.pool.query('SELECT count(*)::int AS n FROM runs')).rows[0].n).toBe(0);
  });
});
