import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callableCounts, callableUpToMarks, readDialQueue } from '../../src/db/dial-queue';
import { claimCalls } from '../../src/db/claims';
import { freshSchema, type TestDb } from '../support/db';
import { insertProspects, insertSkills, testPhone } from '../support/prospect-fixtures';

// 10 March 2026, after the US switch to daylight time: New York UTC-4, Chicago UTC-5,
// Los Angeles UTC-7, Honolulu UTC-10 (no daylight time).
const NY_0930_LA_0630 = new Date('2026-03-10T13:30:00Z');
const NY_1400_LA_1100_HNL_0800 = new Date('2026-03-10T18:00:00Z');
const HNL_0759_59 = new Date('2026-03-10T17:59:59Z');
const NY_2059_59 = new Date('2026-03-11T00:59:59Z');
const NY_2100 = new Date('2026-03-11T01:00:00Z');
const NY = 'America/New_York';
const LA = 'America/Los_Angeles';
const HNL = 'Pacific/Honolulu';

let db: TestDb;
let nextSkill = 100;
let phone = 0;

beforeAll(async () => {
  db = await freshSchema('dq');
});
afterAll(async () => db.drop());

async function skill(opts: Partial<Parameters<typeof insertSkills>[1][number]> = {}): Promise<number> {
  const skillNo = nextSkill++;
  await insertSkills(db.pool, [{ skillNo, ...opts }]);
  return skillNo;
}

/** A contact in `zone` with one number per given zone (the contact's own when none given). */
function contact(externalId: string, zone: string, numberZones: string[] = [zone], extra: object = {}) {
  return {
    externalId,
    timeZone: zone,
    destinations: numberZones.map((z) => ({ phone: testPhone(phone++), timeZone: z })),
    ...extra,
  };
}

async function callable(skillNo: number, now: Date): Promise<number> {
  const [c] = await callableCounts(db.pool, now, [skillNo]);
  return c!.callableNow;
}

describe('the calling window', () => {
  it("needs both the number's zone and the contact's zone inside it", async () => {
    const s = await skill();
    await insertProspects(db.pool, s, [contact('ny-with-la-number', NY, [LA]), contact('la-with-ny-number', LA, [NY]), contact('ny', NY)]);
    // New York open, Los Angeles not yet: only the contact whose both zones are New York.
    expect(await callable(s, NY_0930_LA_0630)).toBe(1);
    const early = await claimCalls(db.pool, s, 10, NY_0930_LA_0630);
    expect(early.map((c) => c.externalId)).toEqual(['ny']);
    // Both open later in the day.
    const s2 = await skill();
    await insertProspects(db.pool, s2, [contact('ny-with-la-number', NY, [LA]), contact('la-with-ny-number', LA, [NY])]);
    expect(await callable(s2, NY_1400_LA_1100_HNL_0800)).toBe(2);
  });

  it('includes Start and excludes End, in every zone', async () => {
    const s = await skill();
    await insertProspects(db.pool, s, [contact('ny', NY), contact('hnl', HNL)]);
    expect(await callable(s, NY_2059_59)).toBe(2); // 20:59:59 in New York, 14:59:59 in Honolulu
    expect(await callable(s, NY_2100)).toBe(1); // 21:00 in New York is outside
    expect((await claimCalls(db.pool, s, 10, NY_2100)).map((c) => c.externalId)).toEqual(['hnl']);
    expect(await callable(s, HNL_0759_59)).toBe(1); // New York 13:59:59 yes, Honolulu 07:59:59 no
    const s2 = await skill();
    await insertProspects(db.pool, s2, [contact('hnl', HNL)]);
    expect(await callable(s2, HNL_0759_59)).toBe(0);
    expect(await callable(s2, NY_1400_LA_1100_HNL_0800)).toBe(1); // 08:00 sharp in Honolulu
  });

  it('follows a narrower window, and never one wider than 08:00-21:00 even if a row says so', async () => {
    const narrow = await skill({ windowStart: '10:00', windowEnd: '12:00' });
    await insertProspects(db.pool, narrow, [contact('ny', NY)]);
    expect(await callable(narrow, NY_0930_LA_0630)).toBe(0); // 09:30
    expect(await callable(narrow, new Date('2026-03-10T15:59:00Z'))).toBe(1); // 11:59

    const wide = await skill({ windowStart: '06:00', windowEnd: '23:00' });
    await insertProspects(db.pool, wide, [contact('ny', NY)]);
    expect(await callable(wide, new Date('2026-03-10T11:00:00Z'))).toBe(0); // 07:00
    expect(await callable(wide, new Date('2026-03-11T02:00:00Z'))).toBe(0); // 22:00
    expect(await claimCalls(db.pool, wide, 10, new Date('2026-03-10T11:00:00Z'))).toEqual([]);
  });

  it("hands out each contact's first callable number by position, with that number's zone", async () => {
    const s = await skill();
    await insertProspects(db.pool, s, [contact('a', NY, [LA, NY, NY])]);
    const [early] = await claimCalls(db.pool, s, 1, NY_0930_LA_0630);
    expect(early).toMatchObject({ externalId: 'a', position: 1, timeZone: NY });
    const s2 = await skill();
    await insertProspects(db.pool, s2, [contact('a', NY, [LA, NY])]);
    const [late] = await claimCalls(db.pool, s2, 1, NY_1400_LA_1100_HNL_0800);
    expect(late).toMatchObject({ position: 0, timeZone: LA });
  });
});

describe('what the queue holds', () => {
  it('leaves out expired, finalized and resting contacts, and finalized numbers', async () => {
    const s = await skill();
    const now = NY_1400_LA_1100_HNL_0800;
    const minute = 60_000;
    await insertProspects(db.pool, s, [
      contact('ok', NY),
      contact('expires-later', NY, [NY], { expiresAt: new Date(now.getTime() + minute) }),
      contact('expired', NY, [NY], { expiresAt: now }),
      contact('finalized', NY, [NY], { status: 'Finalized' }),
      contact('resting', NY, [NY], { nextAttemptAt: new Date(now.getTime() + minute) }),
      contact('rested', NY, [NY], { nextAttemptAt: now }),
      contact('claimed', NY, [NY], { claimedUntil: new Date(now.getTime() + minute) }),
      contact('claim-lapsed', NY, [NY], { claimedUntil: now }),
      {
        externalId: 'numbers-finalized',
        timeZone: NY,
        destinations: [{ phone: testPhone(phone++), status: 'Finalized' as const }],
      },
      {
        externalId: 'second-number',
        timeZone: NY,
        destinations: [{ phone: testPhone(phone++), status: 'Finalized' as const }, { phone: testPhone(phone++) }],
      },
    ]);
    const view = await readDialQueue(db.pool, s, now);
    expect(view).toMatchObject({
      activeTotal: 9, // all but the finalized contact
      depth: 8, // and not the expired one
      callableNow: 5, // ok, expires-later, rested, claim-lapsed, second-number
      claimed: 1,
      resting: 1,
      expired: 1,
    });
    const claimed = await claimCalls(db.pool, s, 100, now);
    expect(claimed.map((c) => c.externalId).sort()).toEqual(['claim-lapsed', 'expires-later', 'ok', 'rested', 'second-number'].sort());
    expect(claimed.find((c) => c.externalId === 'second-number')?.position).toBe(1);
  });

  it("answers null for an unknown skill and reads thresholds from the skill's Refill", async () => {
    expect(await readDialQueue(db.pool, 999_999, NY_0930_LA_0630)).toBeNull();
    const lastRefillAt = new Date('2026-03-10T12:00:00Z');
    const withRefill = await skill({ refill: { LowWaterMark: 7, TargetDepth: 70 }, lastRefillAt });
    const without = await skill();
    expect(await readDialQueue(db.pool, withRefill, NY_0930_LA_0630)).toMatchObject({
      lowWaterMark: 7,
      targetDepth: 70,
      refillEnabled: true,
      lastRefillAt,
      depth: 0,
      callableNow: 0,
    });
    expect(await readDialQueue(db.pool, without, NY_0930_LA_0630)).toMatchObject({
      lowWaterMark: null,
      targetDepth: null,
      refillEnabled: false,
      lastRefillAt: null,
    });
  });
});

describe('claims', () => {
  it('hand out the highest Priority first, then the oldest, with Attempt = attempts + 1', async () => {
    const s = await skill();
    await insertProspects(db.pool, s, [
      contact('p1-old', NY, [NY], { priority: 1 }),
      contact('p5', NY, [NY], { priority: 5, attempts: 2 }),
      contact('p1-new', NY, [NY], { priority: 1 }),
      contact('p9', NY, [NY], { priority: 9 }),
    ]);
    const first = await claimCalls(db.pool, s, 3, NY_1400_LA_1100_HNL_0800);
    expect(first.map((c) => c.externalId)).toEqual(['p9', 'p5', 'p1-old']);
    expect(first.map((c) => c.attempt)).toEqual([1, 3, 1]);
    const rest = await claimCalls(db.pool, s, 3, NY_1400_LA_1100_HNL_0800);
    expect(rest.map((c) => c.externalId)).toEqual(['p1-new']);
  });

  it('at equal Priority, hand out contacts never called before retries, and retries as they fell due', async () => {
    const s = await skill();
    const now = NY_1400_LA_1100_HNL_0800;
    const ago = (m: number) => new Date(now.getTime() - m * 60_000);
    await insertProspects(db.pool, s, [
      contact('retry-due-5-min-ago', NY, [NY], { attempts: 1, nextAttemptAt: ago(5) }),
      contact('retry-due-50-min-ago', NY, [NY], { attempts: 1, nextAttemptAt: ago(50) }),
      contact('fresh-old', NY),
      contact('claim-lapsed-10-min-ago', NY, [NY], { claimedUntil: ago(10) }),
      contact('fresh-new', NY),
      contact('higher-priority-retry', NY, [NY], { priority: 1, attempts: 1, nextAttemptAt: ago(1) }),
    ]);
    const claims = await claimCalls(db.pool, s, 10, now);
    expect(claims.map((c) => c.externalId)).toEqual([
      'higher-priority-retry',
      'fresh-old',
      'fresh-new',
      'retry-due-50-min-ago',
      'claim-lapsed-10-min-ago',
      'retry-due-5-min-ago',
    ]);
  });

  it('hold the whole contact until they lapse after 15 minutes', async () => {
    const s = await skill();
    await insertProspects(db.pool, s, [contact('two-numbers', NY, [NY, NY])]);
    const t0 = NY_1400_LA_1100_HNL_0800;
    const [claim] = await claimCalls(db.pool, s, 10, t0);
    expect(claim).toMatchObject({ externalId: 'two-numbers', position: 0 });
    expect(claim!.claimExpiresAt).toEqual(new Date(t0.getTime() + 15 * 60_000));
    expect(await callable(s, t0)).toBe(0);
    const almost = new Date(t0.getTime() + 15 * 60_000 - 1);
    expect(await claimCalls(db.pool, s, 10, almost)).toEqual([]);
    const lapsed = new Date(t0.getTime() + 15 * 60_000);
    expect(await callable(s, lapsed)).toBe(1);
    const [again] = await claimCalls(db.pool, s, 10, lapsed);
    expect(again).toMatchObject({ externalId: 'two-numbers', position: 0 });
    expect(again!.claimId).not.toBe(claim!.claimId);
  });

  it('answer nothing for an unknown skill', async () => {
    expect(await claimCalls(db.pool, 888_888, 10, NY_1400_LA_1100_HNL_0800)).toEqual([]);
  });

  it('never hand one contact to two of 8 concurrent dialers', async () => {
    const s = await skill();
    const zones = [NY, 'America/Chicago', LA];
    await insertProspects(
      db.pool,
      s,
      Array.from({ length: 500 }, (_, i) => contact(`c${i}`, zones[i % 3]!, [zones[i % 3]!, zones[(i + 1) % 3]!], { priority: i % 7 })),
    );
    const now = NY_1400_LA_1100_HNL_0800;
    const dialer = async () => {
      const got: number[] = [];
      for (;;) {
        const claims = await claimCalls(db.pool, s, 7, now);
        if (claims.length === 0) return got;
        got.push(...claims.map((c) => c.prospectId));
      }
    };
    const answers = await Promise.all(Array.from({ length: 8 }, dialer));
    const all = answers.flat();
    expect(all.length).toBe(500);
    expect(new Set(all).size).toBe(500);
    // More than one dialer took part, or the test would prove nothing about concurrency.
    expect(answers.filter((a) => a.length > 0).length).toBeGreaterThan(1);
    const { rows } = await db.pool.query<{ n: number; distinct_prospects: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT prospect_id)::int AS distinct_prospects FROM claims WHERE skill_no = $1',
      [s],
    );
    expect(rows[0]).toEqual({ n: 500, distinct_prospects: 500 });
  });
});

describe('callableCounts', () => {
  it('counts several skills in one call: the ones named, or every refill-enabled one', async () => {
    const now = NY_0930_LA_0630;
    const a = await skill({ refill: { LowWaterMark: 1, TargetDepth: 2 } });
    const b = await skill({ refill: { LowWaterMark: 1, TargetDepth: 2 } });
    const off = await skill();
    await insertProspects(db.pool, a, [contact('1', NY), contact('2', LA), contact('3', NY, [LA, NY])]);
    await insertProspects(db.pool, b, [
      contact('1', NY),
      contact('2', NY, [NY], { expiresAt: now }),
      contact('3', NY, [NY], { claimedUntil: new Date(now.getTime() + 60_000) }),
    ]);
    await insertProspects(db.pool, off, [contact('1', NY)]);

    const named = await callableCounts(db.pool, now, [off, b, a, 777_777]);
    expect(named).toEqual([
      { skillNo: a, depth: 3, callableNow: 2, activeTotal: 3 },
      { skillNo: b, depth: 2, callableNow: 1, activeTotal: 3 },
      { skillNo: off, depth: 1, callableNow: 1, activeTotal: 1 },
    ]);
    const enabled = await callableCounts(db.pool, now);
    expect(enabled.map((c) => c.skillNo)).toContain(a);
    expect(enabled.map((c) => c.skillNo)).toContain(b);
    expect(enabled.map((c) => c.skillNo)).not.toContain(off);
    expect(enabled.find((c) => c.skillNo === b)).toEqual({ skillNo: b, depth: 2, callableNow: 1, activeTotal: 3 });
    expect(await callableCounts(db.pool, now, [])).toEqual([]);
  });
});

describe('callableUpToMarks', () => {
  it('counts callable contacts up to each mark: exact below it, the mark at or above it, the active total only below', async () => {
    const now = NY_0930_LA_0630;
    const s = await skill({ refill: { LowWaterMark: 1, TargetDepth: 2 } });
    await insertProspects(db.pool, s, [
      contact('1', NY),
      contact('2', NY, [LA, NY]),
      contact('3', NY),
      contact('4', NY),
      contact('la', LA), // not callable yet
      contact('expired', NY, [NY], { expiresAt: now }), // active, counted against MaxInventory
      contact('claimed', NY, [NY], { claimedUntil: new Date(now.getTime() + 60_000) }),
    ]);
    const [exact] = await callableCounts(db.pool, now, [s]);
    expect(exact).toMatchObject({ callableNow: 4, activeTotal: 7 });
    for (let mark = 0; mark <= 8; mark++) {
      expect(
        await callableUpToMarks(db.pool, now, [
          { skillNo: s, lowWaterMark: mark },
          { skillNo: 777_777, lowWaterMark: mark },
        ]),
      ).toEqual([{ skillNo: s, callableUpToMark: Math.min(mark, 4), activeTotal: mark > 4 ? 7 : null }]);
    }
    expect(await callableUpToMarks(db.pool, now, [])).toEqual([]);
  });
});
