import type { DbClient } from './pool';
import { jsonSafe } from '../domain/json-safe';
import type { Destination, PhoneType, ProspectRow, TimeZoneSource } from '../domain/prospect';

// Two-key advisory locks: the first key names what is locked, apart from other aggregates' locks.
const LOAD_LOCK_SPACE = 1_347_634_260;

/**
 * Serializes writers of one skill's prospects from one source until the transaction ends: a
 * multi-row upsert or delete then never waits on another in a lock cycle.
 */
export async function lockProspectSource(client: DbClient, skillNo: number, sourceName: string): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2::int || '/' || $3))", [LOAD_LOCK_SPACE, skillNo, sourceName]);
}

export interface UpsertContext {
  skillNo: number;
  sourceName: string;
  sourceMapVersion: number | null;
  runId: number | null;
}

export interface UpsertedProspect {
  prospectId: number;
  externalId: string;
  created: boolean;
}

/**
 * Inserts or updates a slice of prospects in one statement, matched on (skill, source, ExternalID).
 * An update replaces what the source says about the contact and keeps what the dialer learned
 * (Status, attempts, rest and claim): a re-posted contact that was finalized stays finalized.
 * The slice must not hold one ExternalID twice; hold lockProspectSource first.
 */
export async function upsertProspects(
  db: DbClient,
  ctx: UpsertContext,
  rows: readonly ProspectRow[],
): Promise<UpsertedProspect[]> {
  if (rows.length === 0) return [];
  const externalIds: string[] = [];
  const firstNames: (string | null)[] = [];
  const lastNames: (string | null)[] = [];
  const timeZones: string[] = [];
  const timeZoneSources: string[] = [];
  const expirationDates: (string | null)[] = [];
  const expiresAts: (Date | null)[] = [];
  const priorities: number[] = [];
  const scores: (number | null)[] = [];
  const fields: string[] = [];
  for (const r of rows) {
    externalIds.push(jsonSafe(r.externalId));
    firstNames.push(jsonSafe(r.firstName));
    lastNames.push(jsonSafe(r.lastName));
    timeZones.push(r.timeZone);
    timeZoneSources.push(r.timeZoneSource);
    expirationDates.push(r.expirationDate);
    expiresAts.push(r.expiresAt);
    priorities.push(r.priority);
    scores.push(r.score);
    fields.push(JSON.stringify(jsonSafe(r.fields)));
  }
  const { rows: upserted } = await db.query<{ prospect_id: number; external_id: string; created: boolean }>(
    `INSERT INTO prospects AS p (skill_no, source_name, external_id, first_name, last_name, time_zone,
       time_zone_source, expiration_date, expires_at, priority, score, fields, source_map_version, last_run_id)
     SELECT $1, $2, u.external_id, u.first_name, u.last_name, u.time_zone, u.time_zone_source,
       u.expiration_date, u.expires_at, u.priority, u.score, u.fields::jsonb, $3, $4
     FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                 $11::timestamptz[], $12::int[], $13::float8[], $14::text[])
       AS u(external_id, first_name, last_name, time_zone, time_zone_source, expiration_date,
            expires_at, priority, score, fields)
     ON CONFLICT (skill_no, source_name, external_id) DO UPDATE SET
       first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
       time_zone = EXCLUDED.time_zone, time_zone_source = EXCLUDED.time_zone_source,
       expiration_date = EXCLUDED.expiration_date, expires_at = EXCLUDED.expires_at,
       priority = EXCLUDED.priority, score = EXCLUDED.score, fields = EXCLUDED.fields,
       source_map_version = EXCLUDED.source_map_version, last_run_id = EXCLUDED.last_run_id,
       updated_at = now()
     RETURNING p.prospect_id, p.external_id, (p.xmax = 0) AS created`,
    [
      ctx.skillNo,
      ctx.sourceName,
      ctx.sourceMapVersion,
      ctx.runId,
      externalIds,
      firstNames,
      lastNames,
      timeZones,
      timeZoneSources,
      expirationDates,
      expiresAts,
      priorities,
      scores,
      fields,
    ],
  );
  return upserted.map((r) => ({ prospectId: r.prospect_id, externalId: r.external_id, created: r.created }));
}

export interface DestinationRow extends Destination {
  prospectId: number;
  /** Mapping order within the contact; 0 is the primary number. */
  position: number;
}

/**
 * Makes the given prospects' destinations exactly `destinations`, in two statements for the
 * whole slice. A number that stays keeps its status (a finalized wrong number stays finalized
 * even when it moves position); a number no longer sent is dropped.
 * `replacedProspectIds` are the prospects that may already have destinations (the updated ones).
 */
export async function replaceDestinations(
  db: DbClient,
  replacedProspectIds: readonly number[],
  destinations: readonly DestinationRow[],
): Promise<void> {
  const kept = new Map<string, { status: string; finalReason: string | null }>();
  if (replacedProspectIds.length > 0) {
    const { rows } = await db.query<{ prospect_id: number; phone_number: string; status: string; final_reason: string | null }>(
      `DELETE FROM destinations WHERE prospect_id = ANY($1::bigint[])
       RETURNING prospect_id, phone_number, status, final_reason`,
      [replacedProspectIds],
    );
    for (const r of rows) kept.set(`${r.prospect_id} ${r.phone_number}`, { status: r.status, finalReason: r.final_reason });
  }
  if (destinations.length === 0) return;
  const ids: number[] = [];
  const positions: number[] = [];
  const phones: string[] = [];
  const types: string[] = [];
  const zones: string[] = [];
  const statuses: string[] = [];
  const reasons: (string | null)[] = [];
  for (const d of destinations) {
    const before = kept.get(`${d.prospectId} ${d.phoneNumber}`);
    ids.push(d.prospectId);
    positions.push(d.position);
    phones.push(d.phoneNumber);
    types.push(d.type);
    zones.push(d.timeZone);
    statuses.push(before?.status ?? 'Active');
    reasons.push(before?.finalReason ?? null);
  }
  await db.query(
    `INSERT INTO destinations (prospect_id, position, phone_number, type, time_zone, status, final_reason)
     SELECT * FROM unnest($1::bigint[], $2::smallint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
    [ids, positions, phones, types, zones, statuses, reasons],
  );
}

/** Adds zones to the small table the dialing queue reads; known ones are left alone. */
export async function rememberTimeZones(db: DbClient, zones: Iterable<string>): Promise<void> {
  const names = [...new Set(zones)];
  if (names.length === 0) return;
  await db.query(
    'INSERT INTO time_zones (name) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (name) DO NOTHING',
    [names],
  );
}

export interface StoredProspect {
  prospectId: number;
  sourceName: string;
  externalId: string;
  firstName: string | null;
  lastName: string | null;
  timeZone: string;
  timeZoneSource: TimeZoneSource;
  expirationDate: string | null;
  expiresAt: Date | null;
  priority: number;
  score: number | null;
  fields: Record<string, unknown>;
  status: string;
  destinations: { phoneNumber: string; type: PhoneType; timeZone: string; status: string }[];
}

export interface ProspectQuery {
  skillNo: number;
  sourceName?: string | null;
  externalId?: string | null;
  /** E.164. */
  phoneNumber?: string | null;
  limit: number;
}

/** Prospects of one skill matching every given criterion, oldest first, with their destinations. */
export async function findProspects(db: DbClient, q: ProspectQuery): Promise<StoredProspect[]> {
  const { rows } = await db.query<{
    prospect_id: number;
    source_name: string;
    external_id: string;
    first_name: string | null;
    last_name: string | null;
    time_zone: string;
    time_zone_source: TimeZoneSource;
    expiration_date: string | null;
    expires_at: Date | null;
    priority: number;
    score: number | null;
    fields: Record<string, unknown>;
    status: string;
    destinations: { phoneNumber: string; type: PhoneType; timeZone: string; status: string }[];
  }>(
    `SELECT p.prospect_id, p.source_name, p.external_id, p.first_name, p.last_name, p.time_zone,
            p.time_zone_source, p.expiration_date, p.expires_at, p.priority, p.score, p.fields, p.status,
            coalesce((SELECT json_agg(json_build_object('phoneNumber', d.phone_number, 'type', d.type,
                                                        'timeZone', d.time_zone, 'status', d.status)
                                      ORDER BY d.position)
                      FROM destinations d WHERE d.prospect_id = p.prospect_id), '[]'::json) AS destinations
     FROM prospects p
     WHERE p.skill_no = $1
       AND ($2::text IS NULL OR p.source_name = $2)
       AND ($3::text IS NULL OR p.external_id = $3)
       AND ($4::text IS NULL OR p.prospect_id IN (SELECT prospect_id FROM destinations WHERE phone_number = $4))
     ORDER BY p.prospect_id
     LIMIT $5`,
    [q.skillNo, q.sourceName ?? null, q.externalId ?? null, q.phoneNumber ?? null, q.limit],
  );
  return rows.map((r) => ({
    prospectId: r.prospect_id,
    sourceName: r.source_name,
    externalId: r.external_id,
    firstName: r.first_name,
    lastName: r.last_name,
    timeZone: r.time_zone,
    timeZoneSource: r.time_zone_source,
    expirationDate: r.expiration_date,
    expiresAt: r.expires_at,
    priority: r.priority,
    score: r.score,
    fields: r.fields,
    status: r.status,
    destinations: r.destinations,
  }));
}

/** Deletes the prospects with these ExternalIDs (destinations and claims go with them). */
export async function removeProspects(
  db: DbClient,
  skillNo: number,
  sourceName: string,
  externalIds: readonly string[],
): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const { rows } = await db.query<{ external_id: string }>(
    `DELETE FROM prospects WHERE skill_no = $1 AND source_name = $2 AND external_id = ANY($3::text[])
     RETURNING external_id`,
    [skillNo, sourceName, externalIds],
  );
  return new Set(rows.map((r) => r.external_id));
}
