/**
 * How deep a caller's JSON may nest. JSON.parse takes any depth, but recursive code does not:
 * JSON.stringify overflows the stack between 2,000 and 5,000 levels (measured on node 20), and it
 * runs on every stored record and every echoed answer. 64 levels leave CRM records far more room
 * than any real one uses (a body is 1, Data 2, a record 3).
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether `value` nests objects or arrays more than `limit` levels deep (a scalar is 0 levels,
 * `{}` and `[]` are 1). Walked with a stack of its own, so no input can exhaust the call stack;
 * it stops at the first value past the limit.
 */
export function nestsDeeperThan(value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** What stands where cutDeeperThan leaves a value out. */
export const LEFT_OUT = '(nested too deep: left out)';

/**
 * `value` itself when it nests at most `limit` levels; else a copy in which every object or array
 * that would sit deeper stands as LEFT_OUT. A refused record is kept and echoed this way: as given
 * as far as anything can store and print it. Copied with a stack of its own, like nestsDeeperThan.
 */
export function cutDeeperThan(value: unknown, limit: number = MAX_JSON_DEPTH): unknown {
  if (!nestsDeeperThan(value, limit)) return value;
  if (limit <= 0) return LEFT_OUT;
  const root = emptyLike(value as object);
  const work: { from: object; to: Record<string, unknown>; depth: number }[] = [{ from: value as object, to: root, depth: 1 }];
  while (work.length > 0) {
    const { from, to, depth } = work.pop()!;
    for (const [k, v] of Object.entries(from)) {
      let copy: unknown = v;
      if (v !== null && typeof v === 'object') {
        if (depth >= limit) copy = LEFT_OUT;
        else {
          copy = emptyLike(v);
          work.push({ from: v, to: copy as Record<string, unknown>, depth: depth + 1 });
        }
      }
      // defineProperty, so that a "__proto__" key stays a plain key.
      Object.defineProperty(to, k, { value: copy, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

function emptyLike(v: object): Record<string, unknown> {
  return (Array.isArray(v) ? [] : {}) as Record<string, unknown>;
}
