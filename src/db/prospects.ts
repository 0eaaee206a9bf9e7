import { copyField, copyJson, copyRows, withCopyClient } from './copy-text';
import { SOURCE_COLUMNS } from './prospect-columns';
import type { DbClient } from './pool';
import { UNDO_NUMBER_COLUMNS, undoCaptureCtes, undoNumbersCte } from './undo-capture';
import { jsonSafe } from '../domain/json-safe';
import type { Destination, ProspectRow, TimeZoneSource } from '../domain/prospect';

// Two-key advisory locks: the first key names what is locked, apart from other aggregates' locks.
// Advisory locks belong to the whole database, not to a schema: the second key hashes the schema
// in, so two installations in one database (or test files in their own schemas) never wait on
// each other's loads of the same skill and source.
const LOAD_LOCK_SPACE = 1_347_634_260;

/**
 * Serializes writers of one skill's prospects from one source until the transaction ends: a
 * multi-row upsert or delete then never waits on another in a lock cycle.
 */
export async function lockProspectSource(client: DbClient, skillNo: number, sourceName: string): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock($1, hashtext(current_schema() || '/' || $2::int || '/' || $3))", [
    LOAD_LOCK_SPACE,
    skillNo,
    sourceName,
  ]);
}

/**
 * lockProspectSource without waiting: false when a load (or an undo) of that skill and source
 * holds it now.
 */
export async function tryLockProspectSource(client: DbClient, skillNo: number, sourceName: string): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>(
    "SELECT pg_try_advisory_xact_lock($1, hashtext(current_schema() || '/' || $2::int || '/' || $3)) AS locked",
    [LOAD_LOCK_SPACE, skillNo, sourceName],
  );
  return rows[0]!.locked;
}

export interface UpsertContext {
  skillNo: number;
  sourceName: string;
  sourceMapVersion: number | null;
  runId: number | null;
  /**
   * Keep what undoing the run needs (run_undo_images, run_xacts: migration 050) in the upsert
   * itself. Default: whenever there is a run. False only for the bench's baseline.
   */
  keepUndo?: boolean;
}

/** The run whose undo data a load with this context keeps, or null when it keeps none. */
export function undoRunOf(ctx: UpsertContext): number | null {
  return ctx.keepUndo === false ? null : ctx.runId;
}

export interface UpsertedProspect {
  prospectId: number;
  externalId: string;
  created: boolean;
}

/**
 * Inserts or updates a slice of prospects, matched on (skill, source, ExternalID), answering which
 * were created, in the order of `rows`. An update replaces what the source says about the contact
 * and keeps what the dialer learned (Status, attempts, rest and claim): a re-posted contact that
 * was finalized stays finalized. The slice must not hold one ExternalID twice; hold
 * lockProspectSource first.
 *
 * The rows are COPYed into a session temp table, then upserted by one INSERT ... SELECT ... ON
 * CONFLICT. Against the same upsert over UNNEST of 10 array parameters, storing the bench's 45,000
 * prospects in slices of 5,000 took 1.25 s instead of 1.55 s, and node's part of it (building the
 * arrays, pg quoting them as array literals) was most of what the old way cost node: the whole
 * storage of a 50,000-record call went from 2.65 to 1.0 s of node CPU. A COPY straight into
 * prospects with ids from the identity sequence (a read first to tell new from known rows) was
 * no faster (1.18 s) and would lose Created/Updated from the upsert itself.
 * Given a pool, one of its clients does it in a transaction of its own.
 */
export async function upsertProspects(
  db: DbClient,
  ctx: UpsertContext,
  rows: readonly ProspectRow[],
  staged: string = stagingText(rows),
): Promise<UpsertedProspect[]> {
  if (rows.length === 0) return [];
  return withCopyClient(db, async (client) => {
    // Instead of a foreign key check per row (migration 009): the skill's row stays locked against
    // deletion until the transaction ends; a deleted skill raises 23503 as that check did.
    await client.query('SELECT lock_prospect_skill($1)', [ctx.skillNo]);
    // The staging table lives as long as the connection (no ON COMMIT action, so this also works
    // outside a transaction); TRUNCATE empties it for each slice, cheaply and transactionally.
    // Both ride in the COPY's own query: one round trip fewer per slice.
    await copyRows(
      client,
      STAGING,
      STAGING_COLUMNS,
      [staged],
      `CREATE TEMP TABLE IF NOT EXISTS ${STAGING} (
        external_id text, first_name text, last_name text, time_zone text, time_zone_source text,
        expiration_date text, expires_at timestamptz, priority integer, score double precision, fields jsonb,
        number_zones text[], state text, dial_by_hand boolean, number_places text[]);
      TRUNCATE ${STAGING}; `,
    );
    // Undo data (src/db/undo-capture.ts): the rows this upsert overwrites, read in its own snapshot.
    const keepUndo = undoRunOf(ctx) !== null;
    const { rows: upserted } = await client.query<{ prospect_id: number; external_id: string; created: boolean }>(
      upsertStatement(keepUndo),
      [ctx.skillNo, ctx.sourceName, ctx.sourceMapVersion, ctx.runId],
    );
    // Answered with each row's own ExternalID, also where storing it repaired it (a NUL dropped).
    const byStored = new Map(upserted.map((u) => [u.external_id, u]));
    return rows.map((r) => {
      const u = byStored.get(storedText(r.externalId));
      if (u === undefined) throw new Error('upsertProspects: a row was not answered by the upsert');
      return { prospectId: u.prospect_id, externalId: r.externalId, created: u.created };
    });
  });
}

/**
 * The upsert of a staged slice: `$1` skill, `$2` source, `$3` source map version, `$4` run id
 * (exported so the bench can EXPLAIN it at size).
 */
export function upsertStatement(keepUndo: boolean): string {
  return `${keepUndo ? `WITH ${undoCaptureCtes(STAGING)}\n       ` : ''}INSERT INTO prospects AS p (skill_no, source_name, external_id, first_name, last_name, time_zone,
         time_zone_source, expiration_date, expires_at, priority, score, fields, number_zones, state, dial_by_hand,
         number_places, source_map_version, last_run_id)
       SELECT $1, $2, s.external_id, s.first_name, s.last_name, s.time_zone, s.time_zone_source,
         s.expiration_date, s.expires_at, s.priority, s.score, s.fields, s.number_zones, s.state, s.dial_by_hand,
         s.number_places, $3, $4
       FROM ${STAGING} s
       ON CONFLICT (skill_no, source_name, external_id) DO UPDATE SET
         first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
         time_zone = EXCLUDED.time_zone, time_zone_source = EXCLUDED.time_zone_source,
         expiration_date = EXCLUDED.expiration_date, expires_at = EXCLUDED.expires_at,
         priority = EXCLUDED.priority, score = EXCLUDED.score, fields = EXCLUDED.fields,
         number_zones = EXCLUDED.number_zones, state = EXCLUDED.state, dial_by_hand = EXCLUDED.dial_by_hand,
         number_places = EXCLUDED.number_places, source_map_version = EXCLUDED.source_map_version, last_run_id = EXCLUDED.last_run_id,
         updated_at = now()
       RETURNING p.prospect_id, p.external_id, (p.xmax = 0) AS created`;
}

const STAGING = 'pg_temp.prospect_staging';
const STAGING_COLUMNS = ['external_id', ...SOURCE_COLUMNS, 'number_zones', 'number_places'];

/**
 * The COPY text upsertProspects stages `rows` with. A load makes it while the previous chunk is
 * being stored and hands it over (`staged`), so Postgres does not wait for it between statements.
 */
export function stagingText(rows: readonly ProspectRow[]): string {
  let text = '';
  // Values the pipeline made itself (IANA zone names, E.164 numbers, enums, integers) cannot hold
  // a tab, newline or backslash, so they go in without copyField's scan.
  for (const r of rows) {
    text += `${copyField(r.externalId)}\t${copyField(r.firstName)}\t${copyField(r.lastName)}\t${r.timeZone}\t${r.timeZoneSource}\t${copyField(r.expirationDate)}\t${copyField(r.expiresAt)}\t${r.priority}\t${copyField(r.score)}\t${copyJson(r.fields)}\t${r.state ?? '\\N'}\t${r.dialByHand ? 't' : 'f'}\t${numberZones(r.destinations)}\t${numberPlaces(r.destinations)}\n`;
  }
  return text;
}

/**
 * prospects.number_zones of a contact whose numbers are all active (as every number a load sends
 * is, until replaceDestinations puts back a finalized one): its numbers' zones, sorted, each once,
 * as an array literal. IANA names (letters, digits, `/_+-`) need no quoting in one.
 */
export function numberZones(destinations: readonly Pick<Destination, 'timeZone'>[]): string {
  if (destinations.length === 1) return `{${destinations[0]!.timeZone}}`;
  return `{${[...new Set(destinations.map((d) => d.timeZone))].sort().join(',')}}`;
}

/**
 * A number's place as migration 040 generates it (zone, area-code state, W for a Mobile number
 * without consent): what the dialing queue decides the hours by. Zone names, USPS codes and `|`
 * need no quoting in an array literal.
 */
export function numberPlace(d: Pick<Destination, 'timeZone' | 'state' | 'type' | 'consent'>): string {
  return `${d.timeZone}|${d.state ?? ''}|${d.type === 'Mobile' && !d.consent ? 'W' : ''}`;
}

/** A contact's place as migration 040 generates it: its zone and its state. */
export function contactPlace(r: Pick<ProspectRow, 'timeZone' | 'state'>): string {
  return `${r.timeZone}|${r.state ?? ''}|`;
}

/** prospects.number_places of a contact whose numbers are all active, as numberZones does zones. */
export function numberPlaces(destinations: readonly Pick<Destination, 'timeZone' | 'state' | 'type' | 'consent'>[]): string {
  if (destinations.length === 1) return `{${numberPlace(destinations[0]!)}}`;
  return `{${[...new Set(destinations.map(numberPlace))].sort().join(',')}}`;
}

/** Text as Postgres stores it from a COPY field (see copyField), to match what it answers. */
function storedText(s: string): string {
  return jsonSafe(s);
}

export interface DestinationRow extends Destination {
  prospectId: number;
  /** Mapping order within the contact; 0 is the primary number. */
  position: number;
}

/**
 * Makes the given prospects' destinations exactly `destinations`. A number that stays keeps its
 * status (a finalized wrong number stays finalized even when it moves position); a number no
 * longer sent is dropped. `replacedProspectIds` are the prospects that may already have
 * destinations (the updated ones).
 *
 * New prospects' destinations are COPYed straight into the table, as the bench's raw COPY
 * baseline does (89,000 destinations: 1.2 s against 1.4 s by INSERT over UNNEST; index upkeep,
 * which both pay, is most of it; the foreign-key check per row was another 0.6 s until migration
 * 007 left it to the upsert's row locks). Callers pass prospect ids answered by an upsert in the
 * same transaction: those rows stay locked until it ends, so none is deleted under them. Updated prospects' destinations are
 * COPYed to a staging table and only the rows that differ are deleted and inserted. A re-post
 * of unchanged contacts, the common case (a CRM page read again), then writes no destination:
 * their pages stay all-visible for the dialing queue's index-only reads and gather no dead rows,
 * and the bench's 89,000 take 0.7 s instead of 1.8 s by deleting and COPYing them all. Where
 * every number changed, this way costs 2.2 s against those 1.8 s.
 *
 * `undoRunId`: the run keeping undo data (undoRunOf), which keeps the numbers this deletes as they
 * were (run_undo_numbers, migration 053), in the same statement.
 */
export async function replaceDestinations(
  db: DbClient,
  replacedProspectIds: readonly number[],
  destinations: readonly DestinationRow[],
  undoRunId: number | null = null,
): Promise<void> {
  if (replacedProspectIds.length === 0 && destinations.length === 0) return;
  await withCopyClient(db, async (client) => {
    const replaced = new Set(replacedProspectIds);
    if (replaced.size > 0) {
      await copyRows(
        client,
        DESTINATION_STAGING,
        DESTINATION_COLUMNS.slice(0, 7),
        destinationLines(
          destinations.filter((d) => replaced.has(d.prospectId)),
          false,
        ),
        `CREATE TEMP TABLE IF NOT EXISTS ${DESTINATION_STAGING} (prospect_id bigint, position smallint,
           phone_number text, type text, time_zone text, state text, consent boolean);
         TRUNCATE ${DESTINATION_STAGING}; `,
      );
      // Only the rows whose status is worth keeping come back, and the contacts that hold a
      // finalized number (before the delete: a superset), whose number_zones the upsert, which
      // set it from every number sent, got wrong. Few or none; destinations_finalized_idx finds them.
      const { rows: kept } = await client.query<{
        prospect_id: number;
        phone_number: string | null;
        status: string | null;
        final_reason: string | null;
        held: boolean;
      }>(
        `WITH gone AS (
           DELETE FROM destinations d
           WHERE d.prospect_id = ANY($1::bigint[])
             AND NOT EXISTS (SELECT 1 FROM ${DESTINATION_STAGING} s
                             WHERE s.prospect_id = d.prospect_id AND s.position = d.position
                               AND s.phone_number = d.phone_number AND s.type = d.type AND s.time_zone = d.time_zone
                               AND s.state IS NOT DISTINCT FROM d.state AND s.consent = d.consent)
           RETURNING ${UNDO_NUMBER_COLUMNS.map((c) => `d.${c}`).join(', ')}, d.xmin::text::bigint AS xid)${
             undoRunId === null ? '' : `,\n         ${undoNumbersCte('gone', '$2::bigint')}`
           }
         SELECT prospect_id, phone_number, status, final_reason, false AS held FROM gone
         WHERE status <> 'Active' OR final_reason IS NOT NULL
         UNION ALL
         SELECT DISTINCT d.prospect_id, NULL, NULL, NULL, true FROM destinations d
         WHERE d.prospect_id = ANY($1::bigint[]) AND d.status <> 'Active'`,
        undoRunId === null ? [replacedProspectIds] : [replacedProspectIds, undoRunId],
      );
      const moved = kept.filter((k) => !k.held);
      // A position still taken holds the very row that was sent (the others are gone).
      await client.query(
        `INSERT INTO destinations (prospect_id, position, phone_number, type, time_zone, state, consent, status, final_reason)
         SELECT s.prospect_id, s.position, s.phone_number, s.type, s.time_zone, s.state, s.consent, coalesce(k.status, 'Active'), k.final_reason
         FROM ${DESTINATION_STAGING} s
         LEFT JOIN unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS k(prospect_id, phone_number, status, final_reason)
           ON k.prospect_id = s.prospect_id AND k.phone_number = s.phone_number
         WHERE NOT EXISTS (SELECT 1 FROM destinations d WHERE d.prospect_id = s.prospect_id AND d.position = s.position)`,
        [moved.map((k) => k.prospect_id), moved.map((k) => k.phone_number), moved.map((k) => k.status), moved.map((k) => k.final_reason)],
      );
      const held = kept.filter((k) => k.held).map((k) => k.prospect_id);
      if (held.length > 0) {
        await client.query(
          `UPDATE prospects p SET number_zones = ${ACTIVE_NUMBER_ZONES_SQL('p.prospect_id')},
             number_places = ${ACTIVE_NUMBER_PLACES_SQL('p.prospect_id')}
           WHERE p.prospect_id = ANY($1::bigint[])`,
          [held],
        );
      }
    }
    const fresh = replaced.size === 0 ? destinations : destinations.filter((d) => !replaced.has(d.prospectId));
    if (fresh.length > 0) await copyRows(client, 'destinations', DESTINATION_COLUMNS, destinationLines(fresh, true));
  });
}

/**
 * prospects.number_zones recomputed from the table: the zones of the contact's active numbers,
 * leaving out the one at `exceptPosition` (a number the same statement finalizes).
 */
export const ACTIVE_NUMBER_ZONES_SQL = (prospectId: string, exceptPosition?: string) =>
  `ARRAY(SELECT DISTINCT z.time_zone FROM destinations z
         WHERE z.prospect_id = ${prospectId} AND z.status = 'Active'${exceptPosition ? ` AND z.position <> ${exceptPosition}` : ''}
         ORDER BY 1)`;

/** prospects.number_places recomputed from the table, as ACTIVE_NUMBER_ZONES_SQL does zones. */
export const ACTIVE_NUMBER_PLACES_SQL = (prospectId: string, exceptPosition?: string) =>
  `ARRAY(SELECT DISTINCT z.place FROM destinations z
         WHERE z.prospect_id = ${prospectId} AND z.status = 'Active'${exceptPosition ? ` AND z.position <> ${exceptPosition}` : ''}
         ORDER BY 1)`;

const DESTINATION_STAGING = 'pg_temp.destination_staging';
const DESTINATION_COLUMNS = ['prospect_id', 'position', 'phone_number', 'type', 'time_zone', 'state', 'consent', 'status', 'final_reason'];

function* destinationLines(destinations: readonly DestinationRow[], withStatus: boolean): Generator<string> {
  const status = withStatus ? '\tActive\t\\N\n' : '\n';
  for (const d of destinations) {
    yield `${d.prospectId}\t${d.position}\t${copyField(d.phoneNumber)}\t${d.type}\t${d.timeZone}\t${d.state ?? '\\N'}\t${d.consent ? 't' : 'f'}${status}`;
  }
}

/**
 * Adds zones and places (numberPlace, contactPlace) to the small tables the dialing queue reads;
 * known ones are left alone. A place's parts are read back from it by the statement.
 */
export async function rememberTimeZones(db: DbClient, zones: Iterable<string>, places: Iterable<string> = []): Promise<void> {
  const names = [...new Set(zones)];
  const placeKeys = [...new Set(places)];
  if (names.length > 0) {
    await db.query('INSERT INTO time_zones (name) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (name) DO NOTHING', [names]);
  }
  if (placeKeys.length > 0) {
    await db.query(
      `INSERT INTO call_places (place, zone, state, unconsented_mobile)
       SELECT p, split_part(p, '|', 1), nullif(split_part(p, '|', 2), ''), split_part(p, '|', 3) = 'W'
       FROM unnest($1::text[]) AS p ORDER BY 1 ON CONFLICT (place) DO NOTHING`,
      [placeKeys],
    );
  }
}

/** A number as stored: what the load sent, and its status (a dialer's outcome may finalize it). */
export interface StoredDestination extends Omit<Destination, 'state' | 'consent'> {
  status: string;
}

/** A contact as stored: what the load sent (less its place in the call), and its status. */
export interface StoredProspect extends Omit<ProspectRow, 'index' | 'warnings' | 'destinations' | 'state' | 'dialByHand'> {
  prospectId: number;
  sourceName: string;
  status: string;
  destinations: StoredDestination[];
}

export interface ProspectQuery {
  skillNo: number;
  sourceName?: string | null;
  externalId?: string | null;
  /** E.164. */
  phoneNumber?: string | null;
  limit: number;
}

/**
 * Prospects of one skill matching every given criterion, oldest first, with their destinations.
 * An ExternalID or a phone number is required (GETPROSPECT reads contacts, it does not page).
 *
 * One statement per lookup key, each reaching its rows by its own index. A single statement with
 * `($n IS NULL OR ...)` for every criterion had one plan for all of them: with 670,000 contacts in
 * the skill the planner walked the skill on the unique index and probed each contact's numbers,
 * ~430 ms a call by phone. By phone the numbers come first from destinations_phone_idx
 * (materialized, so no plan can turn it into a walk of the skill); by ExternalID from the unique
 * (skill, source, ExternalID) index, and without a SourceName once per source the skill holds
 * (a few), listed by a skip scan of the same index.
 */
export async function findProspects(db: DbClient, q: ProspectQuery): Promise<StoredProspect[]> {
  const lookup = prospectLookup(q);
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
    destinations: StoredDestination[];
  }>(lookup.text, lookup.values);
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

/** The statement findProspects runs for `q` (exported so tests can EXPLAIN it at size). */
export function prospectLookup(q: ProspectQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [q.skillNo, q.limit];
  const param = (v: unknown) => `$${values.push(v)}`;
  const where: string[] = ['p.skill_no = $1'];
  let from = 'prospects p';
  let hits = '';
  if (q.externalId != null) {
    where.push(`p.external_id = ${param(q.externalId)}`);
    where.push(q.sourceName != null ? `p.source_name = ${param(q.sourceName)}` : `p.source_name = ANY(ARRAY(${SKILL_SOURCES_SQL}))`);
    if (q.phoneNumber != null) {
      where.push(`EXISTS (SELECT 1 FROM destinations d WHERE d.prospect_id = p.prospect_id AND d.phone_number = ${param(q.phoneNumber)})`);
    }
  } else if (q.phoneNumber != null) {
    hits = `WITH h AS MATERIALIZED (SELECT DISTINCT prospect_id FROM destinations WHERE phone_number = ${param(q.phoneNumber)})\n     `;
    from = 'h JOIN prospects p ON p.prospect_id = h.prospect_id';
    if (q.sourceName != null) where.push(`p.source_name = ${param(q.sourceName)}`);
  } else {
    throw new Error('findProspects: give an ExternalID or a phone number');
  }
  const text = `${hits}SELECT p.prospect_id, p.source_name, p.external_id, p.first_name, p.last_name, p.time_zone,
            p.time_zone_source, p.expiration_date, p.expires_at, p.priority, p.score, p.fields, p.status,
            coalesce((SELECT json_agg(json_build_object('phoneNumber', d.phone_number, 'type', d.type,
                                                        'timeZone', d.time_zone, 'status', d.status)
                                      ORDER BY d.position)
                      FROM destinations d WHERE d.prospect_id = p.prospect_id), '[]'::json) AS destinations
     FROM ${from}
     WHERE ${where.join(' AND ')}
     ORDER BY p.prospect_id
     LIMIT $2`;
  return { text, values };
}

/**
 * The distinct source names of skill $1, by a skip scan of the unique (skill, source, ExternalID)
 * index: one descent per source instead of a read of every contact.
 */
const SKILL_SOURCES_SQL = `WITH RECURSIVE src(name) AS (
    (SELECT source_name FROM prospects WHERE skill_no = $1 ORDER BY source_name LIMIT 1)
    UNION ALL
    SELECT (SELECT x.source_name FROM prospects x WHERE x.skill_no = $1 AND x.source_name > src.name
            ORDER BY x.source_name LIMIT 1)
    FROM src WHERE src.name IS NOT NULL)
  SELECT name FROM src WHERE name IS NOT NULL`;

/**
 * Which of `externalIds` the skill and source already hold (as the upsert would match them: in
 * their stored form), by one probe of the unique index each: what a dry run answers Updated.
 */
export async function knownExternalIds(
  db: DbClient,
  skillNo: number,
  sourceName: string,
  externalIds: readonly string[],
): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const stored = externalIds.map(storedText);
  const { rows } = await db.query<{ external_id: string }>(
    'SELECT external_id FROM prospects WHERE skill_no = $1 AND source_name = $2 AND external_id = ANY($3::text[])',
    [skillNo, sourceName, stored],
  );
  const found = new Set(rows.map((r) => r.external_id));
  return new Set(externalIds.filter((id, i) => found.has(stored[i]!)));
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
