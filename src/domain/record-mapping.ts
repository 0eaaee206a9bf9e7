import { fieldKind, type FieldKind, type SystemField } from './field-catalog';
import type { PhoneType } from './prospect';
import { compilePath, type CompiledPath } from './record-path';
import { phonePaths, type Mapping } from './source-map';

/** A source map made ready to read many records: every path split once. */
export interface CompiledMapping {
  externalId: MappedPath;
  phones: ReadonlyArray<MappedPath & { type?: PhoneType; consent?: MappedPath }>;
  /** Read for time-zone resolution (Zip and State are also stored among `fields`). */
  timeZone?: MappedPath;
  zip?: MappedPath;
  state?: MappedPath;
  expirationDate?: MappedPath;
  /** Every other mapped field, in mapping order, with how its value is read. */
  fields: ReadonlyArray<MappedPath & { field: SystemField; kind: FieldKind }>;
}

export interface MappedPath {
  /** As written in the map, for messages. */
  path: string;
  segments: CompiledPath;
}

const NOT_STORED_AS_FIELDS = new Set(['ExternalID', 'PhoneNumber', 'TimeZone', 'ExpirationDate']);
const compiled = new WeakMap<Mapping, CompiledMapping>();

/** The compiled form of a validated map; compiled once per map object, so chunks of a call share it. */
export function compileMapping(mapping: Mapping): CompiledMapping {
  let c = compiled.get(mapping);
  if (c === undefined) {
    c = compile(mapping);
    compiled.set(mapping, c);
  }
  return c;
}

function compile(mapping: Mapping): CompiledMapping {
  const at = (path: string): MappedPath => ({ path, segments: compilePath(path) });
  const optional = (field: string): MappedPath | undefined => {
    const p = mapping[field];
    return typeof p === 'string' ? at(p) : undefined;
  };
  const fields: Array<MappedPath & { field: SystemField; kind: FieldKind }> = [];
  for (const [field, path] of Object.entries(mapping)) {
    if (NOT_STORED_AS_FIELDS.has(field) || typeof path !== 'string') continue;
    fields.push({ ...at(path), field: field as SystemField, kind: fieldKind(field as SystemField) });
  }
  const c: CompiledMapping = {
    externalId: at(mapping.ExternalID),
    phones: phonePaths(mapping).map((p) => ({
      ...at(p.Path),
      ...(p.Type ? { type: p.Type } : {}),
      ...(p.ConsentPath ? { consent: at(p.ConsentPath) } : {}),
    })),
    fields,
  };
  const timeZone = optional('TimeZone');
  const zip = optional('Zip');
  const state = optional('State');
  const expirationDate = optional('ExpirationDate');
  if (timeZone) c.timeZone = timeZone;
  if (zip) c.zip = zip;
  if (state) c.state = state;
  if (expirationDate) c.expirationDate = expirationDate;
  return c;
}
