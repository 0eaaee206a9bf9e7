import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDialQueue, type DialQueueView } from '../../src/db/dial-queue';
import { DIAL_QUEUE_FRESHNESS, freshness, type FreshnessRule } from '../../src/domain/count-freshness';
import { FreshCounts } from '../../src/services/fresh-counts';
import { freshSchema, type TestDb } from '../support/db';
import { insertProspects, insertSkills, testPhone } from '../support/prospect-fixtures';

const NY = 'America/New_York';
/** 10:00 in New York. */
const START = Date.parse('2026-03-02T15:00:00Z');

describe('dial-queue counts served from a copy', () => {
  let db: TestDb;
  let added = 0;

  beforeAll(async () => {
    db = await freshSchema('dqfresh');
    await db.pool.query('INSERT INTO time_zones (name) VALUES ($1)', [NY]);
  });
  afterAll(async () => db.drop());

  /** Adds one contact to the skill. */
  async function addContact(skillNo: number): Promise<void> {
    added += 1;
    await insertProspects(db.pool, skillNo, [{ externalId: `C${added}`, timeZone: NY, destinations: [{ phone: testPhone(added) }] }]);
  }

  /** Every count served from a copy, as the big skills' are (the rule's threshold at 0). */
  const everyCountSlow: FreshnessRule = { ...DIAL_QUEUE_FRESHNESS, exactBelowMs: 0 };

  it('never serves a count taken more than a second before the request, and serves what was there then', async () => {
    let skillNo = 100;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ advanceMs: fc.integer({ min: 0, max: 1_500 }), write: fc.boolean() }), { minLength: 1, maxLength: 12 }),
        async (steps) => {
          skillNo += 1;
          await insertSkills(db.pool, [{ skillNo }]);
          let clock = START;
          // Depth of the skill at each clock time a write happened (writes only add).
          const depthAt: { at: number; depth: number }[] = [{ at: clock, depth: 0 }];
          const counts = new FreshCounts<DialQueueView | null>({
            rule: everyCountSlow,
            now: () => new Date(clock),
            count: (n, at) => readDialQueue(db.pool, n, at),
            watchMs: 0,
          });
          for (const step of steps) {
            clock += step.advanceMs;
            if (step.write) {
              clock += 1;
              await addContact(skillNo);
              depthAt.push({ at: clock, depth: depthAt[depthAt.length - 1]!.depth + 1 });
            }
            const served = await counts.read(skillNo);
            expect(clock - served.takenAt).toBeGreaterThanOrEqual(0);
            expect(clock - served.takenAt).toBeLessThanOrEqual(DIAL_QUEUE_FRESHNESS.maxAgeMs);
            // At least what was there when it was taken, at most what is there now (a count started
            // in the background may see a later write).
            const then = depthAt.filter((d) => d.at <= served.takenAt).at(-1)!.depth;
            expect(served.value!.depth).toBeGreaterThanOrEqual(then);
            expect(served.value!.depth).toBeLessThanOrEqual(depthAt.at(-1)!.depth);
          }
          counts.close();
        },
      ),
      { numRuns: 25 },
    );
  });

  it('counts again for every request where counting is fast: those answers are exact', async () => {
    await insertSkills(db.pool, [{ skillNo: 1 }]);
    let counted = 0;
    const counts = new FreshCounts<DialQueueView | null>({
      rule: DIAL_QUEUE_FRESHNESS,
      now: () => new Date(START),
      count: (n, at) => {
        counted += 1;
        return readDialQueue(db.pool, n, at);
      },
      watchMs: 10_000,
    });
    expect((await counts.read(1)).value!.depth).toBe(0);
    await addContact(1);
    // Same instant on the clock: a copy would still be fresh, but this skill's count is cheap.
    expect((await counts.read(1)).value!.depth).toBe(1);
    expect(counted).toBe(2);
    counts.close();
  });

  it('serves a slow count from its copy and keeps a watched copy fresh in the background', async () => {
    await insertSkills(db.pool, [{ skillNo: 2 }]);
    let counted = 0;
    const rule: FreshnessRule = { maxAgeMs: 300, exactBelowMs: 0, marginMs: 50 };
    const counts = new FreshCounts<DialQueueView | null>({
      rule,
      now: () => new Date(),
      count: (n, at) => {
        counted += 1;
        return readDialQueue(db.pool, n, at);
      },
      watchMs: 10_000,
    });
    const first = await counts.read(2);
    await addContact(2);
    const copy = await counts.read(2);
    expect(copy.takenAt).toBe(first.takenAt);
    expect(copy.value!.depth).toBe(0);
    // Read less often than the copy lives: the watch has counted meanwhile, so the read finds a
    // copy that is young enough, and sees the write.
    await sleep(700);
    const before = counted;
    expect(before).toBeGreaterThanOrEqual(2);
    const later = await counts.read(2);
    expect(counted).toBe(before);
    expect(Date.now() - later.takenAt).toBeLessThanOrEqual(rule.maxAgeMs);
    expect(later.value!.depth).toBe(1);
    counts.close();
  });

  it('stops counting in the background when a count takes longer than a copy may live', async () => {
    await insertSkills(db.pool, [{ skillNo: 3 }]);
    let counted = 0;
    const counts = new FreshCounts<DialQueueView | null>({
      rule: { maxAgeMs: 60, exactBelowMs: 0, marginMs: 10 },
      now: () => new Date(),
      // As slow as a big skill's count against this rule: no copy of it could ever be served.
      count: async (n, at) => {
        counted += 1;
        await sleep(80);
        return readDialQueue(db.pool, n, at);
      },
      watchMs: 10_000,
    });
    await counts.read(3);
    await sleep(400);
    expect(counted).toBe(1);
    counts.close();
  });

  it('never serves a copy from the future (a clock stepped back) or one past the rule', () => {
    const copy = { takenAt: 10_000, tookMs: 500 };
    expect(freshness(DIAL_QUEUE_FRESHNESS, copy, 9_999)).toBe('count');
    expect(freshness(DIAL_QUEUE_FRESHNESS, copy, 10_000)).toBe('serve');
    expect(freshness(DIAL_QUEUE_FRESHNESS, copy, 10_349)).toBe('serve');
    expect(freshness(DIAL_QUEUE_FRESHNESS, copy, 10_350)).toBe('serve-and-refresh');
    expect(freshness(DIAL_QUEUE_FRESHNESS, copy, 11_000)).toBe('serve-and-refresh');
    expect(freshness(DIAL_QUEUE_FRESHNESS, copy, 11_001)).toBe('count');
    expect(freshness(DIAL_QUEUE_FRESHNESS, { takenAt: 10_000, tookMs: 5 }, 10_000)).toBe('count');
    expect(freshness(DIAL_QUEUE_FRESHNESS, undefined, 10_000)).toBe('count');
  });
});

describe('the size floor of the dial-queue rule', () => {
  it('counts a small skill again for every request however slow its count was (a loaded machine)', () => {
    // 500 ms for 30 contacts: the machine is busy; the caller still sees its own claim at once.
    expect(freshness(DIAL_QUEUE_FRESHNESS, { takenAt: 10_000, tookMs: 500, size: 30 }, 10_100)).toBe('count');
    expect(freshness(DIAL_QUEUE_FRESHNESS, { takenAt: 10_000, tookMs: 500, size: 49_999 }, 10_100)).toBe('count');
    expect(freshness(DIAL_QUEUE_FRESHNESS, { takenAt: 10_000, tookMs: 500, size: 50_000 }, 10_100)).not.toBe('count');
  });
});
