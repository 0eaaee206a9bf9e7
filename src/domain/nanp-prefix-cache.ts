import metadata from 'libphonenumber-js/metadata.max.json';
import type { PhoneType } from './prospect';

/**
 * A short cut past libphonenumber for the numbers a North American CRM holds most: ten digits
 * of the North American Numbering Plan (+1), written in one of the usual ways. Parsing one with
 * libphonenumber costs ~20-35 us (with isValid and getType), most of a load's CPU; this answers
 * from the first parse of a number with the same area code and exchange.
 *
 * Why that is exact: for a ten-digit +1 number, everything libphonenumber decides (valid or not,
 * which NANP country, which type) comes from its metadata's patterns and leading digits. Each
 * top-level alternative of a pattern that ends in `\d{k}` with k >= 4 can only look at the first
 * 10 - k <= 6 digits. At load, every +1 country whose patterns have an alternative that looks
 * further (Barbados and Jamaica, today) has its leading digits put on the slow path, and if the
 * US itself ever had one, no number would take the short cut. So the answer is a function of
 * (how the number was written, the default country, its first six digits), which is the key.
 * A property test checks the short cut against libphonenumber for arbitrary numbers.
 */

/** What libphonenumber said about a number: valid, and its type (before any declared type). */
export interface NanpAnswer {
  valid: boolean;
  type: PhoneType;
}

type CountryMetadata = unknown[];
const raw = metadata as unknown as { country_calling_codes: Record<string, string[]>; countries: Record<string, CountryMetadata> };

/** `+1 (212) 555-0100`, `1-212-555-0100`, `212.555.0100`, `2125550100`, ... and nothing odder. */
const WRITTEN = /^(?:(\+1|1)[ .-]?)?(?:\(([2-9]\d\d)\) ?|([2-9]\d\d)[ .-]?)(\d{3})[ .-]?(\d{4})$/;
/** Distinct keys kept at most (~100 bytes each); on overflow the cache starts over. */
const MAX_ENTRIES = 200_000;

const NANP_COUNTRIES = new Set(raw.country_calling_codes['1'] ?? []);
const { usable, slowLeadingDigits } = analyzeMetadata();
const answers = new Map<string, NanpAnswer>();

/** Top-level alternatives of a metadata pattern. */
function alternatives(pattern: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      current += ch + (pattern[++i] ?? '');
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === '|' && depth === 0) {
      out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  out.push(current);
  return out;
}

/** Whether every alternative of `pattern` ends in at least four free digits. */
function decidedBySixDigits(pattern: string): boolean {
  return alternatives(pattern).every((alt) => {
    const tail = /\\d\{(\d+)(?:,\d*)?\}$/.exec(alt);
    return tail !== null && Number(tail[1]) >= 4;
  });
}

/** Leading digits simple enough to be sure they look at six digits at most (`8001|8[024]9`). */
function shortLeadingDigits(pattern: string): boolean {
  return /^[0-9[\]|-]+$/.test(pattern) && alternatives(pattern).every((alt) => alt.replace(/\[[^\]]*\]/g, 'd').length <= 6);
}

function analyzeMetadata(): { usable: boolean; slowLeadingDigits: RegExp[] } {
  const slow: RegExp[] = [];
  let ok = NANP_COUNTRIES.size > 0;
  for (const country of NANP_COUNTRIES) {
    const data = raw.countries[country];
    if (!data) return { usable: false, slowLeadingDigits: [] };
    const types = (data[11] as unknown[] | undefined) ?? [];
    const patterns = [data[2], ...types.map((t) => (Array.isArray(t) ? t[0] : undefined))].filter(
      (p): p is string => typeof p === 'string' && p.length > 0,
    );
    const leading = typeof data[10] === 'string' ? data[10] : null;
    if (leading !== null && !shortLeadingDigits(leading)) ok = false;
    if (patterns.every(decidedBySixDigits)) continue;
    if (leading === null) ok = false;
    else slow.push(new RegExp(`^(?:${leading})`));
  }
  return { usable: ok, slowLeadingDigits: slow };
}

/**
 * libphonenumber's answer for `text` when it is an ordinary ten-digit NANP number: from the cache,
 * or from `parse` (called once per key). Undefined when the number is not one for the short cut;
 * the caller parses it itself then. `+1` numbers take it whatever `defaultCountry`; numbers
 * without it only where the default country is a NANP one.
 */
export function answerNanp(
  text: string,
  defaultCountry: string,
  parse: (text: string, defaultCountry: string) => NanpAnswer,
): { answer: NanpAnswer; e164: string } | undefined {
  if (!usable || text.length > 24) return undefined;
  const m = WRITTEN.exec(text);
  if (m === null) return undefined;
  const written = m[1] ?? '';
  if (written !== '+1' && !NANP_COUNTRIES.has(defaultCountry)) return undefined;
  const national = `${m[2] ?? m[3]}${m[4]}${m[5]}`;
  for (const re of slowLeadingDigits) if (re.test(national)) return undefined;
  const key = `${written === '+1' ? '' : defaultCountry}${written}:${national.slice(0, 6)}`;
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = parse(text, defaultCountry);
    if (answers.size >= MAX_ENTRIES) answers.clear();
    answers.set(key, answer);
  }
  return { answer, e164: `+1${national}` };
}

/** Empties the cache: benchmarks start each measured call cold, as a service's first load does. */
export function forgetNanpAnswers(): void {
  answers.clear();
}

/** For tests: the +1 countries whose numbers never take the short cut, and whether it is on. */
export function nanpShortCut(): { usable: boolean; slowLeadingDigits: string[] } {
  return { usable, slowLeadingDigits: slowLeadingDigits.map((re) => re.source) };
}
