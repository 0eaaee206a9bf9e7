/**
 * Dialing queues written straight into the tables, set-based, for the brain-tick and claim-rate
 * sections: skills with `perSkill` active contacts each, two numbers per contact (in the
 * contact's zone), priorities 0-9 spread evenly, numbers unique across the schema.
 */
import type pg from 'pg';

export interface DialQueueRows {
  skillNos: number[];
  perSkill: number;
  /** Contacts are spread over these zones in turn. */
  zones: string[];
  /** The skill body's Refill; refill_enabled follows it. Omitted: no refill. */
  refill?: Record<string, unknown>;
  /** The state of every contact and number (calling rules); none when omitted. */
  state?: string;
}

export async function seedDialQueue(pool: pg.Pool, rows: DialQueueRows): Promise<void> {
  const refill = rows.refill ? JSON.stringify(rows.refill) : null;
  await pool.query(
    `INSERT INTO skills (skill_no, name, body, refill_enabled)
     SELECT n, 'bench ' || n,
            jsonb_build_object('Name', 'bench ' || n) || COALESCE(jsonb_build_object('Refill', $2::jsonb), '{}'),
            $2::jsonb IS NOT NULL
     FROM unnest($1::int[]) AS n`,
    [rows.skillNos, refill],
  );
  await pool.query('INSERT INTO time_zones (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [rows.zones]);
  // Their places (migration 040), as a load lists them: numbers of type Unknown, so no W.
  await pool.query(
    `INSERT INTO call_places (place, zone, state, unconsented_mobile)
     SELECT z || '|' || coalesce($2, '') || '|', z, $2, false FROM unnest($1::text[]) AS z ON CONFLICT DO NOTHING`,
    [rows.zones, rows.state ?? null],
  );
  // One statement per 100 skills (or per skill when they are big) keeps each insert moderate.
  const per = Math.max(1, Math.floor(100_000 / rows.perSkill));
  for (let i = 0; i < rows.skillNos.length; i += per) {
    await pool.query(
      `WITH p AS (
         INSERT INTO prospects (skill_no, source_name, external_id, time_zone, time_zone_source, priority, number_zones,
                                state, number_places)
         SELECT s, 'crm', s || '-' || i, z.zone, 'Zip', (i * 7919) % 10, ARRAY[z.zone],
                $4::text, ARRAY[z.zone || '|' || coalesce($4::text, '') || '|']
         FROM unnest($1::int[]) AS s, generate_series(0, $3 - 1) AS i
         CROSS JOIN LATERAL (SELECT ($2::text[])[1 + i % cardinality($2::text[])] AS zone) z
         RETURNING prospect_id, time_zone)
       INSERT INTO destinations (prospect_id, position, phone_number, type, time_zone, state)
       SELECT prospect_id, pos, '+1' || (2000000000 + prospect_id * 2 + pos), 'Unknown', time_zone, $4::text
       FROM p, generate_series(0, 1) AS pos`,
      [rows.skillNos.slice(i, i + per), rows.zones, rows.perSkill, rows.state ?? null],
    );
  }
  // As autovacuum leaves a queue that has stood a while: statistics, and pages marked all-visible
  // (which lets the queue's counts read prospects_dial_idx alone).
  await pool.query('VACUUM (ANALYZE) skills, prospects, destinations, time_zones');
}
