import { heldBackCounts, HELD_BACK_REASONS, type HeldBackReason } from '../db/held-back';
import type { DbClient } from '../db/pool';
import { listSkills } from '../db/skills';
import { checkCall } from '../domain/calling-check';
import { callingRulesInForce } from '../calling-rules-in-force';

/** One skill's contacts kept from being callable now, by reason (GET /dashboard/api/held-back). */
export interface HeldBackView {
  SkillNo: number;
  HeldBack: Record<HeldBackReason, number>;
  /**
   * When the first of the contacts held by the hours or a closed day opens again (by the pure
   * check engine, for their own place: zone and state), within 14 days; null when none is held so.
   */
  NextOpensAt: string | null;
}

export { HELD_BACK_REASONS };

/**
 * Every skill's held-back counts: the skills, then one set-based statement for all of them, then
 * the next opening of each distinct closed place (a handful) by the engine the check route uses.
 */
export async function readHeldBack(db: DbClient, now: Date): Promise<HeldBackView[]> {
  const skills = await listSkills(db);
  if (skills.length === 0) return [];
  const rows = await heldBackCounts(
    db,
    now,
    skills.map((s) => s.SkillNo),
  );
  return rows.map((r) => {
    let next: number | null = null;
    for (const place of r.closedPlaces) {
      const [zone, state] = place.split('|');
      const party = { zone: zone!, state: state ? state : null };
      const at = checkCall(callingRulesInForce(), {
        number: party,
        contact: party,
        at: now,
        window: r.window,
        stateRules: r.stateRules,
      }).nextCallableAt;
      if (at !== null && (next === null || at.getTime() < next)) next = at.getTime();
    }
    return { SkillNo: r.skillNo, HeldBack: r.counts, NextOpensAt: next === null ? null : new Date(next).toISOString() };
  });
}
