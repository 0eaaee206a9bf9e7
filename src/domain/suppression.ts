import { startsLikeCallingCode } from './phone-number';

/**
 * Suppression entries as the lists store them: a number as its E.164 digits (a bigint column, so
 * a JS number here: 15 digits stay below 2^53), a prefix as the leading digits of E.164 numbers.
 */

/** The most digits an E.164 number has. */
export const E164_MAX_DIGITS = 15;

/** `+12125550100` → 12125550100. */
export function e164Digits(e164: string): number {
  return Number(e164.slice(1));
}

/** 12125550100 → `+12125550100`. */
export function e164FromDigits(digits: number | string): string {
  return `+${digits}`;
}

const PREFIX = /^\+([1-9][0-9]{0,14})$/;

/**
 * A prefix entry's digits, or null when `raw` is not the start of an E.164 number: a `+`, then 1 to
 * 15 digits that begin with (or are the start of) a country calling code. `+1212`, `+44 20`
 * (spaces, dots and dashes between digits are dropped) are read; `1212`, `+0`, `+1-800-FLOWERS` are not.
 */
export function parsePrefix(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 40) return null;
  const match = PREFIX.exec(raw.trim().replace(/[\s.()-]/g, ''));
  if (!match) return null;
  const digits = match[1]!;
  return startsLikeCallingCode(digits) ? digits : null;
}

/**
 * Every prefix that would cover a number: its leading digits of each length, `1`, `12`, ...,
 * the whole number. A check matches prefix entries by equality on these (at most 15 index
 * probes), never by scanning the prefixes for one that starts the number.
 */
export function leadingPrefixes(digits: string): string[] {
  const out: string[] = [];
  for (let n = 1; n <= Math.min(digits.length, E164_MAX_DIGITS); n++) out.push(digits.slice(0, n));
  return out;
}

/** Whether an entry still suppresses at `now`: an entry exactly at its ExpiresAt no longer does. */
export function inForce(expiresAt: Date | null, now: Date): boolean {
  return expiresAt === null || expiresAt.getTime() > now.getTime();
}

/** One element of an entries or remove-entries call, read. */
export type ReadEntry =
  | { ok: true; kind: 'number'; key: number; expiresAt: Date | null; reason: string | null }
  | { ok: true; kind: 'prefix'; key: string; expiresAt: Date | null; reason: string | null }
  | { ok: false; code: 'InvalidPhoneNumber' | 'InvalidFieldValue'; message: string };

export const MAX_REASON_LENGTH = 500;

/**
 * `{ PhoneNumber | Prefix, ExpiresAt?, Reason? }` read: the number as section 4 reads one (with
 * the default country), the prefix as parsePrefix, ExpiresAt an ISO 8601 instant with its offset
 * still ahead of `now`. The answer for a bad one names the field, never the whole number.
 */
export function readEntry(
  element: unknown,
  normalize: (raw: unknown) => string | null,
  now: Date,
  parseInstant: (raw: unknown) => Date | null,
): ReadEntry {
  if (element === null || typeof element !== 'object' || Array.isArray(element)) {
    return { ok: false, code: 'InvalidFieldValue', message: 'the entry is not an object' };
  }
  const e = element as Record<string, unknown>;
  const hasNumber = e.PhoneNumber !== undefined && e.PhoneNumber !== null;
  const hasPrefix = e.Prefix !== undefined && e.Prefix !== null;
  if (hasNumber === hasPrefix) {
    return { ok: false, code: 'InvalidFieldValue', message: 'an entry holds exactly one of PhoneNumber and Prefix' };
  }
  let expiresAt: Date | null = null;
  if (e.ExpiresAt !== undefined && e.ExpiresAt !== null) {
    expiresAt = parseInstant(e.ExpiresAt);
    if (expiresAt === null) {
      return {
        ok: false,
        code: 'InvalidFieldValue',
        message: 'ExpiresAt must be an ISO 8601 instant with its offset (2026-12-31T17:00:00Z)',
      };
    }
    if (!inForce(expiresAt, now))
      return { ok: false, code: 'InvalidFieldValue', message: 'ExpiresAt is already past: the entry would never suppress' };
  }
  let reason: string | null = null;
  if (e.Reason !== undefined && e.Reason !== null) {
    if (typeof e.Reason !== 'string' || e.Reason.length > MAX_REASON_LENGTH) {
      return { ok: false, code: 'InvalidFieldValue', message: `Reason must be text of at most ${MAX_REASON_LENGTH} characters` };
    }
    reason = e.Reason.replace(/\u0000/g, '');
  }
  if (hasNumber) {
    const e164 = normalize(e.PhoneNumber);
    if (e164 === null) return { ok: false, code: 'InvalidPhoneNumber', message: 'PhoneNumber is not a valid phone number' };
    return { ok: true, kind: 'number', key: e164Digits(e164), expiresAt, reason };
  }
  const prefix = parsePrefix(e.Prefix);
  if (prefix === null) {
    return { ok: false, code: 'InvalidFieldValue', message: 'Prefix must be the start of an E.164 number, such as +1212' };
  }
  return { ok: true, kind: 'prefix', key: prefix, expiresAt, reason };
}
