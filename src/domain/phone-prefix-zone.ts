import data from './data/phone-prefix-zones.json';

/**
 * E.164 digit prefix -> the zones numbers under it may be in (Google libphonenumber's map, see
 * data/README.md). Loaded into a Map once; a lookup is at most a dozen Map reads.
 */
const zonesByPrefix = new Map<string, readonly string[]>();
let longestPrefix = 0;
{
  const shared = new Map<string, readonly string[]>();
  for (const [prefix, joined] of Object.entries(data.prefixes as Record<string, string>)) {
    let zones = shared.get(joined);
    if (zones === undefined) {
      zones = Object.freeze(joined.split('&'));
      shared.set(joined, zones);
    }
    zonesByPrefix.set(prefix, zones);
    longestPrefix = Math.max(longestPrefix, prefix.length);
  }
}
const NONE: readonly string[] = Object.freeze([]);

/** The zones of the longest known prefix of an E.164 number; empty when no prefix is known. */
export function prefixZones(e164: string): readonly string[] {
  const digits = e164.charCodeAt(0) === 43 /* + */ ? e164.slice(1) : e164;
  for (let n = Math.min(longestPrefix, digits.length); n > 0; n--) {
    const zones = zonesByPrefix.get(digits.slice(0, n));
    if (zones !== undefined) return zones;
  }
  return NONE;
}

/** The number's zone where its prefix maps to exactly one; else null. */
export function zoneFromPhone(e164: string): string | null {
  const zones = prefixZones(e164);
  return zones.length === 1 ? (zones[0] as string) : null;
}
