/**
 * A set of strings that answers `has` and `add` exactly like a Set<string>, held in typed arrays
 * outside the JavaScript heap: the ExternalIDs an import has seen, for DuplicateExternalId across
 * a whole file.
 *
 * Why: a Set<string> of 1,000,000 IDs such as "EXT-123456" costs ~70-80 bytes an ID on the heap
 * (the string and the set's entry), and every major GC traces all of it, while V8 sizes the heap
 * it allows in proportion to what it finds live: the set grew the import's heap by ~70 MB and
 * its headroom with it. Here an ID costs its characters (1 byte each when all are below U+0100,
 * else 2) plus 8 bytes of index and 8-16 of hash table, in ArrayBuffers the GC never traces:
 * 34 MB for 1,000,000 IDs of ten characters, the arrays' doubling slack included (as fast to
 * fill as the Set: ~0.5 s).
 *
 * Exact, never probabilistic: a hash only picks the candidates, and a candidate matches when its
 * stored characters equal the ID's, code unit by code unit (lone surrogates included).
 */
export class ExternalIdSet {
  /** Characters of every ID, one after the other: a byte each, or two (little end first) when wide. */
  private chars = new Uint8Array(1 << 16);
  private used = 0;
  /** ID i's characters are chars[starts[i], starts[i + 1]). */
  private starts = new Uint32Array(1 << 10);
  /** Hash of ID i, its lowest bit replaced by "wide" (stored as two bytes a character). */
  private hashes = new Uint32Array(1 << 10);
  /** Open addressing, linear probing: 0 is empty, else the ID's number plus one. */
  private slots = new Uint32Array(1 << 11);
  private count = 0;

  /** `hash`: any 32-bit hash of an ID (tests pass a poor one to make every ID collide). */
  constructor(private readonly hash: (id: string) => number = fnv1a) {}

  get size(): number {
    return this.count;
  }

  has(id: string): boolean {
    return this.find(id, this.tag(id)) >= 0;
  }

  add(id: string): this {
    const tagged = this.tag(id);
    const at = this.find(id, tagged);
    if (at >= 0) return this;
    this.store(id, tagged, ~at);
    return this;
  }

  /** The slot holding `id` (>= 0), or ~(the empty slot where it would go). */
  private find(id: string, tagged: number): number {
    const mask = this.slots.length - 1;
    for (let slot = (tagged >>> 1) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return ~slot;
      if (this.hashes[entry - 1] === tagged && this.equals(entry - 1, id, (tagged & 1) === 1)) return slot;
    }
  }

  private equals(n: number, id: string, wide: boolean): boolean {
    const start = this.starts[n]!;
    const end = n + 1 < this.count ? this.starts[n + 1]! : this.used;
    const chars = this.chars;
    if (wide) {
      if (end - start !== id.length * 2) return false;
      for (let i = 0, at = start; i < id.length; i++, at += 2) {
        if ((chars[at]! | (chars[at + 1]! << 8)) !== id.charCodeAt(i)) return false;
      }
    } else {
      if (end - start !== id.length) return false;
      for (let i = 0; i < id.length; i++) if (chars[start + i] !== id.charCodeAt(i)) return false;
    }
    return true;
  }

  private store(id: string, tagged: number, slot: number): void {
    const wide = (tagged & 1) === 1;
    const bytes = wide ? id.length * 2 : id.length;
    if (this.used + bytes > this.chars.length) this.chars = grown(this.chars, this.used + bytes);
    if (this.count === this.starts.length) {
      this.starts = grown(this.starts, this.count + 1);
      this.hashes = grown(this.hashes, this.count + 1);
    }
    const n = this.count++;
    this.starts[n] = this.used;
    this.hashes[n] = tagged;
    const chars = this.chars;
    let at = this.used;
    for (let i = 0; i < id.length; i++) {
      const code = id.charCodeAt(i);
      if (wide) {
        chars[at++] = code & 0xff;
        chars[at++] = code >>> 8;
      } else {
        chars[at++] = code;
      }
    }
    this.used = at;
    this.slots[slot] = n + 1;
    // At most half full, so a probe ends after ~1.5 slots on average.
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  /** The ID's hash, its lowest bit replaced by whether a code unit is above 0xFF. */
  private tag(id: string): number {
    let wide = 0;
    for (let i = 0; i < id.length; i++) wide |= id.charCodeAt(i) >>> 8;
    return ((this.hash(id) & ~1) | (wide === 0 ? 0 : 1)) >>> 0;
  }

  private rehash(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let n = 0; n < this.count; n++) {
      let slot = (this.hashes[n]! >>> 1) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = n + 1;
    }
    this.slots = slots;
  }
}

/** FNV-1a over the UTF-16 code units, with the high bits mixed down (slots come from the low ones). */
function fnv1a(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  return hash ^ (hash >>> 12);
}

function grown<T extends Uint8Array | Uint32Array>(array: T, atLeast: number): T {
  let length = array.length * 2;
  while (length < atLeast) length *= 2;
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}
