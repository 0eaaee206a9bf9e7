import { isSystemField, suggestField, REQUIRED_FIELDS } from './field-catalog';
import { PHONE_TYPES, type PhoneType } from './prospect';
import { isPlainObject } from './plain-object';
import { pathProblem } from './record-path';
import { kindOf } from './value-kind';

/**
 * One element of a PhoneNumber list: a path, optionally declaring the numbers' type and where the
 * called party's consent to autodialed calls to them is read (a true/yes value is consent;
 * contract section 9).
 */
export interface PhonePath {
  Path: string;
  Type?: PhoneType;
  ConsentPath?: string;
}
export type PhoneMapping = string | Array<string | PhonePath>;

/**
 * A validated source map: system field -> dot path into the source record. PhoneNumber takes one
 * path or an ordered list (the first is the primary destination). Kept in the form the caller
 * wrote, so reading it back shows what was sent.
 */
export interface Mapping {
  ExternalID: string;
  PhoneNumber: PhoneMapping;
  [field: string]: string | PhoneMapping;
}

export type MappingRefusalCode = 'InvalidRootNode' | 'InvalidFieldName' | 'MissingRequiredField' | 'ExceededMaxDestinations';

export type MappingValidation = { ok: true; mapping: Mapping } | { ok: false; code: MappingRefusalCode; message: string };

/** More fields than any CRM export needs; bounds the work per record. */
export const MAX_MAPPED_FIELDS = 250;

const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const phoneTypeByLowerCase = new Map(PHONE_TYPES.map((t) => [t.toLowerCase(), t]));

/** The `InvalidSource` rule: 1..100 characters of [A-Za-z0-9_.-], starting with a letter or digit. */
export function validateSourceName(name: string): boolean {
  return typeof name === 'string' && SOURCE_NAME.test(name);
}

class Refusal {
  constructor(
    readonly code: MappingRefusalCode,
    readonly message: string,
  ) {}
}

export function validateMapping(input: unknown, maxDestinations: number): MappingValidation {
  if (!isPlainObject(input)) {
    return {
      ok: false,
      code: 'InvalidRootNode',
      message: `Mapping must be an object of SystemField: SourcePath, not ${kindOf(input)}`,
    };
  }
  const keys = Object.keys(input);
  if (keys.length > MAX_MAPPED_FIELDS) {
    return {
      ok: false,
      code: 'InvalidFieldName',
      message: `Mapping has ${keys.length} fields; at most ${MAX_MAPPED_FIELDS}`,
    };
  }
  const mapping: Record<string, string | PhoneMapping> = {};
  try {
    for (const key of keys) {
      const value = input[key];
      if (!isSystemField(key)) throw new Refusal('InvalidFieldName', unknownFieldMessage(key));
      mapping[key] = key === 'PhoneNumber' ? validatePhoneMapping(value) : validatePath(key, value);
    }
  } catch (e) {
    if (e instanceof Refusal) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
  for (const required of REQUIRED_FIELDS) {
    if (!(required in mapping)) {
      return { ok: false, code: 'MissingRequiredField', message: `Mapping has no ${required}` };
    }
  }
  const count = phonePaths(mapping as Mapping).length;
  if (count > maxDestinations) {
    return {
      ok: false,
      code: 'ExceededMaxDestinations',
      message: `PhoneNumber maps ${count} paths; at most ${maxDestinations} destinations are allowed`,
    };
  }
  return { ok: true, mapping: mapping as Mapping };
}

/** PhoneNumber as an ordered list, whichever form the map was written in. */
export function phonePaths(mapping: Pick<Mapping, 'PhoneNumber'>): PhonePath[] {
  const p = mapping.PhoneNumber;
  const list = typeof p === 'string' ? [p] : p;
  return list.map((e) => (typeof e === 'string' ? { Path: e } : e));
}

/**
 * Whether two validated maps mean the same thing: the same fields to the same paths, and the
 * same phone paths and types in the same order. Key order and the phone form (`"p"`, `["p"]`,
 * `[{ "Path": "p" }]`) do not count: such a PUT answers `NoChangesMade`.
 */
export function mappingsEqual(a: Mapping, b: Mapping): boolean {
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  for (const key of aKeys) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (key === 'PhoneNumber') continue;
    if (a[key] !== b[key]) return false;
  }
  const pa = phonePaths(a);
  const pb = phonePaths(b);
  return (
    pa.length === pb.length && pa.every((e, i) => e.Path === pb[i]?.Path && e.Type === pb[i]?.Type && e.ConsentPath === pb[i]?.ConsentPath)
  );
}

function validatePath(field: string, value: unknown): string {
  const problem = pathProblem(value);
  if (problem !== undefined) {
    throw new Refusal('InvalidFieldName', `${field}: ${problem}${typeof value === 'string' ? ` (${quote(value)})` : ''}`);
  }
  return value as string;
}

function validatePhoneMapping(value: unknown): PhoneMapping {
  if (typeof value === 'string') return validatePath('PhoneNumber', value);
  if (!Array.isArray(value)) {
    throw new Refusal('InvalidFieldName', `PhoneNumber must be a source path or a list of them, not ${kindOf(value)}`);
  }
  if (value.length === 0) throw new Refusal('MissingRequiredField', 'PhoneNumber lists no path');
  return value.map((entry: unknown, i) => {
    const where = `PhoneNumber[${i}]`;
    if (typeof entry === 'string') return validatePath(where, entry);
    if (!isPlainObject(entry)) {
      throw new Refusal('InvalidFieldName', `${where} must be a path or { "Path", "Type", "ConsentPath" }, not ${kindOf(entry)}`);
    }
    for (const k of Object.keys(entry)) {
      if (k !== 'Path' && k !== 'Type' && k !== 'ConsentPath') {
        throw new Refusal('InvalidFieldName', `${where}: unknown key ${quote(k)} (use Path, Type and ConsentPath)`);
      }
    }
    const out: PhonePath = { Path: validatePath(`${where}.Path`, entry.Path) };
    if (entry.ConsentPath !== undefined && entry.ConsentPath !== null) {
      out.ConsentPath = validatePath(`${where}.ConsentPath`, entry.ConsentPath);
    }
    if (entry.Type !== undefined && entry.Type !== null) {
      const given = entry.Type;
      const type = typeof given === 'string' ? phoneTypeByLowerCase.get(given.toLowerCase()) : undefined;
      if (type === undefined) {
        const got = typeof given === 'string' ? quote(given) : kindOf(given);
        throw new Refusal('InvalidFieldName', `${where}.Type must be one of ${PHONE_TYPES.join(', ')}, not ${got}`);
      }
      out.Type = type;
    }
    return out;
  });
}

function unknownFieldMessage(key: string): string {
  if (key.startsWith('Custom.')) {
    return `${quote(key)} is not a valid custom field: write Custom.<Name>, a letter then up to 63 letters, digits or underscores`;
  }
  const suggestion = suggestField(key);
  return `${quote(key)} is not a system field${suggestion ? ` (did you mean ${suggestion}?)` : ''}`;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);
}
