import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialQueueStatement, readDialQueue } from '../../src/db/dial-queue';
import { freshSchema, type TestDb } from '../support/db';
import { pagesRead } from '../support/plan-pages';
import { insertSkills } from '../support/prospect-fixtures';

/** 10:00 in New York. */
const NOW = new Date('2026-03-02T15:00:00Z');
const NY = 'America/New_York';

describe('dial-queue read at size: a small skill beside big ones', () => {
  let db: TestDb;
  // Skill 1 holds 4,000 contacts, skills 2 and 3 100,000 each: the average skill is ~68,000, so a
  // plan made for "some skill" reads the whole table (thousands of pages); one made for skill 1
  // reads its entries of prospects_dial_idx (tens of pages). Pages, not time: the count a plan
  // touches does not depend on the machine's load.
  const sizes = [
    [1, 4_000],
    [2, 100_000],
    [3, 100_000],
  ] as const;

  beforeAll(async () => {
    db = await freshSchema('dqplan');
    await insertSkills(
      db.pool,
      sizes.map(([skillNo]) => ({ skillNo })),
    );
    await db.pool.query('INSERT INTO time_zones (name) VALUES ($1)', [NY]);
    await db.pool.query(`INSERT INTO call_places (place, zone, state, unconsented_mobile) VALUES ($1 || '||', $1, NULL, false)`, [NY]);
    for (const [skillNo, n] of sizes) {
      // Every 10th contact of skill 1 is claimed, every 10th (shifted by 5) resting.
      await db.pool.query(
        `INSERT INTO prospects (skill_no, source_name, external_id, time_zone, time_zone_source, priority, number_zones,
                                number_places, claimed_until, next_attempt_at)
         SELECT $1::int, 'crm', 'X' || i, $3, 'Zip', i % 10, ARRAY[$3], ARRAY[$3 || '||'],
                CASE WHEN i % 10 = 0 THEN $4::timestamptz + interval '5 minutes' END,
                CASE WHEN i % 10 = 5 THEN $4::timestamptz + interval '1 hour' END
         FROM generate_series(1, $2::int) AS i`,
        [skillNo, n, NY, NOW],
      );
    }
    await db.pool.query('VACUUM ANALYZE prospects');
  });
  afterAll(async () => db.drop());

  it('counts exactly', async () => {
    expect(await readDialQueue(db.pool, 1, NOW)).toMatchObject({
      activeTotal: 4_000,
      depth: 4_000,
      claimed: 400,
      resting: 400,
      callableNow: 3_200,
      expired: 0,
    });
  });

  it("reads the skill's own entries, not the table", async () => {
    const { rows } = await db.pool.query<{ relpages: number }>(`SELECT relpages FROM pg_class WHERE oid = 'prospects'::regclass`);
    const pages = await pagesRead(db.pool, dialQueueStatement(1, NOW));
    // The held contacts' rows (800) are fetched from the heap; the rest comes from the index.
    expect(pages).toBeLessThan(rows[0]!.relpages / 4);
  });
});
