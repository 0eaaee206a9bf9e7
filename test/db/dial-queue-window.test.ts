import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDialQueue } from '../../src/db/dial-queue';
import { isInsideWindow, openZones } from '../../src/domain/calling-window';
import { freshSchema, type TestDb } from '../support/db';
import { insertSkills } from '../support/prospect-fixtures';

const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Puerto_Rico',
  'America/St_Johns', // UTC-3:30 / -2:30
  'Asia/Kathmandu', // UTC+5:45
  'Australia/Lord_Howe', // a 30-minute daylight shift
  'Europe/London',
];

const clock = fc
  .tuple(fc.integer({ min: 0, max: 24 }), fc.constantFrom(0, 15, 30, 59))
  .map(([h, m]) => (h === 24 ? '24:00' : `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`));
const instant = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true });

/** Local seconds since midnight, read with Intl rather than the code under test. */
function localSeconds(zone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return get('hour') * 3600 + get('minute') * 60 + get('second');
}
const seconds = (hhmm: string) => Number(hhmm.slice(0, 2)) * 3600 + Number(hhmm.slice(3)) * 60;

describe('the calling window (pure)', () => {
  it("is never open outside 08:00-21:00 local time, nor outside the skill's own window", () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), clock, clock, (at, zone, start, end) => {
        if (!isInsideWindow(zone, at, { Start: start, End: end })) return;
        const t = localSeconds(zone, at);
        expect(t).toBeGreaterThanOrEqual(8 * 3600);
        expect(t).toBeLessThan(21 * 3600);
        expect(t).toBeGreaterThanOrEqual(seconds(start));
        expect(t).toBeLessThan(seconds(end));
      }),
      { numRuns: 2000 },
    );
  });

  it("is open everywhere inside both the skill's window and 08:00-21:00", () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (at, zone) => {
        const t = localSeconds(zone, at);
        expect(isInsideWindow(zone, at, { Start: '08:00', End: '21:00' })).toBe(t >= 8 * 3600 && t < 21 * 3600);
        // A window asking for more is narrowed to the same answer.
        expect(isInsideWindow(zone, at, { Start: '00:00', End: '24:00' })).toBe(t >= 8 * 3600 && t < 21 * 3600);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the calling window in SQL', () => {
  let db: TestDb;
  const windows = [
    { Start: '08:00', End: '21:00' },
    { Start: '10:00', End: '12:00' },
    { Start: '09:30', End: '17:45' },
    { Start: '06:00', End: '23:00' }, // wider than allowed: stored as is, must act as 08:00-21:00
  ];
  beforeAll(async () => {
    db = await freshSchema('dqw');
    await insertSkills(
      db.pool,
      windows.map((w, i) => ({ skillNo: i + 1, windowStart: w.Start, windowEnd: w.End })),
    );
    await db.pool.query('INSERT INTO time_zones (name) SELECT unnest($1::text[])', [ZONES]);
  });
  afterAll(async () => db.drop());

  it('opens exactly the zones the pure function opens, at any instant', async () => {
    await fc.assert(
      fc.asyncProperty(instant, async (at) => {
        for (const [i, w] of windows.entries()) {
          const view = await readDialQueue(db.pool, i + 1, at);
          expect([...view!.openZones].sort()).toEqual(openZones(ZONES, at, w).sort());
        }
      }),
      { numRuns: 60 },
    );
  });
});
