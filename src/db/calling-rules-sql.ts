import { callingRulesInForce } from '../calling-rules-in-force';
import { rulesForDialMode, stateCalendar, type CallingRulesFile, type DialMode } from '../domain/calling-rules';

/**
 * The rules file as parameters of the dialing-queue statements (contract section 9): per state
 * its allowed minutes by ISO weekday (a closed weekday as [0, 0)), its closed dates (holidays,
 * for the year before to the year after, so any zone's local date is covered) and its caps.
 * Computed once per process and year; the statements never read the file.
 */
export interface RulesParams {
  version: string;
  hourState: string[];
  hourDow: number[];
  hourStart: number[];
  hourEnd: number[];
  closedState: string[];
  closedDay: string[];
  capState: string[];
  capCalls: number[];
  capHours: number[];
  capPerNumber: boolean[];
  /** The longest cap window in hours (the skill's 7 days, or a state's longer one). */
  longestCapHours: number;
}

/** Skill caps' windows: MaxAttemptsPerNumberPer24h and MaxAttemptsPerContactPer7Days. */
const SKILL_CAP_HOURS = [24, 7 * 24];

export function rulesParams(file: CallingRulesFile, year: number): RulesParams {
  const out: RulesParams = {
    version: file.Version,
    hourState: [],
    hourDow: [],
    hourStart: [],
    hourEnd: [],
    closedState: [],
    closedDay: [],
    capState: [],
    capCalls: [],
    capHours: [],
    capPerNumber: [],
    longestCapHours: Math.max(...SKILL_CAP_HOURS),
  };
  for (const state of Object.keys(file.States).sort()) {
    const cal = stateCalendar(file, state, year - 1, year + 1)!;
    cal.minutesByWeekday.forEach((m, dow) => {
      if (m === undefined) return;
      out.hourState.push(state);
      out.hourDow.push(dow);
      out.hourStart.push(m === null ? 0 : m[0]);
      out.hourEnd.push(m === null ? 0 : m[1]);
    });
    for (const day of cal.holidays.keys()) {
      out.closedState.push(state);
      out.closedDay.push(day);
    }
    for (const cap of cal.caps) {
      out.capState.push(state);
      out.capCalls.push(cap.Calls);
      out.capHours.push(cap.WindowHours);
      out.capPerNumber.push(cap.Scope === 'Number');
      out.longestCapHours = Math.max(out.longestCapHours, cap.WindowHours);
    }
  }
  return out;
}

const cached = new Map<DialMode, { year: number; params: RulesParams }>();

/**
 * The rules in force (the repository's, plus CALLING_RULES_FILE's) that hold a call dialed in
 * `mode`, as parameters for the UTC year of `now`, made once per year and mode.
 */
export function currentRulesParams(now: Date, mode: DialMode = 'Autodial'): RulesParams {
  const year = now.getUTCFullYear();
  let entry = cached.get(mode);
  if (entry?.year !== year) {
    entry = { year, params: rulesParams(rulesForDialMode(callingRulesInForce(), mode), year) };
    cached.set(mode, entry);
  }
  return entry.params;
}

/** The parameter values in the order RULES_SQL's references expect them. */
export function rulesValues(r: RulesParams): unknown[] {
  return [
    r.hourState,
    r.hourDow,
    r.hourStart,
    r.hourEnd,
    r.closedState,
    r.closedDay,
    r.capState,
    r.capCalls,
    r.capHours,
    r.capPerNumber,
    r.longestCapHours,
  ];
}

/** References to the parameters of rulesValues, starting at `$first`. */
export function rulesRefs(first: number) {
  const $ = (i: number) => `$${first + i}`;
  return {
    hours: `unnest(${$(0)}::text[], ${$(1)}::int[], ${$(2)}::int[], ${$(3)}::int[]) AS h(state, dow, s, e)`,
    closed: `unnest(${$(4)}::text[], ${$(5)}::date[]) AS c(state, day)`,
    caps: `unnest(${$(6)}::text[], ${$(7)}::int[], ${$(8)}::int[], ${$(9)}::boolean[]) AS k(state, calls, hours, per_number)`,
    longest: `make_interval(hours => ${$(10)}::int)`,
  };
}
export type RulesRefs = ReturnType<typeof rulesRefs>;

/**
 * CTE `local_place`: every place in use (call_places, migration 040) with its local time at `now`,
 * whether its state closes the whole local day (a holiday, a closed weekday: `day_open` false)
 * and whether its state's hours and days allow a call then (`state_open`; both true for a state
 * without rules). Tens to hundreds of rows, computed once per statement.
 */
export const LOCAL_PLACE_SQL = (now: string, r: RulesRefs) =>
  `local_place AS MATERIALIZED (
     SELECT d.place, d.unconsented_mobile, d.t, d.day_open, d.day_open AND d.hours_ok AS state_open
     FROM (
       SELECT cp.place, cp.unconsented_mobile, l.ts::time AS t,
              NOT EXISTS (SELECT 1 FROM ${r.closed} WHERE c.state = cp.state AND c.day = l.ts::date)
              AND NOT EXISTS (SELECT 1 FROM ${r.hours}
                              WHERE h.state = cp.state AND h.dow = extract(isodow FROM l.ts)::int AND h.s = h.e) AS day_open,
              NOT EXISTS (SELECT 1 FROM ${r.hours}
                          WHERE h.state = cp.state AND h.dow = extract(isodow FROM l.ts)::int
                            AND NOT (l.minute >= h.s AND l.minute < h.e)) AS hours_ok
       FROM call_places cp
       CROSS JOIN LATERAL (SELECT (${now}::timestamptz AT TIME ZONE cp.zone) AS ts) z
       CROSS JOIN LATERAL (SELECT z.ts, (extract(hour FROM z.ts) * 60 + extract(minute FROM z.ts))::int AS minute) l
     ) d
   )`;

/**
 * The places open for a skill's window and flags (`w`: ws, we, state_rules, wcr), as text[]:
 * inside the window (already narrowed to the federal hours), the state's hours and days where its
 * state rules are on, and for Autodial (`auto`) not a Mobile number without consent where the
 * skill requires wireless consent.
 */
export const OPEN_PLACES_SQL = (w: string, auto: boolean) =>
  `ARRAY(SELECT lp.place FROM local_place lp
         WHERE lp.t >= ${w}.ws AND lp.t < ${w}.we AND (lp.state_open OR NOT ${w}.state_rules)
           ${auto ? `AND NOT (${w}.wcr AND lp.unconsented_mobile)` : ''})`;

/**
 * The places inside a skill's window (`dayRule`: and not on a day their state closes), whatever
 * their state's hours: the dashboard tells the reasons apart with these.
 */
export const WINDOW_PLACES_SQL = (w: string, dayRule: boolean) =>
  `ARRAY(SELECT lp.place FROM local_place lp
         WHERE lp.t >= ${w}.ws AND lp.t < ${w}.we ${dayRule ? `AND (lp.day_open OR NOT ${w}.state_rules)` : ''})`;

/** A skill's flags from its body (alias `s`): StateRules (default true), WirelessConsentRequired. */
export const SKILL_FLAGS_SQL = `COALESCE((s.body #>> '{Compliance,StateRules}')::boolean, true) AS state_rules,
       COALESCE((s.body #>> '{Compliance,WirelessConsentRequired}')::boolean, false) AS wcr,
       (s.body #>> '{Compliance,MaxAttemptsPerNumberPer24h}')::int AS cap_number_24h,
       (s.body #>> '{Compliance,MaxAttemptsPerContactPer7Days}')::int AS cap_contact_7d`;

/**
 * Rows (`key`, state, calls, hours, per_number, rule) of the caps of the rows of `from` (a CTE
 * with `key`, state_rules and the skill's caps, SKILL_FLAGS_SQL): the skill's own (state null:
 * every contact) and, where its state rules are on, the states' caps (applying to a contact whose
 * own state or whose number's state it is). `from` is `sk` (a row per skill) or, for the counts
 * over many skills, `kind` (a row per distinct set of compliance settings: SKILL_KINDS_SQL).
 */
export const CAPS_SQL = (r: RulesRefs, from = 'sk', key = 'skill_no') =>
  `SELECT f.${key}, NULL::text AS state, x.calls, x.hours, x.per_number, x.rule
   FROM ${from} f
   CROSS JOIN LATERAL (VALUES
     (f.cap_number_24h, 24, true, 'MaxAttemptsPerNumberPer24h'),
     (f.cap_contact_7d, 168, false, 'MaxAttemptsPerContactPer7Days')
   ) AS x(calls, hours, per_number, rule)
   WHERE x.calls IS NOT NULL
   UNION ALL
   SELECT f.${key}, k.state, k.calls, k.hours, k.per_number, 'State:' || k.state
   FROM ${from} f CROSS JOIN ${r.caps} WHERE f.state_rules`;

/** The caps of one skill (`c`: a row of `sk_open`, its kind's caps) as rows k(state, calls, hours, per_number). */
export const SKILL_CAPS_FROM = (c: string) =>
  `unnest(${c}.cap_state, ${c}.cap_calls, ${c}.cap_hours, ${c}.cap_per_number) AS k(state, calls, hours, per_number)`;

/**
 * CTE `kind_caps`: per row of `kind` (SKILL_KINDS_SQL), its caps as arrays, so that a probe reads
 * its own skill's few caps instead of scanning every skill's (1,000 skills: 3,000 rows per probe,
 * ~150 ms a tick).
 */
export const KIND_CAPS_SQL = `kind_caps AS MATERIALIZED (
     SELECT kd.kind_id,
            coalesce(array_agg(k.state) FILTER (WHERE k.calls IS NOT NULL), '{}') AS cap_state,
            coalesce(array_agg(k.calls) FILTER (WHERE k.calls IS NOT NULL), '{}') AS cap_calls,
            coalesce(array_agg(k.hours) FILTER (WHERE k.calls IS NOT NULL), '{}') AS cap_hours,
            coalesce(array_agg(k.per_number) FILTER (WHERE k.calls IS NOT NULL), '{}') AS cap_per_number,
            min(k.calls) AS cap_min
     FROM kind kd LEFT JOIN caps k USING (kind_id) GROUP BY kd.kind_id
   )`;

/** The compliance settings (SKILL_FLAGS_SQL, SKILL_LIST_NAMES_SQL) that make skills of one kind. */
const KIND_COLUMNS = 'state_rules, wcr, cap_number_24h, cap_contact_7d, list_names, dnc_list';

/**
 * Column `kind_id` of a skill row carrying KIND_COLUMNS: one number per distinct set of them
 * (nulls equal), so that skills of the same compliance settings share it.
 */
export const KIND_ID_SQL = `dense_rank() OVER (ORDER BY ${KIND_COLUMNS}) AS kind_id`;

/**
 * CTE `kind`: a row per kind_id of `sk` (KIND_ID_SQL) with its compliance settings. Skills share
 * a handful of them, so the caps and the lists each setting applies are worked out once per
 * setting, not once per skill: at 500 skills of one setting, that per-skill work was ~9 of the
 * count statement's ~17 ms (EXPLAIN ANALYZE, the brain-tick bench's rows).
 */
export const SKILL_KINDS_SQL = `kind AS MATERIALIZED (SELECT DISTINCT ON (kind_id) kind_id, ${KIND_COLUMNS} FROM sk)`;

/**
 * Contact `p` is under every cap of its skill whatever number is dialed, known without reading
 * its numbers: not claimed within the longest window, the skill has no cap (`capMin` null), or
 * its claims within the longest window are fewer than the skill's smallest cap (every cap counts
 * a subset of them). One probe of claims_prospect_idx, and only for a contact claimed lately;
 * the others, near a cap, are left to UNDER_CAPS_SQL. Measured at the brain-tick bench's size
 * (1,000 skills, Florida's cap and the skill's two, one contact in ten claimed two days before):
 * the count statement went from a numbers probe and three cap probes per such contact to this one.
 */
export const UNDER_ALL_CAPS_SQL = (p: string, now: string, r: RulesRefs, capMin: string) =>
  `(${p}.last_claimed_at IS NULL OR ${p}.last_claimed_at <= ${now}::timestamptz - ${r.longest} OR ${capMin} IS NULL
    OR (SELECT count(*) FROM claims c
        WHERE c.prospect_id = ${p}.prospect_id
          AND c.claimed_at > ${now}::timestamptz - ${r.longest} AND c.claimed_at <= ${now}::timestamptz) < ${capMin})`;

/**
 * Number `d` of contact `p` is under every cap that applies at `now` (`capsFrom`: its skill's
 * caps, SKILL_CAPS_FROM): no contact claimed within the longest window is counted at all
 * (last_claimed_at, in prospects_dial_idx); for the others one range probe of claims_prospect_idx
 * reads its claims of the longest window (a handful: the caps stop them), and each cap counts its
 * own window and number among them, instead of one probe per cap. Claims count from when they
 * were handed out, whether an outcome came back or they lapsed.
 * The contact's state is read from its place ("zone|state|"), which prospects_dial_idx carries, so
 * that the count statements' walk of the queue stays index-only (p.state is not in that index).
 */
export const UNDER_CAPS_SQL = (p: string, d: string, now: string, r: RulesRefs, capsFrom: string) =>
  `(${p}.last_claimed_at IS NULL OR ${p}.last_claimed_at <= ${now}::timestamptz - ${r.longest}
    OR NOT EXISTS (
      SELECT 1
      FROM (SELECT array_agg(c.claimed_at) AS at, array_agg(c.phone_number) AS num FROM claims c
            WHERE c.prospect_id = ${p}.prospect_id
              AND c.claimed_at > ${now}::timestamptz - ${r.longest} AND c.claimed_at <= ${now}::timestamptz) recent
      CROSS JOIN ${capsFrom}
      WHERE (k.state IS NULL OR k.state = split_part(${p}.place, '|', 2) OR k.state = ${d}.state)
        AND k.calls <= (SELECT count(*) FROM unnest(recent.at, recent.num) AS u(at, num)
                        WHERE u.at > ${now}::timestamptz - make_interval(hours => k.hours)
                          AND (NOT k.per_number OR u.num = ${d}.phone_number))))`;
