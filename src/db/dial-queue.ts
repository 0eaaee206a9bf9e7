import { FEDERAL_HOURS } from '../domain/skill';
import {
  CAPS_SQL,
  LOCAL_PLACE_SQL,
  OPEN_PLACES_SQL,
  SKILL_FLAGS_SQL,
  KIND_CAPS_SQL,
  KIND_ID_SQL,
  SKILL_CAPS_FROM,
  SKILL_KINDS_SQL,
  UNDER_ALL_CAPS_SQL,
  UNDER_CAPS_SQL,
  WINDOW_PLACES_SQL,
  currentRulesParams,
  rulesRefs,
  rulesValues,
  type RulesRefs,
} from './calling-rules-sql';
import type { DbClient } from './pool';
import { LIST_IDS_SQL, NUMBER_KEY_SQL, PREFIX_LENGTHS_SQL, SKILL_LIST_NAMES_SQL, SUPPRESSED_SQL } from './suppression-match';

/**
 * The dialing queue as the brain and the dashboard see it: counts per skill. Claims and outcomes
 * live in ./claims.ts; both share the rules below.
 *
 * Zones: `time_zones` holds every zone in use (tens of rows), so "which zones are inside the
 * window now" is computed once per statement from it, instead of converting the clock for every
 * destination row. The window is narrowed again here to the federal hours, so that no skill row,
 * however written, can widen it; the hours come from the domain (FEDERAL_HOURS, the one home of
 * that rule), set into the text as constants of the code, never caller input.
 * `now` is always a parameter, never SQL now(), so tests fix the clock.
 */
export const WINDOW_START_SQL = `GREATEST(s.window_start, time '${FEDERAL_HOURS.Start}')`;
export const WINDOW_END_SQL = `LEAST(s.window_end, time '${FEDERAL_HOURS.End}')`;

/** A contact is in the queue: active and not expired at `now`. */
export const IN_QUEUE_SQL = (p: string, now: string) => `${p}.status = 'Active' AND (${p}.expires_at IS NULL OR ${p}.expires_at > ${now})`;

/**
 * A contact may be handed out now: not resting between attempts and not held by a live claim.
 * available_at (migration 003) is the later of next_attempt_at and claimed_until.
 */
export const FREE_SQL = (p: string, now: string) => `${p}.available_at <= ${now}`;

/**
 * A contact in the queue and free is callable now, for an Autodial claim (claims.ts, the same
 * rules): its own place and one of its active numbers' places are open (`sk.places`, a text[];
 * calling-rules-sql.ts), it is not to be dialed by hand, and, where the skill applies suppression
 * lists or the contact was claimed within the longest cap window, one such number is neither
 * suppressed nor at a cap. place and number_places (migration 040) are in prospects_dial_idx, so
 * a contact of a skill without lists, not claimed lately, costs no probe into destinations; the
 * others one probe each (and the suppression and cap probes of the claim).
 */
export const CALLABLE_SQL = (p: string, now: string, r: RulesRefs) =>
  `(${p}.expires_at IS NULL OR ${p}.expires_at > ${now}) AND ${FREE_SQL(p, now)}
   AND ${p}.place = ANY(sk.places) AND ${p}.number_places && sk.places AND NOT ${p}.dial_by_hand
   AND ((cardinality(sk.lists) = 0 AND ${UNDER_ALL_CAPS_SQL(p, now, r, 'sk.cap_min')})
        OR EXISTS (SELECT 1 FROM destinations d
                   WHERE d.prospect_id = ${p}.prospect_id AND d.status = 'Active' AND d.place = ANY(sk.places)
                     AND NOT ${SUPPRESSED_SQL(NUMBER_KEY_SQL('d.phone_number'), 'sk.lists', 'sk.lens', `${now}::timestamptz`)}
                     AND ${UNDER_CAPS_SQL(p, 'd', now, r, SKILL_CAPS_FROM('sk'))}))`;

/**
 * Skills (alias `s`, filtered by `where`) as `sk_open`: `open`, the zones inside their window at
 * $1 (shown by the dial-queue read), `places`, the places open for an Autodial claim, and the
 * suppression lists they apply with their prefix lengths; `cap_*` their caps. Skills share a
 * handful of windows and flags, so each combination's places are listed once, and a handful of
 * compliance settings, so each one's caps and lists are worked out once (SKILL_KINDS_SQL).
 */
export const SKILLS_WITH_OPEN_ZONES = (where: string, r: RulesRefs, withReasons = false) =>
  `${LOCAL_PLACE_SQL('$1', r)},
   local_time AS MATERIALIZED (
     SELECT name, ($1::timestamptz AT TIME ZONE name)::time AS t FROM time_zones
   ),
   sk AS MATERIALIZED (
     SELECT x.*, ${KIND_ID_SQL}
     FROM (SELECT s.skill_no, ${WINDOW_START_SQL} AS ws, ${WINDOW_END_SQL} AS we, ${SKILL_FLAGS_SQL}, ${SKILL_LIST_NAMES_SQL}
           FROM skills s WHERE ${where}) x
   ),
   win AS MATERIALIZED (
     SELECT w.ws, w.we, w.state_rules, w.wcr,
            ARRAY(SELECT lt.name FROM local_time lt WHERE lt.t >= w.ws AND lt.t < w.we) AS open,
            ${OPEN_PLACES_SQL('w', true)} AS places${
              withReasons
                ? `,
            ${WINDOW_PLACES_SQL('w', false)} AS in_window, ${WINDOW_PLACES_SQL('w', true)} AS day_open,
            ${OPEN_PLACES_SQL('w', false)} AS any_open`
                : ''
            }
     FROM (SELECT DISTINCT ws, we, state_rules, wcr FROM sk) w
   ),
   ${SKILL_KINDS_SQL},
   caps AS MATERIALIZED (${CAPS_SQL(r, 'kind', 'kind_id')}),
   ${KIND_CAPS_SQL},
   -- Only the lists holding any entry (one probe each of their list_id indexes): a skill whose
   -- lists are empty (the built-in revocations list, mostly) is counted without a probe per contact.
   kind_lists AS MATERIALIZED (
     SELECT kd.kind_id,
            ARRAY(SELECT id FROM unnest(${LIST_IDS_SQL('kd.list_names', 'kd.dnc_list')}) AS id
                  WHERE EXISTS (SELECT 1 FROM suppression_numbers sn WHERE sn.list_id = id)
                     OR EXISTS (SELECT 1 FROM suppression_prefixes sp WHERE sp.list_id = id)) AS lists
     FROM kind kd
   ),
   kind_open AS MATERIALIZED (
     SELECT kl.kind_id, kl.lists, ${PREFIX_LENGTHS_SQL('kl.lists')} AS lens,
            kc.cap_state, kc.cap_calls, kc.cap_hours, kc.cap_per_number, kc.cap_min
     FROM kind_lists kl JOIN kind_caps kc USING (kind_id)
   ),
   sk_open AS MATERIALIZED (
     SELECT sk.skill_no, win.open, win.places, ko.lists, ko.lens,
            ko.cap_state, ko.cap_calls, ko.cap_hours, ko.cap_per_number, ko.cap_min${
              withReasons ? ', sk.ws, sk.we, sk.state_rules, win.in_window, win.day_open, win.any_open' : ''
            }
     FROM sk JOIN win USING (ws, we, state_rules, wcr) JOIN kind_open ko USING (kind_id)
   )`;

export interface CallableCount {
  skillNo: number;
  /** Active contacts, not expired. */
  depth: number;
  /** Of those, contacts with at least one destination callable now and not claimed. */
  callableNow: number;
  /** Every contact with status Active, expired or not: what counts against MaxInventory. */
  activeTotal: number;
}

/**
 * Exact Depth and CallableNow of many skills in one statement: the skills named (unknown ones are
 * left out), or else every skill with refill enabled. For the dashboard, the metrics and the manual
 * trigger; the brain, which needs less every tick, calls callableUpToMarks.
 *
 * Per skill it walks that skill's active contacts on prospects_dial_idx and, for each contact
 * that is free and whose own zone is open, looks for an open active number on
 * destinations_active_idx (index only). The cost is one index probe per such contact and grows
 * with the skills asked for, not with the table. Measured on the shared 2-core test box (load ~3),
 * 1,000 skills: 10 contacts each (2 numbers) ~26 ms, 50 each ~97 ms; the probes are most of it.
 */
export async function callableCounts(client: DbClient, now: Date, skillNos?: number[]): Promise<CallableCount[]> {
  const r = rulesRefs(3);
  const { rows } = await client.query<{ skill_no: number; depth: number; callable_now: number; active_total: number }>(
    `WITH ${SKILLS_WITH_OPEN_ZONES('CASE WHEN $2::int[] IS NULL THEN s.refill_enabled ELSE s.skill_no = ANY($2::int[]) END', r)}
     SELECT sk.skill_no, c.depth::int, c.callable_now::int, c.active_total::int
     FROM sk_open sk CROSS JOIN LATERAL (
       SELECT count(*) AS active_total,
              count(*) FILTER (WHERE p.expires_at IS NULL OR p.expires_at > $1) AS depth,
              count(*) FILTER (WHERE ${CALLABLE_SQL('p', '$1', r)}) AS callable_now
       FROM prospects p
       WHERE p.skill_no = sk.skill_no AND p.status = 'Active'
     ) c
     ORDER BY sk.skill_no`,
    [now, skillNos ?? null, ...rulesValues(currentRulesParams(now))],
  );
  return rows.map((r) => ({
    skillNo: r.skill_no,
    depth: r.depth,
    callableNow: r.callable_now,
    activeTotal: r.active_total,
  }));
}

/** A skill and the mark up to which its callable contacts are counted. */
export interface MarkToCount {
  skillNo: number;
  lowWaterMark: number;
}

export interface CallableUpToMark {
  skillNo: number;
  /**
   * Contacts callable now, counted only up to the skill's LowWaterMark: exact below the mark,
   * equal to the mark when the skill has at least that many. Not CallableNow: never show it.
   */
  callableUpToMark: number;
  /**
   * Every contact with status Active (what counts against MaxInventory), counted only for a skill
   * below its mark; null for the others.
   */
  activeTotal: number | null;
}

/**
 * What the brain needs of the skills due for a check, in one statement: whether each is below its
 * LowWaterMark and, only then, its exact CallableNow and active total. Counting stops at the mark,
 * so a skill with a full queue costs about `mark` index probes instead of one per contact, and the
 * active total (a second walk) is read only for skills that will fetch. Skills not found are
 * left out. Exact counts for people (HTTP, dashboard, manual trigger) come from callableCounts.
 */
export async function callableUpToMarks(client: DbClient, now: Date, marks: readonly MarkToCount[]): Promise<CallableUpToMark[]> {
  if (marks.length === 0) return [];
  const { rows } = await client.query<{ skill_no: number; callable: number; active_total: number | null }>(
    callableUpToMarksStatement(now, marks),
  );
  return rows.map((r) => ({ skillNo: r.skill_no, callableUpToMark: r.callable, activeTotal: r.active_total }));
}

/** The statement callableUpToMarks runs (exported so tests can EXPLAIN it at size). */
export function callableUpToMarksStatement(now: Date, marks: readonly MarkToCount[]): { text: string; values: unknown[] } {
  const r = rulesRefs(4);
  return {
    text: `WITH ${SKILLS_WITH_OPEN_ZONES('s.skill_no = ANY($2::int[])', r)},
     mark AS (SELECT skill_no, GREATEST(lwm, 0) AS lwm FROM unnest($2::int[], $3::int[]) AS m(skill_no, lwm))
     SELECT sk.skill_no, c.n::int AS callable,
            CASE WHEN c.n < mark.lwm THEN
              (SELECT count(*) FROM prospects p WHERE p.skill_no = sk.skill_no AND p.status = 'Active')::int
            END AS active_total
     FROM sk_open sk
     JOIN mark USING (skill_no)
     CROSS JOIN LATERAL (
       SELECT count(*) AS n FROM (
         SELECT 1 FROM prospects p
         WHERE p.skill_no = sk.skill_no AND p.status = 'Active' AND ${CALLABLE_SQL('p', '$1', r)}
         LIMIT mark.lwm
       ) callable
     ) c
     ORDER BY sk.skill_no`,
    values: [now, marks.map((m) => m.skillNo), marks.map((m) => m.lowWaterMark), ...rulesValues(currentRulesParams(now))],
  };
}

export interface DialQueueView extends CallableCount {
  /** From the skill's Refill; null when it has none. */
  lowWaterMark: number | null;
  targetDepth: number | null;
  refillEnabled: boolean;
  lastRefillAt: Date | null;
  /** In the queue and held by a live claim. */
  claimed: number;
  /** In the queue and resting between attempts. */
  resting: number;
  /** Still Active but past their expiration. */
  expired: number;
  /** Every zone in use whose local time is inside the skill's window now. */
  openZones: string[];
}

/**
 * One skill's dialing queue, or null when the skill does not exist.
 *
 * The skill is named by its parameter in the scans (not joined from sk), so the planner estimates
 * that skill's own share of the table: at 10,000,000 prospects joined from sk it assumed the
 * average skill and read the whole table (~2-3 s for a skill of 1,000,000). Every column counted
 * is in prospects_dial_idx (migration 011), so the read is one index-only scan: ~0.4 s at
 * 1,000,000 on the loaded 2-core test box, served from a copy by the service
 * (src/services/read-dial-queue.ts).
 */
export async function readDialQueue(client: DbClient, skillNo: number, now: Date): Promise<DialQueueView | null> {
  const { rows } = await client.query<{
    skill_no: number;
    refill_enabled: boolean;
    low_water_mark: number | null;
    target_depth: number | null;
    last_refill_at: Date | null;
    open: string[];
    active_total: number;
    depth: number;
    callable_now: number;
    claimed: number;
    resting: number;
  }>(dialQueueStatement(skillNo, now));
  const r = rows[0];
  if (!r) return null;
  return {
    skillNo: r.skill_no,
    refillEnabled: r.refill_enabled,
    lowWaterMark: r.low_water_mark,
    targetDepth: r.target_depth,
    lastRefillAt: r.last_refill_at,
    openZones: r.open,
    activeTotal: r.active_total,
    depth: r.depth,
    callableNow: r.callable_now,
    claimed: r.claimed,
    resting: r.resting,
    expired: r.active_total - r.depth,
  };
}

/** The statement readDialQueue runs (exported so tests can EXPLAIN it at size). */
export function dialQueueStatement(skillNo: number, now: Date): { text: string; values: unknown[] } {
  const r = rulesRefs(3);
  return {
    text: `WITH ${SKILLS_WITH_OPEN_ZONES('s.skill_no = $2', r)}
     SELECT s.skill_no, s.refill_enabled,
            (s.body #>> '{Refill,LowWaterMark}')::int AS low_water_mark,
            (s.body #>> '{Refill,TargetDepth}')::int AS target_depth,
            r.last_refill_at, sk.open,
            c.active_total::int, c.depth::int, c.callable_now::int, c.claimed::int, c.resting::int
     FROM sk_open sk
     JOIN skills s ON s.skill_no = sk.skill_no
     LEFT JOIN refill_state r ON r.skill_no = sk.skill_no
     CROSS JOIN LATERAL (
       SELECT count(*) AS active_total,
              count(*) FILTER (WHERE p.expires_at IS NULL OR p.expires_at > $1) AS depth,
              count(*) FILTER (WHERE ${CALLABLE_SQL('p', '$1', r)}) AS callable_now,
              count(*) FILTER (WHERE (p.expires_at IS NULL OR p.expires_at > $1) AND p.claimed_until > $1) AS claimed,
              count(*) FILTER (WHERE (p.expires_at IS NULL OR p.expires_at > $1) AND p.next_attempt_at > $1) AS resting
       FROM prospects p
       WHERE p.skill_no = $2 AND p.status = 'Active'
     ) c`,
    values: [now, skillNo, ...rulesValues(currentRulesParams(now))],
  };
}
