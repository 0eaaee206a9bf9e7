import type { CountryCode } from 'libphonenumber-js/max';
import {
  effectiveExpiration,
  EXPIRATION_FORMS,
  isExpired,
  parseDefaultExpirationDate,
  parseExpiration,
  type EffectiveExpiration,
  type Expiration,
  type ExpirationDefaults,
} from './expiration';
import { cleanText, characterCount, flagValue, isAbsent, normalizeFieldValue } from './field-value';
import { normalizePhones, type PhoneNormalization, type PhoneSource } from './phone-number';
import { cutDeeperThan, MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';
import { isPlainObject } from './plain-object';
import type { ProspectRow, RecordFailure, TimeZoneSource } from './prospect';
import { compileMapping, type CompiledMapping } from './record-mapping';
import { readPath } from './record-path';
import type { FailureCode } from './result-code';
import type { Mapping } from './source-map';
import { destinationZone, resolveTimeZone, type ContactZone } from './time-zone';
import { contactState, stateFromNumber } from './us-state';
import { kindOf } from './value-kind';

export interface PipelineOptions {
  mapping: Mapping;
  noTimeZoneReject: 'Yes' | 'No';
  /** An IANA zone, already resolved (zoneFromName), or null. */
  defaultTimeZone: string | null;
  /** Already checked with parseDefaultExpirationDate. */
  defaultExpirationDate: string | null;
  defaultExpirationDays: number | null;
  defaultCountry: CountryCode;
  maxDestinations: number;
  now: Date;
}

export interface PipelineOutput {
  rows: ProspectRow[];
  failures: RecordFailure[];
}

export const EXTERNAL_ID_MAX_LENGTH = 255;
const DUPLICATE_MESSAGE = 'an earlier record of this call has the same ExternalID; the first one counts';
const FALLBACK_NAMES: Record<TimeZoneSource, string> = {
  Field: 'TimeZone',
  Zip: 'the Zip',
  State: 'the State',
  Phone: "the primary number's prefix",
  Default: 'the default TimeZone',
};
/** How many bad numbers a message names before it says "and N more". */
const NAMED_NUMBERS = 5;

/** The ExternalIDs of a call seen so far: a Set<string>, or anything that answers as one does. */
export interface SeenExternalIds {
  has(id: string): boolean;
  add(id: string): unknown;
}

/**
 * CREATEPROSPECTS v2 as a pure function: each record becomes a row to store or a failure, never
 * both, never neither. Checks run in the contract's order and the first failing one answers:
 * InvalidRecord, MissingExternalId (or InvalidFieldValue for an ExternalID that is not text or a
 * number, or longer than 255 characters), DuplicateExternalId, MissingPhoneNumber,
 * InvalidPhoneNumber, InvalidFieldValue, TimeZoneNotFound, InvalidExpirationDate, Expired.
 *
 * An ExternalID counts as seen as soon as it has passed its own check, whatever happens to its
 * record later: a later record with the same ID is DuplicateExternalId even when the first one
 * failed (say, for its phone number). The answer then depends only on the order of records, not
 * on how the first one fared, and is the same however a call is cut into chunks.
 *
 * startIndex: index of records[0] in the whole call (callers process big calls in chunks);
 * seenExternalIds: shared across chunks of one call, for DuplicateExternalId.
 */
export function runPipeline(
  records: readonly unknown[],
  options: PipelineOptions,
  startIndex = 0,
  seenExternalIds: SeenExternalIds = new Set(),
): PipelineOutput {
  const plan = compileMapping(options.mapping);
  const parsedDefault = parseDefaultExpirationDate(options.defaultExpirationDate);
  if (!parsedDefault.ok) throw new Error(`runPipeline: ${parsedDefault.message}`);
  const context: Context = {
    plan,
    options,
    seen: seenExternalIds,
    expirationDefaults: {
      defaultExpirationDate: parsedDefault.value,
      defaultExpirationDays: options.defaultExpirationDays,
    },
    defaultExpirationByZone: new Map(),
  };
  const out: PipelineOutput = { rows: [], failures: [] };
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const index = startIndex + i;
    const result = processRecord(record, index, context);
    if ('resultCode' in result) out.failures.push(result);
    else out.rows.push(result);
  }
  return out;
}

interface Context {
  plan: CompiledMapping;
  options: PipelineOptions;
  seen: SeenExternalIds;
  expirationDefaults: ExpirationDefaults;
  /** Most records carry no expiration of their own: theirs then depends on the zone alone. */
  defaultExpirationByZone: Map<string, EffectiveExpiration>;
}

/** Why a record fails, from the step that found it. */
class Refusal {
  constructor(
    readonly code: FailureCode,
    readonly message: string,
  ) {}
}

function processRecord(record: unknown, index: number, ctx: Context): ProspectRow | RecordFailure {
  let externalId: string | null = null;
  const failure = (r: Refusal): RecordFailure => ({
    index,
    record,
    externalId,
    resultCode: r.code,
    resultMessage: r.message,
  });

  if (!isPlainObject(record)) {
    return failure(new Refusal('InvalidRecord', `a record must be a JSON object, not ${kindOf(record)}`));
  }
  // A record is 1 level; the API's whole body may nest MAX_JSON_DEPTH, so this bound only bites
  // on records that come another way (a CRM page, an import file). Kept and echoed cut short:
  // as given, it would overflow the stack wherever it is stringified.
  if (nestsDeeperThan(record, MAX_JSON_DEPTH)) {
    return {
      index,
      record: cutDeeperThan(record, MAX_JSON_DEPTH),
      externalId,
      resultCode: 'InvalidRecord',
      resultMessage: `the record nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep`,
    };
  }
  const id = readExternalId(record, ctx);
  if (id instanceof Refusal) return failure(id);
  externalId = id;
  if (ctx.seen.has(id)) {
    return failure(new Refusal('DuplicateExternalId', DUPLICATE_MESSAGE));
  }
  ctx.seen.add(id);

  const { plan, options } = ctx;
  const phones = readPhones(record, ctx);
  if (phones instanceof Refusal) return failure(phones);
  const values = readFields(record, plan);
  if (values instanceof Refusal) return failure(values);

  const warnings: string[] = [];
  const zone = contactZone(record, phones.primary, ctx, warnings);
  if (zone instanceof Refusal) return failure(zone);
  const expiration = contactExpiration(record, zone.timeZone, ctx);
  if (expiration instanceof Refusal) return failure(expiration);

  if (phones.invalid.length > 0) warnings.push(`dropped invalid number(s): ${nameNumbers(phones.invalid)}`);
  if (phones.overflow > 0) {
    warnings.push(`ignored ${phones.overflow} more number(s) past the limit of ${options.maxDestinations}`);
  }
  return {
    index,
    externalId: id,
    ...values,
    timeZone: zone.timeZone,
    timeZoneSource: zone.source,
    // The calling rules' states (contract section 9), kept with the rows so a claim looks nothing up.
    state: contactState(values.fields.State, values.fields.Zip),
    dialByHand: values.fields.Compliance === true,
    expirationDate: expiration.expirationDate,
    expiresAt: expiration.expiresAt,
    destinations: phones.numbers.map((p) => ({
      phoneNumber: p.phoneNumber,
      type: p.type,
      timeZone: destinationZone(p.phoneNumber, zone.timeZone),
      state: stateFromNumber(p.phoneNumber),
      consent: p.consent === true,
    })),
    warnings,
  };
}

function readExternalId(record: Record<string, unknown>, { plan }: Context): string | Refusal {
  const raw = readPath(record, plan.externalId.segments);
  const label = `ExternalID (${plan.externalId.path})`;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (raw !== null && raw !== undefined && typeof raw !== 'string') {
    return new Refusal('InvalidFieldValue', `${label} must be text or a number (got ${kindOf(raw)})`);
  }
  const id = typeof raw === 'string' ? cleanText(raw) : '';
  if (id === '') return new Refusal('MissingExternalId', `${label} has no value`);
  if (id.length > EXTERNAL_ID_MAX_LENGTH && characterCount(id) > EXTERNAL_ID_MAX_LENGTH) {
    return new Refusal('InvalidFieldValue', `${label} is longer than ${EXTERNAL_ID_MAX_LENGTH} characters`);
  }
  return id;
}

type ContactPhones = PhoneNormalization & { primary: string };

function readPhones(record: Record<string, unknown>, { plan, options }: Context): ContactPhones | Refusal {
  const sources: PhoneSource[] = plan.phones.map((p) => {
    const source: PhoneSource = { value: readPath(record, p.segments), path: p.path };
    if (p.type) source.type = p.type;
    // A true/yes value at ConsentPath is consent; anything else (absent, no, unreadable) is none.
    if (p.consent && flagValue(readPath(record, p.consent.segments)) === true) source.consent = true;
    return source;
  });
  const phones = normalizePhones(sources, options.defaultCountry, options.maxDestinations);
  if (!phones.present) {
    return new Refusal('MissingPhoneNumber', `no value at PhoneNumber ${plan.phones.map((p) => quote(p.path)).join(', ')}`);
  }
  const primary = phones.numbers[0];
  if (primary === undefined) return new Refusal('InvalidPhoneNumber', `no valid phone number: ${nameNumbers(phones.invalid)}`);
  return { ...phones, primary: primary.phoneNumber };
}

type FieldValues = Pick<ProspectRow, 'firstName' | 'lastName' | 'priority' | 'score' | 'fields'>;

/** Every other mapped field, normalized; a refusal names every bad one. */
function readFields(record: Record<string, unknown>, plan: CompiledMapping): FieldValues | Refusal {
  const out: FieldValues = { firstName: null, lastName: null, priority: 0, score: null, fields: {} };
  let problems: string[] | undefined;
  for (const f of plan.fields) {
    const raw = readPath(record, f.segments);
    if (isAbsent(raw)) continue;
    const v = normalizeFieldValue(f.field, raw);
    if (!v.ok) {
      (problems ??= []).push(v.problem);
      continue;
    }
    switch (f.field) {
      case 'FirstName':
        out.firstName = v.value as string;
        break;
      case 'LastName':
        out.lastName = v.value as string;
        break;
      case 'Priority':
        out.priority = v.value as number;
        break;
      case 'Score':
        out.score = v.value as number;
        break;
      default:
        out.fields[f.field] = v.value;
    }
  }
  return problems === undefined ? out : new Refusal('InvalidFieldValue', problems.join('; '));
}

function contactZone(
  record: Record<string, unknown>,
  primaryNumber: string,
  { plan, options }: Context,
  warnings: string[],
): ContactZone | Refusal {
  const rawZone = plan.timeZone ? readPath(record, plan.timeZone.segments) : undefined;
  const zone = resolveTimeZone(
    {
      timeZone: rawZone,
      zip: plan.zip ? readPath(record, plan.zip.segments) : undefined,
      state: plan.state ? readPath(record, plan.state.segments) : undefined,
      primaryNumber,
    },
    options,
  );
  if (zone === null) {
    const tried = [plan.timeZone && 'TimeZone', plan.zip && 'Zip', plan.state && 'State'].filter(Boolean);
    const from = tried.length > 0 ? `${tried.join(', ')} or the primary number's prefix` : "the primary number's prefix";
    return new Refusal('TimeZoneNotFound', `no time zone from ${from}; NoTimeZoneReject "Yes" with a TimeZone sets a default`);
  }
  if (zone.source !== 'Field' && !isAbsent(rawZone)) {
    warnings.push(`TimeZone (${plan.timeZone?.path}) names no known zone; used ${FALLBACK_NAMES[zone.source]}`);
  }
  return zone;
}

function contactExpiration(record: Record<string, unknown>, zone: string, ctx: Context): EffectiveExpiration | Refusal {
  const { plan, options } = ctx;
  let own: Expiration | null = null;
  if (plan.expirationDate) {
    const raw = readPath(record, plan.expirationDate.segments);
    if (!isAbsent(raw)) {
      own = parseExpiration(raw);
      if (own === null) {
        return new Refusal('InvalidExpirationDate', `ExpirationDate (${plan.expirationDate.path}) must be ${EXPIRATION_FORMS}`);
      }
    }
  }
  let expiration: EffectiveExpiration;
  if (own !== null) {
    expiration = effectiveExpiration(own, ctx.expirationDefaults, zone, options.now);
  } else {
    const known = ctx.defaultExpirationByZone.get(zone);
    expiration = known ?? effectiveExpiration(null, ctx.expirationDefaults, zone, options.now);
    if (known === undefined) ctx.defaultExpirationByZone.set(zone, expiration);
  }
  if (isExpired(expiration, options.now)) {
    return new Refusal('Expired', `expired ${expiration.expirationDate?.includes('T') ? 'at' : 'on'} ${expiration.expirationDate}`);
  }
  return expiration;
}

/** Masked numbers for a message: the first few, then how many more. */
export function nameNumbers(masked: readonly string[]): string {
  const named = masked.slice(0, NAMED_NUMBERS).join(', ');
  return masked.length > NAMED_NUMBERS ? `${named} and ${masked.length - NAMED_NUMBERS} more` : named;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}
