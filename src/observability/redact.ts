import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * Phone numbers are personal data: every log line, metric label and operator view runs its text
 * through here, so a number shows at most its last four digits (`+1******0100`).
 *
 * A "phone-like" run is 7+ digits, optionally led by `+` or `(`, with up to three separators
 * (space, `(`, `)`, `.`, `-`, `+`) between digits, and the same separators percent-encoded
 * (`%2B`, `%20`, `%28`...) because numbers also arrive inside query strings. The run must not
 * touch a letter or underscore on either side, so ids such as `a1234567b` are left alone.
 * ISO dates, dotted IPv4 addresses and UUIDs are not phone numbers and are kept.
 */
const ENCODED_SEP = '%2[0bBdDeE89]';
const SEP = `(?:[\\s().+\\-]|${ENCODED_SEP})`;
const LEAD = `(?:\\+|%2[bB]|\\(|%28)?`;
const PHONE_RUN = new RegExp(`(?<![\\w+%])${LEAD}\\d(?:${SEP}{0,3}\\d){6,}(?![\\w])`, 'g');
const BEARER = /\b(Bearer|Basic)\s+[^\s"',;]+/gi;
/**
 * A run that is a whole calendar date (with the hour a space or T glues to it) is kept; a date
 * shape inside a longer run of digits is not a date (fast-check found `000000000-00-00`).
 */
export const ISO_DATE = /^(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:[ T]\d{2})?$/;
/** Job and claim ids are UUIDs; a group of one that happens to be all digits is not a phone number. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/**
 * A dotted address as written (octets 0-255, no leading zeros) is kept; `0.00.000.0` is seven digits
 * with dots, not an address, and is masked (fast-check found it left whole).
 */
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
export const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

const SENSITIVE_KEYS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);
export const REDACTED = '[Redacted]';

/** `+12125550100` -> `+1******0100`; `(212) 555-0100` -> `******0100`. */
export function maskPhone(text: string): string {
  const decoded = text.replace(/%[0-9a-fA-F]{2}/g, (e) => decodeURIComponent(e));
  const digits = decoded.replace(/\D/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  const last4 = digits.slice(-4);
  if (decoded.trimStart().startsWith('+')) {
    const cc = countryCallingCode(`+${digits}`);
    // The country code is shown only where at least four digits stay hidden besides it.
    if (cc && digits.length - cc.length - 4 >= 4) {
      return `+${cc}${'*'.repeat(digits.length - cc.length - 4)}${last4}`;
    }
    return `+${'*'.repeat(digits.length - 4)}${last4}`;
  }
  return `${'*'.repeat(digits.length - 4)}${last4}`;
}

function countryCallingCode(e164: string): string | undefined {
  try {
    return parsePhoneNumberFromString(e164)?.countryCallingCode;
  } catch {
    return undefined;
  }
}

/** Masks every phone-like run and every bearer credential in free text. */
export function redactText(text: string): string {
  if (!/\d/.test(text) && !/bearer|basic/i.test(text)) return text;
  const uuids = text.includes('-') ? [...text.matchAll(UUID)].map((m) => [m.index, m.index + m[0].length] as const) : [];
  return text
    .replace(PHONE_RUN, (run: string, offset: number) => {
      const plain = run.replace(/%[0-9a-fA-F]{2}/g, (e) => decodeURIComponent(e));
      if (ISO_DATE.test(plain) || IPV4.test(plain)) return run;
      if (uuids.some(([start, end]) => offset < end && offset + run.length > start)) return run;
      return maskPhone(run);
    })
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`);
}

/**
 * A whole number of 10-15 digits is as likely a phone number stored as a number (a CSV cell, a
 * CRM's JSON) as anything else that ends up in a log, so it is masked as one.
 */
function isPhoneLikeNumber(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) >= 1e9 && Math.abs(n) < 1e15;
}

/**
 * A copy of `value` with every string redacted, phone-like numbers masked, and the values of
 * credential-carrying keys (authorization, cookie, x-api-key) replaced, at any depth.
 * Errors become plain `{ type, message, stack, code }` objects, redacted the same way.
 */
export function redactDeep(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number') return isPhoneLikeNumber(value) ? maskPhone(String(value)) : value;
  if (typeof value === 'bigint') return redactText(value.toString());
  if (value === null || typeof value !== 'object') return value;
  if (depth > 25) return '[Too deep]';
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown };
    return redactDeep(
      { type: e.name, message: e.message, stack: e.stack, ...(e.code !== undefined ? { code: e.code } : {}) },
      depth + 1,
      seen,
    );
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1, seen));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SENSITIVE_KEYS.has(k.toLowerCase()) ? REDACTED : redactDeep(v, depth + 1, seen);
  }
  return out;
}

/**
 * A URL as it may be logged: the path with phone-like segments masked and every query value
 * masked the same way (values are decoded first, so `%2B1212...` and `212+555+0100` are caught).
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = redactText(q === -1 ? url : url.slice(0, q));
  if (q === -1) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return redactText(safeDecode(pair));
      return `${redactText(safeDecode(pair.slice(0, eq)))}=${redactText(safeDecode(pair.slice(eq + 1)))}`;
    })
    .join('&');
  return `${path}?${query}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
