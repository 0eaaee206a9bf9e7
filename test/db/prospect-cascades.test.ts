import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as prospects from '../../src/db/prospects';
import { freshSchema, type TestDb } from '../support/db';
import { insertProspects, insertSkills, prospectRow, testPhone } from '../support/prospect-fixtures';

// Neither prospects nor destinations check a foreign key per row (migrations 007 and 009): triggers
// keep the cascades, and a load's locks (its prospect rows, its skill's row) keep a concurrent
// delete from orphaning what it writes.
let db: TestDb;
beforeAll(async () => {
  db = await freshSchema('destcascade');
  await insertSkills(db.pool, [{ skillNo: 1 }, { skillNo: 2 }]);
});
afterAll(async () => db.drop());

const numbersOf = async (ids: number[]) =>
  (
    await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM destinations WHERE prospect_id = ANY($1::bigint[]) GROUP BY prospect_id ORDER BY min(prospect_id)',
      [ids],
    )
  ).rows.map((r) => r.n);
const orphans = async () =>
  (
    await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM destinations d WHERE NOT EXISTS (SELECT 1 FROM prospects p WHERE p.prospect_id = d.prospect_id)',
    )
  ).rows[0]!.n;
const prospectsOf = async (skillNo: number) =>
  (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM prospects WHERE skill_no = $1', [skillNo])).rows[0]!.n;
const twoNumbers = (n: number) => [{ phone: testPhone(2 * n) }, { phone: testPhone(2 * n + 1) }];

describe('destinations follow their prospect', () => {
  it('go when their prospect is removed, or deleted with its skill, and no other prospect loses any', async () => {
    const [a, b] = await insertProspects(db.pool, 1, [
      { externalId: 'A', timeZone: 'America/New_York', destinations: twoNumbers(1) },
      { externalId: 'B', timeZone: 'America/New_York', destinations: twoNumbers(2) },
    ]);
    const [c] = await insertProspects(db.pool, 2, [{ externalId: 'C', timeZone: 'America/New_York', destinations: twoNumbers(3) }]);
    expect(await numbersOf([a!, b!, c!])).toEqual([2, 2, 2]);

    expect(await prospects.removeProspects(db.pool, 1, 'crm', ['A'])).toEqual(new Set(['A']));
    expect(await numbersOf([a!, b!, c!])).toEqual([2, 2]);
    expect(await numbersOf([b!, c!])).toEqual([2, 2]);

    await db.pool.query('DELETE FROM skills WHERE skill_no = 1');
    expect([await prospectsOf(1), await prospectsOf(2)]).toEqual([0, 1]);
    expect(await numbersOf([b!, c!])).toEqual([2]);
    expect(await numbersOf([c!])).toEqual([2]);
    expect(await orphans()).toBe(0);
  });

  it('a delete racing a load that re-posts a contact waits for it, then takes the new numbers too', async () => {
    const [known] = await insertProspects(db.pool, 2, [{ externalId: 'RACE', timeZone: 'America/Chicago', destinations: twoNumbers(4) }]);
    const row = prospectRow('RACE', [testPhone(90, '312')], { timeZone: 'America/Chicago' });
    const ctx = { skillNo: 2, sourceName: 'crm', sourceMapVersion: 1, runId: null };
    const load = await db.pool.connect();
    const remover = await db.pool.connect();
    try {
      await load.query('BEGIN');
      const [stored] = await prospects.upsertProspects(load, ctx, [row]);
      expect(stored).toMatchObject({ prospectId: known, created: false });
      // The load holds the contact's row; the delete comes before its new numbers are written.
      await remover.query('BEGIN');
      const removing = prospects.removeProspects(remover, 2, 'crm', ['RACE']).then(async (gone) => {
        await remover.query('COMMIT');
        return gone;
      });
      // Give the delete time to reach the lock it waits on.
      await waitUntilBlocked(remover);
      await prospects.replaceDestinations(load, [known!], [{ prospectId: stored!.prospectId, position: 0, ...row.destinations[0]! }]);
      await load.query('COMMIT');
      expect(await removing).toEqual(new Set(['RACE']));
      expect(await numbersOf([stored!.prospectId])).toEqual([]);
      expect(await orphans()).toBe(0);
    } finally {
      load.release();
      remover.release();
    }
  });

  it('a skill deleted during a load waits for it, then takes its prospects and their numbers', async () => {
    await insertSkills(db.pool, [{ skillNo: 3 }]);
    const row = prospectRow('S3', [testPhone(91, '303')], { timeZone: 'America/Denver' });
    const load = await db.pool.connect();
    try {
      await load.query('BEGIN');
      const [stored] = await prospects.upsertProspects(load, { skillNo: 3, sourceName: 'crm', sourceMapVersion: 1, runId: null }, [row]);
      const deleting = db.pool.query('DELETE FROM skills WHERE skill_no = 3 /* prospect-cascades: skill race */');
      await waitUntilBlocked(await backendRunning('prospect-cascades: skill race'));
      await prospects.replaceDestinations(load, [], [{ prospectId: stored!.prospectId, position: 0, ...row.destinations[0]! }]);
      await load.query('COMMIT');
      expect((await deleting).rowCount).toBe(1);
      expect(await prospectsOf(3)).toBe(0);
      expect(await orphans()).toBe(0);
    } finally {
      load.release();
    }
  });

  it('refuses to store prospects for a skill that is gone, as the foreign key did', async () => {
    await expect(
      prospects.upsertProspects(db.pool, { skillNo: 404, sourceName: 'crm', sourceMapVersion: 1, runId: null }, [prospectRow('X')]),
    ).rejects.toMatchObject({ code: '23503', message: expect.stringContaining('skill 404 does not exist') });
    expect(await prospectsOf(404)).toBe(0);
  });
});

/** The pid of the backend running the statement marked `marker` (a comment in its text). */
async function backendRunning(marker: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await db.pool.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()',
      [`%${marker}%`],
    );
    if (rows[0]) return rows[0].pid;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no backend runs the statement marked ${marker}`);
}

/** Resolves once the backend (a client's, or a pid) waits on a lock. */
async function waitUntilBlocked(backend: import('pg').PoolClient | number): Promise<void> {
  const pid = typeof backend === 'number' ? backend : (backend as unknown as { processID: number }).processID;
  for (let i = 0; i < 200; i++) {
    const { rows } = await db.pool.query<{ waiting: boolean }>(
      "SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1",
      [pid],
    );
    if (rows[0]?.waiting) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the delete never waited on the load');
}
