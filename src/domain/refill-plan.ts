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
  /**
   * Active prospects with a destination callable now and not claimed. Needed exactly only below
   * `lowWaterMark`: any value at or above the mark means "at or above" (the brain counts no further).
   */
  callableNow: number;
  /** Active prospects of the skill, callable now or not; null when not counted (at or above the mark). */
  activeTotal: number | null;
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

/**
 * True when the skill's CheckIntervalSeconds has elapsed since its last check, give or take
 * `toleranceMs`. Ticks come on a fixed schedule but each reads the clock a few ms late, by a
 * different amount: without tolerance a check read late makes the next one fall short by those
 * ms and wait a whole extra tick. The brain passes half its tick period, so a skill is checked on
 * the tick nearest its interval (capped at half the interval, so it is never checked twice as often).
 */
export function isDue(view: Pick<SkillRefillView, 'checkIntervalSeconds' | 'lastCheckMs'>, nowMs: number, toleranceMs = 0): boolean {
  if (view.lastCheckMs === null) return true;
  // A clock that went backwards (another brain's, or NTP) makes the skill due rather than stuck.
  if (view.lastCheckMs > nowMs) return true;
  const intervalMs = view.checkIntervalSeconds * 1000;
  return nowMs - view.lastCheckMs >= intervalMs - earlyMs(intervalMs, toleranceMs);
}

/** How early a check may come: the tolerance, at most half the interval. */
function earlyMs(intervalMs: number, toleranceMs: number): number {
  return Math.min(Math.max(toleranceMs, 0), intervalMs / 2);
}

/**
 * Records to fetch for one skill now: `TargetDepth - CallableNow`, never past `MaxInventory` active
 * prospects, and nothing unless `CallableNow` is below `LowWaterMark`.
 */
export function fetchCount(view: Omit<SkillRefillView, 'skillNo' | 'checkIntervalSeconds' | 'lastCheckMs'>): number {
  if (view.callableNow >= view.lowWaterMark) return 0;
  const wanted = view.targetDepth - view.callableNow;
  // Below the mark the total is always counted; were it missing, fetching nothing keeps MaxInventory.
  const room = view.activeTotal === null ? 0 : view.maxInventory - view.activeTotal;
  return Math.max(0, Math.min(wanted, room));
}

/**
 * Records an operator's "Refill now" asks for: the Count given, or else what the brain would ask
 * (`TargetDepth - CallableNow`, at least one: the operator asked for a fetch), never past
 * `MaxInventory` active prospects. 0 when the skill has no room left: the trigger refuses then.
 */
export function manualFetchCount(
  view: Pick<SkillRefillView, 'targetDepth' | 'maxInventory' | 'callableNow'> & { activeTotal: number },
  asked?: number,
): number {
  const room = view.maxInventory - view.activeTotal;
  if (room <= 0) return 0;
  return Math.min(asked ?? Math.max(1, view.targetDepth - view.callableNow), room);
}

/**
 * The last-check time recorded for a check made at `nowMs`. A skill checked for the first time
 * is recorded as checked up to one interval earlier, by a fixed phase of its own, so that skills
 * that start together (a fresh install, a restarted brain, a flushed Redis) spread over the
 * interval instead of all coming due on the same tick: the brain's work per tick stays about
 * (skills / interval) instead of peaking at every skill once an interval. The phase stays short of
 * the interval by the tolerance, so that a skill just checked is never due again at once.
 */
export function recordedCheck(
  view: Pick<SkillRefillView, 'skillNo' | 'checkIntervalSeconds' | 'lastCheckMs'>,
  nowMs: number,
  toleranceMs = 0,
): number {
  if (view.lastCheckMs !== null) return nowMs;
  const intervalMs = view.checkIntervalSeconds * 1000;
  return nowMs - phase(view.skillNo, intervalMs - earlyMs(intervalMs, toleranceMs));
}

/** A skill's fixed offset in [0, intervalMs), spread by Knuth's multiplicative hash. */
function phase(skillNo: number, intervalMs: number): number {
  return (Math.imul(skillNo, 2654435761) >>> 0) % intervalMs;
}

/** `toleranceMs`: how early a check may come (see isDue); the brain passes half its tick period. */
export function planRefills(views: readonly SkillRefillView[], nowMs: number, toleranceMs = 0): RefillPlan {
  const checked: RefillPlan['checked'] = [];
  const fetches: RefillFetch[] = [];
  for (const view of views) {
    if (!isDue(view, nowMs, toleranceMs)) continue;
    checked.push({ skillNo: view.skillNo, checkMs: recordedCheck(view, nowMs, toleranceMs) });
    const count = fetchCount(view);
    if (count > 0) fetches.push({ skillNo: view.skillNo, count });
  }
  return { checked, fetches };
}
