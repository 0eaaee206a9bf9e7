import type { AppDeps } from '../app-deps';
import * as dialQueue from '../db/dial-queue';
import { DIAL_QUEUE_FRESHNESS } from '../domain/count-freshness';
import { FreshCounts } from './fresh-counts';
import { unknownSkill } from './skills';

export interface DialQueueDeps extends Pick<AppDeps, 'pool' | 'now'> {
  /** Whether a fetch of the skill is waiting or running (the refill queue knows); false when absent. */
  refillInFlight?: (skillNo: number) => Promise<boolean>;
}

/** GET /v1/skills/{SkillNo}/dial-queue. */
export interface DialQueueAnswer {
  SkillNo: number;
  /** Active contacts, not expired. */
  Depth: number;
  /** Of those, contacts with a number callable now, not claimed and not resting. */
  CallableNow: number;
  LowWaterMark: number | null;
  TargetDepth: number | null;
  /** Null when the refill queue could not be asked. */
  RefillInFlight: boolean | null;
  LastRefillAt: string | null;
  RefillEnabled: boolean;
  /** In the queue and held by a live claim. */
  Claimed: number;
  /** In the queue and resting between attempts. */
  Resting: number;
  /** Not finalized but past their expiration: no longer in the queue. */
  Expired: number;
  /** Zones in use whose local time is inside the skill's calling window now. */
  OpenTimeZones: string[];
}

/**
 * The counts of a service's (one deps') skills. Exact where counting is cheap; for a skill whose
 * count takes 20 ms or more (hundreds of thousands of contacts) a copy at most a second old on
 * deps.now(), kept fresh in the background while the skill is read every 10 s or more often (the
 * dashboard polls every 4 s). At 1,000,000 contacts in the skill that is a ~460 ms count about
 * every 0.9 s while someone watches: the price of a second's staleness, instead of every poll
 * waiting for it.
 */
const countsOf = new WeakMap<DialQueueDeps, FreshCounts<dialQueue.DialQueueView | null>>();

function dialQueueCounts(deps: DialQueueDeps): FreshCounts<dialQueue.DialQueueView | null> {
  let counts = countsOf.get(deps);
  if (!counts) {
    counts = new FreshCounts({
      rule: DIAL_QUEUE_FRESHNESS,
      now: deps.now,
      count: (skillNo, at) => dialQueue.readDialQueue(deps.pool, skillNo, at),
      watchMs: 10_000,
      sizeOf: (view) => (view ? view.activeTotal : 0),
    });
    countsOf.set(deps, counts);
  }
  return counts;
}

export async function readDialQueue(deps: DialQueueDeps, skillNo: number): Promise<DialQueueAnswer> {
  const { value: view } = await dialQueueCounts(deps).read(skillNo);
  if (!view) throw unknownSkill(skillNo);
  let inFlight: boolean | null = false;
  if (deps.refillInFlight) {
    // A Redis hiccup must not hide the queue's depth from a dialer: the flag alone goes unknown.
    inFlight = await deps.refillInFlight(skillNo).catch(() => null);
  }
  return {
    SkillNo: view.skillNo,
    Depth: view.depth,
    CallableNow: view.callableNow,
    LowWaterMark: view.lowWaterMark,
    TargetDepth: view.targetDepth,
    RefillInFlight: inFlight,
    LastRefillAt: view.lastRefillAt?.toISOString() ?? null,
    RefillEnabled: view.refillEnabled,
    Claimed: view.claimed,
    Resting: view.resting,
    Expired: view.expired,
    OpenTimeZones: view.openZones,
  };
}
