import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as runs from '../../src/db/runs';
import { freshSchema, type TestDb } from '../support/db';
import { insertSkills } from '../support/prospect-fixtures';

// run_results has no per-row foreign key check (migration 005): a trigger keeps the cascade.
let db: TestDb;
beforeAll(async () => {
  db = await freshSchema('rrcascade');
  await insertSkills(db.pool, [{ skillNo: 1 }, { skillNo: 2 }]);
});
afterAll(async () => db.drop());

async function runWithResults(skillNo: number, count: number): Promise<number> {
  const runId = await runs.createRun(db.pool, { skillNo, sourceName: 'crm', sourceMapVersion: 1, origin: 'Api' });
  await runs.insertRunResults(
    db.pool,
    runId,
    Array.from({ length: count }, (_, seq) => ({
      seq,
      resultCode: 'Created',
      resultMessage: null,
      externalId: `E${seq}`,
      record: { id: `E${seq}` },
    })),
  );
  return runId;
}

const resultCount = async (runId: number) =>
  (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM run_results WHERE run_id = $1', [runId])).rows[0]!.n;

describe('run results follow their run', () => {
  it('go when their run is deleted, directly or with its skill, and no other run loses any', async () => {
    const a = await runWithResults(1, 3);
    const b = await runWithResults(1, 2);
    const c = await runWithResults(2, 4);
    await db.pool.query('DELETE FROM runs WHERE run_id = $1', [a]);
    expect([await resultCount(a), await resultCount(b), await resultCount(c)]).toEqual([0, 2, 4]);
    await db.pool.query('DELETE FROM skills WHERE skill_no = 1');
    expect([await resultCount(b), await resultCount(c)]).toEqual([0, 4]);
  });
});
