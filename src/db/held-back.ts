import { CALLABLE_SQL, IN_QUEUE_SQL, FREE_SQL, SKILLS_WITH_OPEN_ZONES } from './dial-queue';
import { currentRulesParams, rulesRefs, rulesValues } from './calling-rules-sql';
import type { DbClient } from './pool';
import { NUMBER_KEY_SQL, SUPPRESSED_SQL } from './suppression-match';

/** Why a contact in the queue, free, is not callable now (the first that holds, in this order). */
export const HELD_BACK_REASONS = ['Window', 'ClosedDay', 'StateRules', 'ManualOnly', 'Caps', 'Suppression'] as const;
export type HeldBackReason = (typeof HELD_BACK_REASONS)[number];

export interface HeldBack {
  skillNo: number;
  /** The skill's window as narrowed to the federal hours, and whether its state rules are on. */
  window: { Start: string; End: string };
  stateRules: boolean;
  counts: Record<HeldBackReason, number>;
  /**
   * The places ("zone|state|") of contacts held by the hours or a closed day (at most 50): the
   * service asks the pure engine when each next opens.
   */
  closedPlaces: string[];
}

/**
 * Per skill, how many contacts in the queue and free (neither claimed nor resting) each reason
 * keeps from being callable now, for an Autodial claim: outside the window or the federal hours
 * (Window), on a day their state closes (ClosedDay), outside their state's hours (StateRules),
 * only to be dialed by hand (ManualOnly), at a cap (Caps), every open number suppressed
 * (Suppression). One set-based statement for the skill list, on the same rules as the claim
 * (calling-rules-sql.ts) and CallableNow: a contact is counted under the first reason that holds.
 */
export async function heldBackCounts(client: DbClient, now: Date, skillNos: number[]): Promise<HeldBack[]> {
  if (skillNos.length === 0) return [];
  const r = rulesRefs(3);
  const both = (arr: string) => `(p.place = ANY(sk.${arr}) AND p.number_places && sk.${arr})`;
  const { rows } = await client.query<{
    skill_no: number;
    ws: string;
    we: string;
    state_rules: boolean;
    reasons: Record<string, number> | null;
    closed_places: string[] | null;
  }>(
    `WITH ${SKILLS_WITH_OPEN_ZONES('s.skill_no = ANY($2::int[])', r, true)}
     SELECT sk.skill_no, to_char(sk.ws, 'HH24:MI') AS ws, to_char(sk.we, 'HH24:MI') AS we, sk.state_rules,
            c.reasons, c.closed_places
     FROM sk_open sk
     CROSS JOIN LATERAL (
       WITH held AS MATERIALIZED (
         SELECT p.place, CASE
                  WHEN NOT ${both('in_window')} THEN 'Window'
                  WHEN NOT ${both('day_open')} THEN 'ClosedDay'
                  WHEN NOT ${both('any_open')} THEN 'StateRules'
                  WHEN p.dial_by_hand OR NOT (p.number_places && sk.places) THEN 'ManualOnly'
                  WHEN ${CALLABLE_SQL('p', '$1', r)} THEN NULL
                  WHEN EXISTS (SELECT 1 FROM destinations d
                               WHERE d.prospect_id = p.prospect_id AND d.status = 'Active' AND d.place = ANY(sk.places)
                                 AND NOT ${SUPPRESSED_SQL(NUMBER_KEY_SQL('d.phone_number'), 'sk.lists', 'sk.lens', '$1::timestamptz')})
                    THEN 'Caps'
                  ELSE 'Suppression'
                END AS reason
         FROM prospects p
         WHERE p.skill_no = sk.skill_no AND p.status = 'Active' AND ${IN_QUEUE_SQL('p', '$1')} AND ${FREE_SQL('p', '$1')}
       )
       SELECT (SELECT jsonb_object_agg(x.reason, x.n)
               FROM (SELECT reason, count(*) AS n FROM held WHERE reason IS NOT NULL GROUP BY reason) x) AS reasons,
              ARRAY(SELECT DISTINCT place FROM held WHERE reason IN ('Window', 'ClosedDay', 'StateRules') LIMIT 50) AS closed_places
     ) c
     ORDER BY sk.skill_no`,
    [now, skillNos, ...rulesValues(currentRulesParams(now))],
  );
  return rows.map((row) => ({
    skillNo: row.skill_no,
    window: { Start: row.ws, End: row.we },
    stateRules: row.state_rules,
    counts: Object.fromEntries(HELD_BACK_REASONS.map((k) => [k, Number(row.reasons?.[k] ?? 0)])) as Record<HeldBackReason, number>,
    closedPlaces: row.closed_places ?? [],
  }));
}
