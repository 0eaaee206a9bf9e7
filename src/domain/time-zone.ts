import type { TimeZoneSource } from './prospect';
import { zoneFromPhone } from './phone-prefix-zone';
import { zoneFromState } from './state-zone';
import { zoneFromZip } from './zip-zone';
import { zoneFromName } from './zone-name';

export { zoneFromName, canonicalZone } from './zone-name';
export { zoneFromZip, zip5 } from './zip-zone';
export { zoneFromState } from './state-zone';
export { prefixZones, zoneFromPhone } from './phone-prefix-zone';

/** What a contact's zone may be read from: the raw mapped values and its primary number. */
export interface ContactZoneInputs {
  /** The mapped TimeZone value: an IANA name or a US abbreviation (EST, CST, ...). */
  timeZone?: unknown;
  /** The mapped Zip: a US ZIP or ZIP+4. */
  zip?: unknown;
  /** The mapped State: a two-letter code or a full name. */
  state?: unknown;
  /** The primary destination in E.164. */
  primaryNumber?: string | null;
}

export interface ZoneFallback {
  /** `Yes`: a contact whose zone cannot be found gets defaultTimeZone; `No`: it is rejected. */
  noTimeZoneReject: 'Yes' | 'No';
  /** An IANA zone, already resolved (see zoneFromName). */
  defaultTimeZone: string | null;
}

export interface ContactZone {
  timeZone: string;
  source: TimeZoneSource;
}

/**
 * A contact's zone, first that answers: the mapped TimeZone, the Zip, the State where the whole
 * state is one zone, the primary number's prefix where it maps to exactly one zone, then the
 * default. Null means TimeZoneNotFound. A value that names no zone does not answer; the next
 * one is asked.
 */
export function resolveTimeZone(inputs: ContactZoneInputs, fallback: ZoneFallback): ContactZone | null {
  if (typeof inputs.timeZone === 'string') {
    const zone = zoneFromName(inputs.timeZone);
    if (zone !== null) return { timeZone: zone, source: 'Field' };
  }
  if (inputs.zip !== undefined && inputs.zip !== null) {
    const zone = zoneFromZip(inputs.zip);
    if (zone !== null) return { timeZone: zone, source: 'Zip' };
  }
  if (inputs.state !== undefined && inputs.state !== null) {
    const zone = zoneFromState(inputs.state);
    if (zone !== null) return { timeZone: zone, source: 'State' };
  }
  if (inputs.primaryNumber) {
    const zone = zoneFromPhone(inputs.primaryNumber);
    if (zone !== null) return { timeZone: zone, source: 'Phone' };
  }
  if (fallback.noTimeZoneReject === 'Yes' && fallback.defaultTimeZone !== null) {
    return { timeZone: fallback.defaultTimeZone, source: 'Default' };
  }
  return null;
}

/** A destination's own zone: its prefix's where that maps to exactly one zone, else the contact's. */
export function destinationZone(e164: string, contactZone: string): string {
  return zoneFromPhone(e164) ?? contactZone;
}
