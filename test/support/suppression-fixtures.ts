import type pg from 'pg';

/**
 * Suppression lists and entries written straight with SQL (the API that writes them is another
 * piece of issue 12): what the enforcement tests and the bench need, no more.
 */
export async function makeList(pool: pg.Pool, name: string, allSkills = false): Promise<number> {
  const { rows } = await pool.query<{ list_id: number }>(
    'INSERT INTO suppression_lists (name, all_skills) VALUES ($1, $2) RETURNING list_id',
    [name, allSkills],
  );
  return rows[0]!.list_id;
}

export async function listId(pool: pg.Pool, name: string): Promise<number> {
  const { rows } = await pool.query<{ list_id: number }>('SELECT list_id FROM suppression_lists WHERE name = $1 AND deleted_at IS NULL', [
    name,
  ]);
  return rows[0]!.list_id;
}

async function batch(pool: pg.Pool | pg.PoolClient, list: number): Promise<number> {
  const { rows } = await pool.query<{ batch_id: number }>(
    "INSERT INTO suppression_batches (list_id, source, at) VALUES ($1, 'Api', now()) RETURNING batch_id",
    [list],
  );
  return rows[0]!.batch_id;
}

/** Number entries (E.164), in one batch; an existing entry gets the new expiry. */
export async function addNumbers(
  pool: pg.Pool | pg.PoolClient,
  list: number,
  e164s: readonly string[],
  expiresAt: Date | null = null,
): Promise<void> {
  const b = await batch(pool, list);
  await pool.query(
    `INSERT INTO suppression_numbers (number, list_id, batch_id, expires_at)
     SELECT substr(n, 2)::bigint, $2, $3, $4 FROM unnest($1::text[]) AS n
     ON CONFLICT (number, list_id) DO UPDATE SET expires_at = EXCLUDED.expires_at, batch_id = EXCLUDED.batch_id`,
    [e164s, list, b, expiresAt],
  );
}

/** A prefix entry: `prefix` as E.164 start ('+1212'). */
export async function addPrefix(pool: pg.Pool, list: number, prefix: string, expiresAt: Date | null = null): Promise<void> {
  const b = await batch(pool, list);
  await pool.query(
    `INSERT INTO suppression_prefixes (prefix, list_id, batch_id, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (prefix, list_id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
    [prefix.replace(/^\+/, ''), list, b, expiresAt],
  );
}
