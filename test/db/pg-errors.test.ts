import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isForeignKeyViolation } from '../../src/db/pg-errors';
import * as prospects from '../../src/db/prospects';
import * as runs from '../../src/db/runs';
import { freshSchema, type TestDb } from '../support/db';
import { insertSkills, prospectRow } from '../support/prospect-fixtures';

let db: TestDb;
beforeAll(async () => {
  db = await freshSchema('pgerrors');
  await insertSkills(db.pool, [{ skillNo: 1 }]);
});
afterAll(async () => db.drop());

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe('isForeignKeyViolation', () => {
  it('tells a write naming a missing skill, by a foreign key or by lock_prospect_skill', async () => {
    const run = await failure(runs.createRun(db.pool, { skillNo: 404, sourceName: 'crm', sourceMapVersion: 1, origin: 'Import' }));
    expect(run).toBeInstanceOf(Error);
    expect(isForeignKeyViolation(run)).toBe(true);
    const ctx = { skillNo: 404, sourceName: 'crm', sourceMapVersion: 1, runId: null };
    const upsert = await failure(prospects.upsertProspects(db.pool, ctx, [prospectRow('A1')]));
    expect(upsert).toBeInstanceOf(Error);
    expect(isForeignKeyViolation(upsert)).toBe(true);
  });

  it('is false for any other error', async () => {
    const duplicate = await failure(db.pool.query(`INSERT INTO skills (skill_no, name, body) SELECT skill_no, name, body FROM skills`));
    expect(duplicate).toMatchObject({ code: '23505' });
    expect(isForeignKeyViolation(duplicate)).toBe(false);
    for (const other of [new Error('23503'), { code: 23503 }, null, undefined, '23503']) expect(isForeignKeyViolation(other)).toBe(false);
  });
});
