/**
 * A database filled to millions of prospects at bulk speed, for the scale section: INSERT ...
 * SELECT generate_series with the secondary indexes dropped, then rebuilt (a build sorts once; an
 * insert into five random-order btrees per row is what made seeding slow). The primary keys stay
 * (identity order: appends). Left as autovacuum leaves a table that has stood a while: statistics,
 * and pages all-visible.
 *
 * Contact i of skill s: ExternalID `seed-<s>-<i>`, source 'crm', priority (i * 7919) % 10, a
 * zone of `zones` in turn, expiring 2026-12-31, two numbers (seededPhone), unique and valid NANP.
 */
import type pg from 'pg';

export interface ScaleSkill {
  skillNo: number;
  contacts: number;
}

/** Area codes of the seeded numbers: 8,000,000 numbers each (exchanges 200-999). */
const AREAS = ['212', '312', '415', '713', '305', '206', '617', '303'];

/** The number a seeded contact's `pos`-th destination holds (E.164). */
export function seededPhone(prospectId: number, pos: 0 | 1): string {
  const n = prospectId * 2 + pos;
  return `+1${AREAS[Math.floor(n / 8_000_000)]}${2_000_000 + (n % 8_000_000)}`;
}

const SEEDED_PHONE_SQL = (n: string) => `'+1' || ('{${AREAS.join(',')}}'::text[])[1 + (${n}) / 8000000] || (2000000 + (${n}) % 8000000)`;

/** Skills are made here unless they exist already (the bench skill, put by benchDeps). */
export async function seedScale(pool: pg.Pool, skills: readonly ScaleSkill[], zones: readonly string[], chunk = 1_000_000): Promise<void> {
  await pool.query(
    `INSERT INTO skills (skill_no, name, body) SELECT n, 'scale ' || n, jsonb_build_object('Name', 'scale ' || n)
     FROM unnest($1::int[]) AS n ON CONFLICT (skill_no) DO NOTHING`,
    [skills.map((s) => s.skillNo)],
  );
  await pool.query('INSERT INTO time_zones (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [zones]);
  // Places (migration 040): contacts' ('zone||') and their Mobile numbers without consent ('zone||W').
  await pool.query(
    `INSERT INTO call_places (place, zone, state, unconsented_mobile)
     SELECT z || '||' || w, z, NULL, w = 'W' FROM unnest($1::text[]) AS z, unnest(ARRAY['', 'W']) AS w ON CONFLICT DO NOTHING`,
    [zones],
  );
  const rebuild = await dropSecondaryIndexes(pool);
  for (const s of skills) {
    for (let from = 0; from < s.contacts; from += chunk) {
      const to = Math.min(s.contacts, from + chunk) - 1;
      await pool.query(
        `INSERT INTO prospects (skill_no, source_name, external_id, time_zone, time_zone_source, expiration_date,
                                expires_at, priority, number_zones, number_places)
         SELECT $1::int, 'crm', 'seed-' || $1::int || '-' || i, ($4::text[])[1 + i % cardinality($4::text[])], 'Zip',
                '2026-12-31', '2026-12-31T23:59:59Z', (i::bigint * 7919) % 10, ARRAY[($4::text[])[1 + i % cardinality($4::text[])]],
                ARRAY[($4::text[])[1 + i % cardinality($4::text[])] || '||W']
         FROM generate_series($2::int, $3::int) AS i`,
        [s.skillNo, from, to, zones],
      );
    }
  }
  const { rows } = await pool.query<{ max: string | null }>('SELECT max(prospect_id) FROM prospects');
  const maxId = Number(rows[0]!.max ?? 0);
  for (let from = 1; from <= maxId; from += chunk) {
    await pool.query(
      `INSERT INTO destinations (prospect_id, position, phone_number, type, time_zone)
       SELECT p.prospect_id, pos, ${SEEDED_PHONE_SQL('p.prospect_id * 2 + pos')}, 'Mobile', p.time_zone
       FROM prospects p, generate_series(0, 1) AS pos
       WHERE p.prospect_id BETWEEN $1 AND $2
       ORDER BY p.prospect_id, pos`,
      [from, from + chunk - 1],
    );
  }
  for (const sql of rebuild) await pool.query(sql);
  await pool.query('VACUUM (ANALYZE) skills, prospects, destinations, time_zones');
}

/** Drops the indexes of prospects and destinations other than their primary keys; answers the SQL that remakes them. */
async function dropSecondaryIndexes(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ tbl: string; name: string; def: string; con: string | null }>(
    `SELECT c.relname AS tbl, i.relname AS name, pg_get_indexdef(i.oid) AS def,
            (SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k WHERE k.conindid = i.oid AND k.contype = 'u') AS con
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relname IN ('prospects', 'destinations') AND NOT x.indisprimary`,
  );
  const rebuild: string[] = [];
  for (const r of rows) {
    if (r.con) {
      await pool.query(`ALTER TABLE ${r.tbl} DROP CONSTRAINT ${r.name}`);
      rebuild.push(`ALTER TABLE ${r.tbl} ADD CONSTRAINT ${r.name} ${r.con}`);
    } else {
      await pool.query(`DROP INDEX ${r.name}`);
      rebuild.push(r.def);
    }
  }
  return rebuild;
}
