import data from './data/phone-prefix-zones.json';

/**
 * E.164 digit prefix -> the zones numbers under it may be in (Google libphonenumber's map, see
 * data/README.md), loaded once into a digit trie: a lookup walks the number's digits once, with
 * no string made, and keeps the zones of the longest prefix passed (it runs for every number
 * of every load, so this is ~0.3 us instead of a dozen Map reads of fresh substrings).
 */
interface PrefixNode {
  zones: readonly string[] | null;
  next: (PrefixNode | undefined)[];
}
const newNode = (): PrefixNode => ({ zones: null, next: new Array<PrefixNode | undefined>(10) });
const root = newNode();
{
  const shared = new Map<string, readonly string[]>();
  for (const [prefix, joined] of Object.entries(data.prefixes as Record<string, string>)) {
    let zones = shared.get(joined);
    if (zones === undefined) {
      zones = Object.freeze(joined.split('&'));
      shared.set(joined, zones);
    }
    let node = root;
    for (let i = 0; i < prefix.length; i++) {
      const digit = prefix.charCodeAt(i) - 48;
      node = node.next[digit] ??= newNode();
    }
    node.zones = zones;
  }
}
const NONE: readonly string[] = Object.freeze([]);

/** The zones of the longest known prefix of an E.164 number; empty when no prefix is known. */
export function prefixZones(e164: string): readonly string[] {
  let found = NONE;
  let node: PrefixNode | undefined = root;
  for (let i = e164.charCodeAt(0) === 43 /* + */ ? 1 : 0; i < e164.length; i++) {
    const digit = e164.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    node = node.next[digit];
    if (node === undefined) break;
    if (node.zones !== null) found = node.zones;
  }
  return found;
}

/** The number's zone where its prefix maps to exactly one; else null. */
export function zoneFromPhone(e164: string): string | null {
  const zones = prefixZones(e164);
  return zones.length === 1 ? (zones[0] as string) : null;
}
