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
