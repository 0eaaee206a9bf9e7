/**
 * A JSON value Postgres will take into jsonb: jsonb refuses the NUL character and lone UTF-16
 * surrogates, both of which JSON.parse lets through from a caller's body. Strings (and keys)
 * holding them are repaired (NUL removed, a lone surrogate becomes U+FFFD); everything else is
 * returned as is, and a value needing no repair is returned itself, not copied.
 */
export function jsonSafe<T>(value: T): T {
  return repair(value) as T;
}

const BAD = /[\u0000\ud800-\udfff]/;
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function repairString(s: string): string {
  return BAD.test(s) ? s.replace(NUL, '').replace(LONE_SURROGATE, '\ufffd') : s;
}

function repair(value: unknown): unknown {
  if (typeof value === 'string') return repairString(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = repair(value[i]);
      if (v !== value[i]) (copy ??= value.slice())[i] = v;
    }
    return copy ?? value;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const repaired = entries.map(([k, v]) => [repairString(k), repair(v)] as const);
  if (repaired.every(([k, v], i) => k === entries[i]?.[0] && v === entries[i]?.[1])) return value;
  const copy: Record<string, unknown> = {};
  // defineProperty, so that a "__proto__" key stays a plain key.
  for (const [k, v] of repaired) {
    Object.defineProperty(copy, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
