/**
 * The brain's decision, apart from the brain that does the I/O: given every refill-enabled skill's
 * thresholds, its current counts and when it was last checked, which skills are due for a check
 * now and how many records each due skill should fetch. Pure: the clock comes in as `nowMs`.
 */

/** What the brain knows of one refill-enabled skill at one tick. */
export interface SkillRefillView {
  skillNo: number;
  lowWaterMark: number;
  targetDepth: number;
  maxInventory: number;
  checkIntervalSeconds: number;
  /** Active prospects with a destination callable now and not claimed. */
  callableNow: number;
  /** Active prospects of the skill, callable now or not. */
  activeTotal: number;
  /** Epoch ms of the skill's last check, null when never checked. */
  lastCheckMs: number | null;
}

export interface RefillFetch {
  skillNo: number;
  count: number;
}

export interface RefillPlan {
  /** Skills whose check interval had elapsed, with the last-check time to record for each. */
  checked: Array<{ skillNo: number; checkMs: number }>;
  /** One fetch per skill below its low-water mark with room left under MaxInventory. */
  fetches: RefillFetch[];
}

/** True when the skill's CheckIntervalSeconds has elapsed since its last check. */
export function isDue(view: Pick<SkillRefillView, 'checkIntervalSeconds' | 'lastCheckMs'>, nowMs: number): boolean {
  if (view.lastCheckMs === null) return true;
  // A clock that went backwards (another brain's, or NTP) makes the skill due rather than stuck.
  if (view.lastCheckMs > nowMs) return true;
  return nowMs - view.lastCheckMs >= view.checkIntervalSeconds * 1000;
}

/**
 * Records to fetch for one skill now: `TargetDepth - CallableNow`, never past `MaxInventory` active
 * prospects, and nothing unless `CallableNow` is below `LowWaterMark`.
 */
export function fetchCount(view: Omit<SkillRefillView, 'skillNo' | 'checkIntervalSeconds' | 'lastCheckMs'>): number {
  if (view.callableNow >= view.lowWaterMark) return 0;
  const wanted = view.targetDepth - view.callableNow;
  const room = view.maxInventory - view.activeTotal;
  return Math.max(0, Math.min(wanted, room));
}

/**
 * The last-check time recorded for a check made at `nowMs`. A skill checked for the first time
 * is recorded as checked up to one interval earlier, by a fixed phase of its own, so that skills
 * that start together (a fresh install, a restarted brain, a flushed Redis) spread over the
 * interval instead of all coming due on the same tick: the brain's work per tick stays about
 * (skills / interval) instead of peaking at every skill once an interval.
 */
export function recordedCheck(view: Pick<SkillRefillView, 'skillNo' | 'checkIntervalSeconds' | 'lastCheckMs'>, nowMs: number): number {
  if (view.lastCheckMs !== null) return nowMs;
  const intervalMs = view.checkIntervalSeconds * 1000;
  return nowMs - phase(view.skillNo, intervalMs);
}

/** A skill's fixed offset in [0, intervalMs), spread by Knuth's multiplicative hash. */
function phase(skillNo: number, intervalMs: number): number {
  return (Math.imul(skillNo, 2654435761) >>> 0) % intervalMs;
}

export function planRefills(views: readonly SkillRefillView[], nowMs: number): RefillPlan {
  const checked: RefillPlan['checked'] = [];
  const fetches: RefillFetch[] = [];
  for (const view of views) {
    if (!isDue(view, nowMs)) continue;
    checked.push({ skillNo: view.skillNo, checkMs: recordedCheck(view, nowMs) });
    const count = fetchCount(view);
    if (count > 0) fetches.push({ skillNo: view.skillNo, count });
  }
  return { checked, fetches };
}
