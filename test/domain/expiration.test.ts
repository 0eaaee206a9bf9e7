import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  effectiveExpiration,
  isExpired,
  parseDefaultExpirationDate,
  parseExpiration,
  type ExpirationDefaults,
} from '../../src/domain/expiration';

const NONE: ExpirationDefaults = { defaultExpirationDate: null, defaultExpirationDays: null };
const NOW = new Date('2026-06-01T12:00:00Z');

describe('parseExpiration', () => {
  it('reads dates, ISO and US', () => {
    expect(parseExpiration('2026-12-31')).toEqual({ kind: 'Date', date: '2026-12-31' });
    expect(parseExpiration(' 12/31/2026 ')).toEqual({ kind: 'Date', date: '2026-12-31' });
    expect(parseExpiration('1/2/2026')).toEqual({ kind: 'Date', date: '2026-01-02' });
    expect(parseExpiration('2028-02-29')).toEqual({ kind: 'Date', date: '2028-02-29' });
  });

  it('reads instants with an offset, answered in UTC', () => {
    const at = parseExpiration('2026-12-31T12:00:00-05:00');
    expect(at).toEqual({ kind: 'Instant', at: new Date('2026-12-31T17:00:00Z'), text: '2026-12-31T17:00:00Z' });
    expect(parseExpiration('2026-12-31T17:00:00Z')).toMatchObject({ text: '2026-12-31T17:00:00Z' });
    expect(parseExpiration('2026-12-31T17:00Z')).toMatchObject({ text: '2026-12-31T17:00:00Z' });
    expect(parseExpiration('2026-12-31T23:30:00.250+0530')).toMatchObject({ text: '2026-12-31T18:00:00.250Z' });
  });

  it('reads a date and time without an offset as local time', () => {
    expect(parseExpiration('2026-12-31 18:00')).toEqual({ kind: 'LocalTime', local: '2026-12-31T18:00' });
  });

  it('answers null for what cannot be read', () => {
    for (const v of [
      '2026-02-30',
      '2027-02-29',
      '13/01/2026',
      '2026-12-31T25:00:00Z',
      'soon',
      '31.12.2026',
      '',
      20261231,
      true,
      null,
      {},
    ]) {
      expect(parseExpiration(v), String(v)).toBeNull();
    }
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.string()), (v) => void parseExpiration(v)));
  });
});

describe('parseDefaultExpirationDate', () => {
  it('takes absent values as no default and refuses unreadable ones', () => {
    expect(parseDefaultExpirationDate(null)).toEqual({ ok: true, value: null });
    expect(parseDefaultExpirationDate(undefined)).toEqual({ ok: true, value: null });
    expect(parseDefaultExpirationDate(' ')).toEqual({ ok: true, value: null });
    expect(parseDefaultExpirationDate('2026-12-31')).toEqual({ ok: true, value: { kind: 'Date', date: '2026-12-31' } });
    const bad = parseDefaultExpirationDate('next week');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/DefaultExpirationDate.*"next week"/);
    expect(parseDefaultExpirationDate(5).ok).toBe(false);
  });
});

describe('effectiveExpiration', () => {
  it("ends a date at the end of that day in the contact's zone", () => {
    const d = parseExpiration('2026-12-31');
    expect(effectiveExpiration(d, NONE, 'America/New_York', NOW)).toEqual({
      expirationDate: '2026-12-31',
      expiresAt: new Date('2027-01-01T05:00:00Z'),
    });
    expect(effectiveExpiration(d, NONE, 'Pacific/Honolulu', NOW).expiresAt).toEqual(new Date('2027-01-01T10:00:00Z'));
    // Summer: New York is UTC-4, Phoenix stays UTC-7.
    const july = parseExpiration('2026-07-15');
    expect(effectiveExpiration(july, NONE, 'America/New_York', NOW).expiresAt).toEqual(new Date('2026-07-16T04:00:00Z'));
    expect(effectiveExpiration(july, NONE, 'America/Phoenix', NOW).expiresAt).toEqual(new Date('2026-07-16T07:00:00Z'));
  });

  it('reads a local date and time in the contact zone', () => {
    const e = effectiveExpiration(parseExpiration('2026-12-31 18:00'), NONE, 'America/Chicago', NOW);
    expect(e).toEqual({ expirationDate: '2027-01-01T00:00:00Z', expiresAt: new Date('2027-01-01T00:00:00Z') });
  });

  it("prefers the row's own, then the call's default date, then the skill's days, else none", () => {
    const defaults: ExpirationDefaults = { defaultExpirationDate: parseExpiration('2026-09-30'), defaultExpirationDays: 10 };
    expect(effectiveExpiration(parseExpiration('2026-08-01'), defaults, 'UTC', NOW).expirationDate).toBe('2026-08-01');
    expect(effectiveExpiration(null, defaults, 'UTC', NOW).expirationDate).toBe('2026-09-30');
    expect(effectiveExpiration(null, { ...defaults, defaultExpirationDate: null }, 'UTC', NOW).expirationDate).toBe('2026-06-11');
    expect(effectiveExpiration(null, NONE, 'UTC', NOW)).toEqual({ expirationDate: null, expiresAt: null });
  });

  it("counts the skill's days from today in the contact's zone", () => {
    // 2026-06-01T05:00Z is still May 31 in Honolulu.
    const early = new Date('2026-06-01T05:00:00Z');
    const e = effectiveExpiration(null, { defaultExpirationDate: null, defaultExpirationDays: 1 }, 'Pacific/Honolulu', early);
    expect(e).toEqual({ expirationDate: '2026-06-01', expiresAt: new Date('2026-06-02T10:00:00Z') });
  });

  it('is expired once the expiration instant is reached', () => {
    const e = effectiveExpiration(parseExpiration('2026-06-01T12:00:00Z'), NONE, 'UTC', NOW);
    expect(isExpired(e, NOW)).toBe(true);
    expect(isExpired(e, new Date(NOW.getTime() - 1))).toBe(false);
    // A date of today in New York is not yet expired at noon UTC (08:00 there).
    expect(isExpired(effectiveExpiration(parseExpiration('2026-06-01'), NONE, 'America/New_York', NOW), NOW)).toBe(false);
    expect(isExpired(effectiveExpiration(parseExpiration('2026-05-31'), NONE, 'America/New_York', NOW), NOW)).toBe(true);
    expect(isExpired({ expirationDate: null, expiresAt: null }, NOW)).toBe(false);
  });
});
