import { DateTime } from 'luxon';
import { kindOf } from './value-kind';

/**
 * When a prospect stops being callable. A date without a time (`2026-12-31`, or the US
 * `12/31/2026`) lasts to the end of that day in the contact's zone; an instant with an offset
 * (`2026-12-31T17:00:00-05:00`) is that instant; a date and time without an offset is wall-clock
 * time in the contact's zone.
 */
export type Expiration =
  { kind: 'Date'; date: string } | { kind: 'Instant'; at: Date; text: string } | { kind: 'LocalTime'; local: string };

export interface EffectiveExpiration {
  /** As answered on read-back: `2026-12-31`, or the instant in UTC (`2026-12-31T22:00:00Z`). */
  expirationDate: string | null;
  /** The first instant the prospect is expired; null when it never expires. */
  expiresAt: Date | null;
}

export interface ExpirationDefaults {
  /** The call's DefaultExpirationDate, parsed once per call. */
  defaultExpirationDate: Expiration | null;
  /** The skill's DefaultExpirationDays. */
  defaultExpirationDays: number | null;
}

/** The forms an expiration is read in, for messages. */
export const EXPIRATION_FORMS = 'a date (2026-12-31 or 12/31/2026) or an ISO 8601 instant (2026-12-31T17:00:00Z)';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A row's (or a call's) expiration value; null when it cannot be read. */
export function parseExpiration(value: unknown): Expiration | null {
  if (typeof value !== 'string' || value.length > 40) return null;
  const s = value.trim();
  let m = ISO_DATE.exec(s);
  if (m !== null) return dateOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = US_DATE.exec(s);
  if (m !== null) return dateOf(Number(m[3]), Number(m[1]), Number(m[2]));
  m = DATE_TIME.exec(s);
  if (m === null) return null;
  const iso = `${m[1]}T${m[2]}`;
  if (m[3] === undefined) {
    return DateTime.fromISO(iso, { zone: 'UTC' }).isValid ? { kind: 'LocalTime', local: iso } : null;
  }
  const at = DateTime.fromISO(iso + m[3].toUpperCase(), { setZone: true });
  if (!at.isValid) return null;
  return { kind: 'Instant', at: at.toJSDate(), text: utcText(at) };
}

/**
 * The call's DefaultExpirationDate, checked once before any record is read: absent (null,
 * undefined, blank) is fine; anything unreadable is the call-level InvalidExpirationDate.
 */
export function parseDefaultExpirationDate(value: unknown): { ok: true; value: Expiration | null } | { ok: false; message: string } {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
    return { ok: true, value: null };
  }
  const parsed = parseExpiration(value);
  if (parsed === null) {
    return {
      ok: false,
      message: `DefaultExpirationDate must be ${EXPIRATION_FORMS}, not ${describe(value)}`,
    };
  }
  return { ok: true, value: parsed };
}

/**
 * The expiration that applies to a contact in `zone`: its own, else the call's default date,
 * else now + the skill's default days (to the end of that day), else none.
 */
export function effectiveExpiration(own: Expiration | null, defaults: ExpirationDefaults, zone: string, now: Date): EffectiveExpiration {
  const e = own ?? defaults.defaultExpirationDate;
  if (e !== null) return resolve(e, zone);
  if (defaults.defaultExpirationDays !== null) {
    const date = localDatePlusDays(zone, now, defaults.defaultExpirationDays);
    return { expirationDate: date, expiresAt: new Date(endOfDay(date, zone)) };
  }
  return { expirationDate: null, expiresAt: null };
}

export function isExpired(e: EffectiveExpiration, now: Date): boolean {
  return e.expiresAt !== null && e.expiresAt.getTime() <= now.getTime();
}

function resolve(e: Expiration, zone: string): EffectiveExpiration {
  switch (e.kind) {
    case 'Date':
      return { expirationDate: e.date, expiresAt: new Date(endOfDay(e.date, zone)) };
    case 'Instant':
      return { expirationDate: e.text, expiresAt: e.at };
    case 'LocalTime': {
      const at = DateTime.fromISO(e.local, { zone });
      return { expirationDate: utcText(at), expiresAt: at.toJSDate() };
    }
  }
}

// Most contacts of a call share a handful of (zone, date) pairs; luxon zone arithmetic costs
// ~10 us, a Map read ~0.1 us. Bounded, since dates come from caller data.
const MAX_REMEMBERED = 20_000;
const endOfDays = new Map<string, number>();
const datesPlusDays = new Map<string, string>();

/** Epoch ms of the next day's 00:00 in `zone`: the exclusive end of `date` there. */
function endOfDay(date: string, zone: string): number {
  const key = `${zone}|${date}`;
  let ms = endOfDays.get(key);
  if (ms === undefined) {
    ms = DateTime.fromISO(date, { zone }).plus({ days: 1 }).startOf('day').toMillis();
    if (endOfDays.size >= MAX_REMEMBERED) endOfDays.clear();
    endOfDays.set(key, ms);
  }
  return ms;
}

function localDatePlusDays(zone: string, now: Date, days: number): string {
  const key = `${zone}|${now.getTime()}|${days}`;
  let date = datesPlusDays.get(key);
  if (date === undefined) {
    date = DateTime.fromJSDate(now, { zone }).plus({ days }).toISODate() as string;
    if (datesPlusDays.size >= MAX_REMEMBERED) datesPlusDays.clear();
    datesPlusDays.set(key, date);
  }
  return date;
}

function dateOf(year: number, month: number, day: number): Expiration | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { kind: 'Date', date: `${year}-${pad(month)}-${pad(day)}` };
}

function utcText(at: DateTime): string {
  return at.toUTC().toISO({ suppressMilliseconds: true }) as string;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  return kindOf(v);
}
