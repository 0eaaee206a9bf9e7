import { DateTime } from 'luxon';
import { fieldKind, type SystemField } from './field-catalog';
import { kindOf } from './value-kind';

/** A mapped value read into the form it is stored in, or why it cannot be. */
export type FieldValue = { ok: true; value: string | number | boolean } | { ok: false; problem: string };

export const NAME_MAX_LENGTH = 255;
export const TEXT_MAX_LENGTH = 1000;
export const PRIORITY_MAX = 1_000_000;
export const STALE_MINUTES_MAX = 1_000_000;

/** Null, undefined and blank text count as "no value" for every field (CSV cells are ''). */
export function isAbsent(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

// Control characters other than tab and line breaks; Postgres refuses NUL outright.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// A lone UTF-16 surrogate would be sent to Postgres as an escape jsonb refuses.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text as stored: control characters removed, broken surrogates replaced, trimmed. */
export function cleanText(s: string): string {
  return s.replace(CONTROL, '').replace(LONE_SURROGATE, '\ufffd').trim();
}

/** Length in characters (code points), not UTF-16 units. */
export function characterCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

const INTEGER = /^[+-]?\d+(?:\.0*)?$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const FLAGS = new Map<string, boolean>([
  ['true', true],
  ['yes', true],
  ['y', true],
  ['1', true],
  ['false', false],
  ['no', false],
  ['n', false],
  ['0', false],
]);
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * A present (not absent) mapped value of `field`, normalized: names and text trimmed and cleaned
 * (at most 255 / 1000 characters), Priority and CallRequestStaleMinutes whole numbers (numeric
 * text is fine), Score a finite number, flags true/false/yes/no/1/0, CallRequestDateTime an ISO
 * instant with its offset (stored in UTC). Custom fields keep a number or boolean as given.
 * Problems name the field but never echo the value: it may be personal data.
 */
export function normalizeFieldValue(field: SystemField, value: unknown): FieldValue {
  switch (fieldKind(field)) {
    case 'Name':
      return text(field, value, NAME_MAX_LENGTH);
    case 'Text':
      return text(field, value, TEXT_MAX_LENGTH);
    case 'Custom':
      if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
        return { ok: true, value };
      }
      return text(field, value, TEXT_MAX_LENGTH);
    case 'Integer':
      return whole(field, value, PRIORITY_MAX);
    case 'Minutes':
      return whole(field, value, STALE_MINUTES_MAX);
    case 'Number': {
      const n = numeric(value, DECIMAL);
      return n === null ? fail(`${field} must be a number (got ${kindOf(value)})`) : { ok: true, value: n };
    }
    case 'Flag': {
      const b = flagValue(value);
      return b === undefined ? fail(`${field} must be true or false (yes/no, 1/0) (got ${kindOf(value)})`) : { ok: true, value: b };
    }
    case 'Instant': {
      if (typeof value === 'string' && INSTANT.test(value.trim())) {
        const at = DateTime.fromISO(value.trim(), { setZone: true });
        if (at.isValid) return { ok: true, value: at.toUTC().toISO({ suppressMilliseconds: true }) as string };
      }
      return fail(`${field} must be an ISO 8601 instant with its offset, such as 2026-05-01T14:00:00Z (got ${kindOf(value)})`);
    }
  }
}

/** A yes/no value (true/false, yes/no, y/n, 1/0, any case) as a boolean; undefined when it is none. */
export function flagValue(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 0 || value === 1 ? value === 1 : undefined;
  return typeof value === 'string' ? FLAGS.get(value.trim().toLowerCase()) : undefined;
}

function text(field: string, value: unknown, max: number): FieldValue {
  let s: string;
  if (typeof value === 'string') s = cleanText(value);
  else if (typeof value === 'number' && Number.isFinite(value)) s = String(value);
  else return fail(`${field} must be text or a number (got ${kindOf(value)})`);
  if (s.length > max && characterCount(s) > max) return fail(`${field} is longer than ${max} characters`);
  return { ok: true, value: s };
}

function whole(field: string, value: unknown, max: number): FieldValue {
  const n = numeric(value, INTEGER);
  if (n !== null && Number.isInteger(n) && n >= 0 && n <= max) return { ok: true, value: n };
  const got = n === null ? kindOf(value) : Number.isInteger(n) ? 'a number out of range' : 'a fraction';
  return fail(`${field} must be a whole number from 0 to ${max} (got ${got})`);
}

function numeric(value: unknown, form: RegExp): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (!form.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function fail(problem: string): FieldValue {
  return { ok: false, problem };
}
