import type { AppDeps } from '../app-deps';
import * as dialQueue from '../db/dial-queue';
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

export async function readDialQueue(deps: DialQueueDeps, skillNo: number): Promise<DialQueueAnswer> {
  const view = await dialQueue.readDialQueue(deps.pool, skillNo, deps.now());
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
