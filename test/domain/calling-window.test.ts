import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInsideWindow, localTimeOfDay, openZones } from '../../src/domain/calling-window';

const WINDOW = { Start: '09:00', End: '17:00' };

describe('isInsideWindow', () => {
  it('includes Start and excludes End, in local time', () => {
    // January: New York is UTC-5.
    expect(isInsideWindow('America/New_York', new Date('2026-01-15T14:00:00Z'), WINDOW)).toBe(true);
    expect(isInsideWindow('America/New_York', new Date('2026-01-15T13:59:59Z'), WINDOW)).toBe(false);
    expect(isInsideWindow('America/New_York', new Date('2026-01-15T21:59:59Z'), WINDOW)).toBe(true);
    expect(isInsideWindow('America/New_York', new Date('2026-01-15T22:00:00Z'), WINDOW)).toBe(false);
  });

  it('follows daylight saving where it is kept, and Arizona where it is not', () => {
    // July 15, 15:30Z: 11:30 in New York (EDT), 08:30 in Phoenix (MST, no DST), 08:30 in Los Angeles (PDT).
    const july = new Date('2026-07-15T15:30:00Z');
    expect(localTimeOfDay('America/Phoenix', july)).toBe((8 * 60 + 30) * 60_000);
    expect(localTimeOfDay('America/Denver', july)).toBe((9 * 60 + 30) * 60_000);
    expect(isInsideWindow('America/Phoenix', july, WINDOW)).toBe(false);
    expect(isInsideWindow('America/Denver', july, WINDOW)).toBe(true);
    expect(isInsideWindow('America/New_York', july, WINDOW)).toBe(true);
    // Honolulu, UTC-10 all year: 05:30.
    expect(isInsideWindow('Pacific/Honolulu', july, WINDOW)).toBe(false);
  });

  it('never reaches outside 08:00-21:00, however wide the skill asks', () => {
    const wide = { Start: '00:00', End: '24:00' };
    // 07:59 and 21:00 in Chicago (CST, UTC-6).
    expect(isInsideWindow('America/Chicago', new Date('2026-01-15T13:59:00Z'), wide)).toBe(false);
    expect(isInsideWindow('America/Chicago', new Date('2026-01-15T14:00:00Z'), wide)).toBe(true);
    expect(isInsideWindow('America/Chicago', new Date('2026-01-16T02:59:00Z'), wide)).toBe(true);
    expect(isInsideWindow('America/Chicago', new Date('2026-01-16T03:00:00Z'), wide)).toBe(false);
  });

  it('is never inside for an unknown zone or an empty window', () => {
    expect(isInsideWindow('Mars/Olympus', new Date('2026-01-15T15:00:00Z'), WINDOW)).toBe(false);
    expect(isInsideWindow('UTC', new Date('2026-01-15T12:00:00Z'), { Start: '12:00', End: '12:00' })).toBe(false);
  });

  it('agrees with the clamped window at every minute of the day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 24 * 60 - 1 }), fc.integer({ min: 0, max: 59 }), (minute, second) => {
        const now = new Date(Date.UTC(2026, 0, 15, 0, minute, second));
        const inside = minute >= 8 * 60 && minute < 21 * 60;
        expect(isInsideWindow('UTC', now, { Start: '06:00', End: '23:00' })).toBe(inside);
      }),
    );
  });
});

describe('openZones', () => {
  it('lists the zones inside the window now, once each, in the given order', () => {
    const now = new Date('2026-01-15T15:00:00Z'); // 10:00 New York, 07:00 Los Angeles, 05:00 Honolulu, 15:00 London
    expect(
      openZones(['Europe/London', 'America/New_York', 'America/Los_Angeles', 'America/New_York', 'Pacific/Honolulu'], now, WINDOW),
    ).toEqual(['Europe/London', 'America/New_York']);
    expect(openZones([], now, WINDOW)).toEqual([]);
  });
});
