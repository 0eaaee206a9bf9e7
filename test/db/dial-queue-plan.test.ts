import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callableUpToMarks, callableUpToMarksStatement, dialQueueStatement, readDialQueue } from '../../src/db/dial-queue';
import { freshSchema, type TestDb } from '../support/db';
import { loopsOn, pagesRead } from '../support/plan-pages';
import { insertProspects, insertSkills, testPhone } from '../support/prospect-fixtures';

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

describe("the brain's count under caps: contacts claimed lately, below the smallest cap", () => {
  let db: TestDb;
  const SKILL = 7;
  // 10:00 in New York on a Monday: Florida's hours (8-20) are open.
  const atCap = ['CAP1', 'CAP2'];
  // Three claims 2-4 days ago: not below the smallest cap (3), yet under every cap.
  const near = ['NEAR1', 'NEAR2'];

  beforeAll(async () => {
    db = await freshSchema('dqcaps');
    await insertSkills(db.pool, [{ skillNo: SKILL, compliance: { MaxAttemptsPerNumberPer24h: 3, MaxAttemptsPerContactPer7Days: 7 } }]);
    const ids = await insertProspects(
      db.pool,
      SKILL,
      [...Array.from({ length: 30 }, (_, i) => `E${i}`), ...atCap, ...near].map((externalId, i) => ({
        externalId,
        timeZone: NY,
        state: 'FL',
        destinations: [{ phone: testPhone(i, '305'), state: 'FL' }],
      })),
    );
    // Every contact claimed once two days ago (within the 7-day cap's window); those at cap also
    // three times in the past hours (Florida's cap: 3 in 24 hours), the near ones 3 and 4 days ago.
    await db.pool.query(
      `WITH c AS (
         INSERT INTO claims (claim_id, skill_no, prospect_id, position, attempt, claimed_at, expires_at, phone_number)
         SELECT gen_random_uuid(), $1, p.prospect_id, 0, 1, x.at, x.at + interval '15 minutes', d.phone_number
         FROM prospects p JOIN destinations d ON d.prospect_id = p.prospect_id AND d.position = 0
         CROSS JOIN LATERAL (
           SELECT $2::timestamptz - interval '2 days' AS at
           UNION ALL SELECT $2::timestamptz - make_interval(hours => h) FROM generate_series(1, 3) AS h
           WHERE p.external_id = ANY($3::text[])
           UNION ALL SELECT $2::timestamptz - make_interval(days => n) FROM generate_series(3, 4) AS n
           WHERE p.external_id = ANY($5::text[])
         ) x
         WHERE p.prospect_id = ANY($4::bigint[])
         RETURNING prospect_id, claimed_at)
       UPDATE prospects p SET last_claimed_at = m.at FROM (SELECT prospect_id, max(claimed_at) AS at FROM c GROUP BY 1) m
       WHERE p.prospect_id = m.prospect_id`,
      [SKILL, NOW, atCap, ids, near],
    );
    await db.pool.query('VACUUM ANALYZE prospects, destinations, claims');
  });
  afterAll(async () => db.drop());

  it('counts those under every cap and leaves out those at one', async () => {
    expect(await callableUpToMarks(db.pool, NOW, [{ skillNo: SKILL, lowWaterMark: 1000 }])).toEqual([
      { skillNo: SKILL, callableUpToMark: 32, activeTotal: 34 },
    ]);
  });

  it('reads the numbers only of the contacts at or above the smallest cap (one claims probe for the others)', async () => {
    const statement = callableUpToMarksStatement(NOW, [{ skillNo: SKILL, lowWaterMark: 1000 }]);
    expect(await loopsOn(db.pool, statement, 'destinations')).toBe(atCap.length + near.length);
  });

  it("reads a contact's claims once per number for all its caps, not once per cap", async () => {
    const statement = callableUpToMarksStatement(NOW, [{ skillNo: SKILL, lowWaterMark: 1000 }]);
    // One probe per contact (below the smallest cap?), then one per number read.
    expect(await loopsOn(db.pool, statement, 'claims')).toBe(34 + atCap.length + near.length);
  });
});
