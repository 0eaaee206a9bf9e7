/**
 * When a cached count may be served instead of counting again. Counting a big skill's dialing
 * queue reads every contact of the skill (~460 ms at 1,000,000 on the 2-core test box, load ~11),
 * too slow to answer every poll with; a small skill's count is cheaper than being unsure of it.
 */
export interface FreshnessRule {
  /** A copy taken longer ago than this is never served. */
  maxAgeMs: number;
  /** A count that took less than this is done again for every request: exact, never a copy. */
  exactBelowMs: number;
  /**
   * A count over fewer rows than this is done again for every request too, however long it took:
   * a small count that was slow says the machine is loaded, not that the count is dear, and its
   * caller (a dialer that just claimed, a test) expects to see its own writes. 0: no such floor.
   */
  exactBelowSize?: number;
  /**
   * A new count starts this long before the copy would be too old, plus the time the last count
   * took, so that a reader polling often never waits for one.
   */
  marginMs: number;
}

/** The dialing queue's counts (Depth, CallableNow, ...) are exact or at most a second old. */
export const DIAL_QUEUE_FRESHNESS: FreshnessRule = { maxAgeMs: 1_000, exactBelowMs: 20, exactBelowSize: 50_000, marginMs: 150 };

/** A copy of a count: taken at `takenAt` (ms on the clock that asks), in `tookMs`. */
export interface CountCopy {
  takenAt: number;
  tookMs: number;
  /** Rows the count went over (a skill's active contacts), when known. */
  size?: number;
}

export type Freshness = 'serve' | 'serve-and-refresh' | 'count';

/** What to do, at `now` (ms), with the copy of a count (or none). */
export function freshness(rule: FreshnessRule, copy: CountCopy | undefined, now: number): Freshness {
  if (copy === undefined || mustCountExactly(rule, copy)) return 'count';
  const age = now - copy.takenAt;
  // A copy from the future (a clock stepped back) cannot be vouched for.
  if (age < 0 || age > rule.maxAgeMs) return 'count';
  return age >= refreshAtAge(rule, copy) ? 'serve-and-refresh' : 'serve';
}

/** The age at which a copy's replacement is started: it should be ready before the copy is too old. */
export function refreshAtAge(rule: FreshnessRule, copy: CountCopy): number {
  return Math.max(0, rule.maxAgeMs - copy.tookMs - rule.marginMs);
}

/** A count cheap enough, or small enough, to be done again for every request. */
export function mustCountExactly(rule: FreshnessRule, copy: CountCopy): boolean {
  return copy.tookMs < rule.exactBelowMs || (copy.size !== undefined && copy.size < (rule.exactBelowSize ?? 0));
}
