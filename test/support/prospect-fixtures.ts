import type pg from 'pg';
import type { ProspectRow } from '../../src/domain/prospect';

/**
 * Skills, prospects and destinations written straight into the tables, so the dialing-queue tests
 * stand on their own and do not depend on the create-prospects service.
 */

export interface SkillFixture {
  skillNo: number;
  windowStart?: string;
  windowEnd?: string;
  maxAttempts?: number;
  minRetryMinutes?: number;
  refillEnabled?: boolean;
  /** LowWaterMark / TargetDepth of the body's Refill; omitted: the skill has no Refill. */
  refill?: { LowWaterMark: number; TargetDepth: number };
  lastRefillAt?: Date;
  /** The body's Compliance (StateRules, caps, WirelessConsentRequired, lists). */
  compliance?: Record<string, unknown>;
}

export async function insertSkills(pool: pg.Pool, skills: SkillFixture[]): Promise<void> {
  const rows = skills.map((s) => ({
    skill_no: s.skillNo,
    name: `Skill ${s.skillNo}`,
    body: {
      Name: `Skill ${s.skillNo}`,
      CallingWindow: { Start: s.windowStart ?? '08:00', End: s.windowEnd ?? '21:00' },
      MaxAttempts: s.maxAttempts ?? 3,
      MinRetryMinutes: s.minRetryMinutes ?? 60,
      ...(s.compliance ? { Compliance: s.compliance } : {}),
      ...(s.refill ? { Refill: { Enabled: s.refillEnabled ?? true, SourceName: 'crm', ...s.refill } } : {}),
    },
    refill_enabled: s.refillEnabled ?? Boolean(s.refill),
    window_start: s.windowStart ?? '08:00',
    window_end: s.windowEnd ?? '21:00',
    max_attempts: s.maxAttempts ?? 3,
    min_retry_minutes: s.minRetryMinutes ?? 60,
    last_refill_at: s.lastRefillAt?.toISOString() ?? null,
  }));
  await pool.query(
    `WITH r AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(skill_no int, name text, body jsonb, refill_enabled boolean,
         window_start time, window_end time, max_attempts int, min_retry_minutes int, last_refill_at timestamptz)
     ), s AS (
       INSERT INTO skills (skill_no, name, body, refill_enabled, window_start, window_end, max_attempts, min_retry_minutes)
       SELECT skill_no, name, body, refill_enabled, window_start, window_end, max_attempts, min_retry_minutes FROM r
     )
     INSERT INTO refill_state (skill_no, last_refill_at)
     SELECT skill_no, last_refill_at FROM r WHERE last_refill_at IS NOT NULL`,
    [JSON.stringify(rows)],
  );
}

export interface DestinationFixture {
  phone: string;
  timeZone?: string;
  status?: 'Active' | 'Finalized';
  /** Area-code state; none by default. */
  state?: string | null;
  /** 'Unknown' by default. */
  type?: string;
  consent?: boolean;
}

export interface ProspectFixture {
  externalId: string;
  timeZone: string;
  sourceName?: string;
  firstName?: string;
  lastName?: string;
  priority?: number;
  expiresAt?: Date | null;
  status?: 'Active' | 'Finalized';
  attempts?: number;
  nextAttemptAt?: Date | null;
  claimedUntil?: Date | null;
  /** The contact's state (State, else Zip); none by default. */
  state?: string | null;
  /** The contact's Compliance flag. */
  dialByHand?: boolean;
  /** Positions follow the array order; a destination's zone defaults to the contact's. */
  destinations: DestinationFixture[];
}

/** Inserts prospects of one skill in array order and answers their prospect ids in that order. */
export async function insertProspects(pool: pg.Pool, skillNo: number, prospects: ProspectFixture[]): Promise<number[]> {
  const rows = prospects.map((p, i) => ({
    ord: i,
    source_name: p.sourceName ?? 'crm',
    external_id: p.externalId,
    first_name: p.firstName ?? null,
    last_name: p.lastName ?? null,
    time_zone: p.timeZone,
    priority: p.priority ?? 0,
    expires_at: p.expiresAt?.toISOString() ?? null,
    status: p.status ?? 'Active',
    attempts: p.attempts ?? 0,
    next_attempt_at: p.nextAttemptAt?.toISOString() ?? null,
    claimed_until: p.claimedUntil?.toISOString() ?? null,
    state: p.state ?? null,
    dial_by_hand: p.dialByHand ?? false,
    destinations: p.destinations.map((d, position) => ({
      position,
      phone_number: d.phone,
      time_zone: d.timeZone ?? p.timeZone,
      status: d.status ?? 'Active',
      state: d.state ?? null,
      type: d.type ?? 'Unknown',
      consent: d.consent ?? false,
    })),
  }));
  const { rows: ids } = await pool.query<{ prospect_id: number }>(
    `WITH r AS (
       SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(ord int, source_name text, external_id text, first_name text,
         last_name text, time_zone text, priority int, expires_at timestamptz, status text, attempts int,
         next_attempt_at timestamptz, claimed_until timestamptz, state text, dial_by_hand boolean, destinations jsonb)
     ), p AS (
       INSERT INTO prospects (skill_no, source_name, external_id, first_name, last_name, time_zone, time_zone_source,
         expiration_date, expires_at, priority, status, attempts, next_attempt_at, claimed_until, state, dial_by_hand, number_zones)
       SELECT $1, source_name, external_id, first_name, last_name, time_zone, 'Field',
         expires_at::text, expires_at, priority, status, attempts, next_attempt_at, claimed_until, state, dial_by_hand,
         ARRAY(SELECT DISTINCT x.time_zone FROM jsonb_to_recordset(r.destinations) AS x(time_zone text, status text)
               WHERE coalesce(x.status, 'Active') = 'Active' ORDER BY 1)
       FROM r ORDER BY ord
       RETURNING prospect_id, source_name, external_id
     ), d AS (
       INSERT INTO destinations (prospect_id, position, phone_number, type, time_zone, status, state, consent)
       SELECT p.prospect_id, x.position, x.phone_number, x.type, x.time_zone, x.status, x.state, x.consent
       FROM r JOIN p USING (source_name, external_id)
       CROSS JOIN LATERAL jsonb_to_recordset(r.destinations)
         AS x(position int, phone_number text, time_zone text, status text, state text, type text, consent boolean)
       RETURNING time_zone
     ), z AS (
       INSERT INTO time_zones (name)
       SELECT time_zone FROM r UNION SELECT time_zone FROM d
       ON CONFLICT DO NOTHING
     )
     SELECT p.prospect_id FROM r JOIN p USING (source_name, external_id) ORDER BY r.ord`,
    [skillNo, JSON.stringify(rows)],
  );
  const prospectIds = ids.map((r) => r.prospect_id);
  await refreshPlaces(pool, prospectIds);
  return prospectIds;
}

/**
 * Sets number_places of these prospects (all when none are named) from their stored numbers and lists their places in
 * call_places, as a load does (migration 040).
 */
export async function refreshPlaces(pool: pg.Pool, prospectIds?: readonly number[]): Promise<void> {
  await pool.query(
    `WITH u AS (
       UPDATE prospects p SET number_places = ARRAY(SELECT DISTINCT d.place FROM destinations d
                                                   WHERE d.prospect_id = p.prospect_id AND d.status = 'Active' ORDER BY 1)
       WHERE $1::bigint[] IS NULL OR p.prospect_id = ANY($1::bigint[])
     )
     INSERT INTO call_places (place, zone, state, unconsented_mobile)
     SELECT DISTINCT place, time_zone, state, place LIKE '%|W' FROM destinations WHERE $1::bigint[] IS NULL OR prospect_id = ANY($1::bigint[])
     UNION
     SELECT DISTINCT place, time_zone, state, false FROM prospects WHERE $1::bigint[] IS NULL OR prospect_id = ANY($1::bigint[])
     ON CONFLICT (place) DO NOTHING`,
    [prospectIds ?? null],
  );
}

/** A phone number of the test range (555-01xx style), unique per n. */
export function testPhone(n: number, area = '212'): string {
  return `+1${area}555${String(n).padStart(4, '0')}`;
}

/**
 * A contact as the pipeline hands it to upsertProspects: mobile numbers in the contact's zone
 * (New York unless `extra` says otherwise).
 */
export function prospectRow(externalId: string, phones: string[] = ['+12125550100'], extra: Partial<ProspectRow> = {}): ProspectRow {
  const timeZone = extra.timeZone ?? 'America/New_York';
  return {
    index: 0,
    externalId,
    firstName: 'Ann',
    lastName: null,
    timeZone,
    timeZoneSource: 'Zip',
    state: null,
    dialByHand: false,
    expirationDate: null,
    expiresAt: null,
    priority: 0,
    score: null,
    fields: {},
    destinations: phones.map((p) => ({ phoneNumber: p, type: 'Mobile', timeZone, state: null, consent: false })),
    warnings: [],
    ...extra,
  };
}

/**
 * A fixed-offset zone where it is mid-day at `now`, so numbers seeded in it are callable whatever
 * the clock says when a test that cannot fix the clock (a browser, a scrape) runs.
 */
export function zoneInsideWindow(now: Date): string {
  return zoneAtHours(now, 10, 19);
}

/** A fixed-offset zone where the local hour at `now` is `from`..`to` (inclusive). */
export function zoneAtHours(now: Date, from: number, to: number): string {
  for (let offset = -12; offset <= 14; offset++) {
    const zone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(now));
    if (hour >= from && hour <= to) return zone;
  }
  throw new Error(`no zone at ${from}-${to} h`);
}
