import { getCountries, getCountryCallingCode, parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';
import { isAbsent } from './field-value';
import { answerNanp, type NanpAnswer } from './nanp-prefix-cache';
import { installPatternCache } from './phone-pattern-cache';
import type { PhoneType } from './prospect';
import { kindOf } from './value-kind';

/**
 * Phone numbers from a CRM, however written, to E.164.
 *
 * The `max` metadata is loaded once with the module; it is what tells a mobile number from a
 * landline (getType) and what isValid() checks against (number ranges, not just lengths).
 * Parsing is strict (`extract: false`): "call 212-736-5000 now" and vanity numbers like
 * "1-800-FLOWERS" are refused rather than guessed at, since a dialer must dial exactly what the
 * CRM meant. An extension ("x12") is dropped: the dialer dials the main line. A leading `00`
 * is read as the international prefix, as most of the world writes it.
 */
export interface NormalizedPhone {
  /** E.164, e.g. +12127365000. */
  phoneNumber: string;
  type: PhoneType;
  /** Consent to autodialed calls, as mapped (ConsentPath); false when none is mapped. */
  consent?: boolean;
}

installPatternCache();

/** Values parsed per contact at most, valid or not. */
export const MAX_PARSED = 100;
/** Longer text is not a phone number; bounds the parser's work on hostile input. */
const MAX_RAW_LENGTH = 64;
const TYPES: Partial<Record<NonNullable<NumberType>, PhoneType>> = {
  FIXED_LINE: 'Landline',
  MOBILE: 'Mobile',
  VOIP: 'VoIP',
  TOLL_FREE: 'TollFree',
};
const INTERNATIONAL_00 = /^00(?=[1-9])/;
const TEL_URI = /^tel:/i;

/** The number in E.164 with its type, or null when `raw` is not a valid phone number. */
export function normalizePhone(raw: unknown, defaultCountry: CountryCode, declaredType?: PhoneType): NormalizedPhone | null {
  let text: string;
  if (typeof raw === 'string') {
    if (raw.length > MAX_RAW_LENGTH) return null;
    text = raw.trim().replace(TEL_URI, '').replace(INTERNATIONAL_00, '+');
  } else if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw <= 0) return null;
    text = String(raw);
  } else {
    return null;
  }
  if (text.length === 0) return null;
  const nanp = answerNanp(text, defaultCountry, parseForShortCut);
  if (nanp !== undefined) {
    if (!nanp.answer.valid) return null;
    return { phoneNumber: nanp.e164, type: declaredType ?? nanp.answer.type };
  }
  return parsePhone(text, defaultCountry, declaredType);
}

/** libphonenumber's own answer: the number in E.164 with its type, or null when not valid. */
export function parsePhone(text: string, defaultCountry: CountryCode, declaredType?: PhoneType): NormalizedPhone | null {
  const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
  if (parsed === undefined || !parsed.isValid()) return null;
  if (declaredType !== undefined) return { phoneNumber: parsed.number, type: declaredType };
  const found = parsed.getType();
  return { phoneNumber: parsed.number, type: (found && TYPES[found]) ?? 'Unknown' };
}

/** answerNanp's parser: it passes back the default country it was given. */
function parseForShortCut(text: string, defaultCountry: string): NanpAnswer {
  const phone = parsePhone(text, defaultCountry as CountryCode);
  return phone === null ? { valid: false, type: 'Unknown' } : { valid: true, type: phone.type };
}

/** Where a contact's numbers come from: one mapped path's value (a number or an array of them). */
export interface PhoneSource {
  value: unknown;
  /** The source path, named in messages. */
  path: string;
  /** Declared in the source map; wins over what the metadata says. */
  type?: PhoneType;
  /** The path's ConsentPath value said yes: every number of this path has consent. */
  consent?: boolean;
}

export interface PhoneNormalization {
  /** Whether any path held a value at all (MissingPhoneNumber when not). */
  present: boolean;
  /** Valid numbers: E.164, de-duplicated, in mapping order, at most maxDestinations. */
  numbers: NormalizedPhone[];
  /** Values that are not valid numbers, masked, each with its path: `***2345 (phone)`. */
  invalid: string[];
  /** Values left unread: after maxDestinations valid numbers, or after MAX_PARSED values. */
  overflow: number;
}

export function normalizePhones(sources: readonly PhoneSource[], defaultCountry: CountryCode, maxDestinations: number): PhoneNormalization {
  const out: PhoneNormalization = { present: false, numbers: [], invalid: [], overflow: 0 };
  const seen = new Set<string>();
  let parsed = 0;
  const take = (value: unknown, source: PhoneSource): void => {
    if (isAbsent(value)) return;
    out.present = true;
    // Once full, or after many bad values, the rest is not parsed: a CRM array of thousands of
    // numbers costs no more than a short one.
    if (out.numbers.length >= maxDestinations || parsed >= MAX_PARSED) {
      out.overflow++;
      return;
    }
    parsed++;
    const phone = normalizePhone(value, defaultCountry, source.type);
    if (phone === null) {
      out.invalid.push(`${describeInvalid(value)} (${source.path})`);
    } else if (!seen.has(phone.phoneNumber)) {
      seen.add(phone.phoneNumber);
      if (source.consent === true) phone.consent = true;
      out.numbers.push(phone);
    }
  };
  for (const source of sources) {
    if (Array.isArray(source.value)) {
      for (const element of source.value) take(element, source);
    } else {
      take(source.value, source);
    }
  }
  return out;
}

function describeInvalid(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? maskPhone(String(value)) : kindOf(value);
}

const callingCodes = new Set(getCountries().map((c) => getCountryCallingCode(c)));
const NON_DIGITS = /\D+/g;

/**
 * Whether E.164 digits may begin a number of some country: they start with a country calling code
 * (`1212`, `44`), or are the start of one (`8` of `86`, `880`, ...).
 */
export function startsLikeCallingCode(digits: string): boolean {
  for (const code of callingCodes) {
    if (digits.startsWith(code) || code.startsWith(digits)) return true;
  }
  return false;
}

/**
 * A number safe to show in a message or a log: only its last 4 digits, plus the country calling
 * code of an E.164 number (`+1******0100`, `+44******0958`, `******0100`).
 */
export function maskPhone(e164OrRaw: string): string {
  const digits = String(e164OrRaw).replace(NON_DIGITS, '');
  if (digits.length === 0) return '(no digits)';
  if (digits.length <= 4) return '*'.repeat(digits.length);
  const last4 = digits.slice(-4);
  let prefix = '';
  if (String(e164OrRaw).trimStart().startsWith('+')) {
    const cc = [1, 2, 3].map((n) => digits.slice(0, n)).find((c) => callingCodes.has(c));
    prefix = cc !== undefined && digits.length - cc.length > 4 ? `+${cc}` : '+';
  }
  const hidden = digits.length - 4 - Math.max(prefix.length - 1, 0);
  return `${prefix}${'*'.repeat(hidden)}${last4}`;
}
