import pg from 'pg';

// BIGINT ids (prospect_id, run_id) fit comfortably in a JS number for this service's life;
// reading them as numbers keeps the API free of stringly ids.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Db = pg.Pool;
export type DbClient = pg.PoolClient | pg.Pool;

export interface PoolOptions {
  /** Schema to work in: tests each get their own. */
  schema?: string;
  max?: number;
}

// JIT compiles plans whose estimated cost is high; for the dialing-queue counts it added
// ~600 ms to statements that otherwise run in a few ms (measured), so every session turns it off.
const SESSION_OPTIONS = '-c jit=off';

export function createPool(databaseUrl: string, opts: PoolOptions = {}): pg.Pool {
  return new pg.Pool({ ...connectionConfig(databaseUrl, opts.schema), max: opts.max ?? 10 });
}

/** DATABASE_URL as pg connection settings, with the service's session options (and a schema, if given). */
export function connectionConfig(databaseUrl: string, schema?: string): { connectionString: string; options: string } {
  const { connectionString, urlOptions } = splitOptions(databaseUrl);
  return {
    connectionString,
    options: [SESSION_OPTIONS, urlOptions, schema ? `-c search_path=${schema}` : ''].filter(Boolean).join(' '),
  };
}

/**
 * pg lets an `options` parameter in the URL replace the pool's `options` outright; taking it
 * out of the URL and joining both keeps a caller's search_path and our session settings.
 */
function splitOptions(databaseUrl: string): { connectionString: string; urlOptions: string } {
  try {
    const url = new URL(databaseUrl);
    const urlOptions = url.searchParams.get('options') ?? '';
    url.searchParams.delete('options');
    return { connectionString: url.toString(), urlOptions };
  } catch {
    return { connectionString: databaseUrl, urlOptions: '' };
  }
}

/** Runs `work` in one transaction, rolling back on any error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inClientTransaction(client, work);
  } finally {
    client.release();
  }
}

/** Runs `work` in one transaction on a client the caller holds (and releases). */
export async function inClientTransaction<T>(client: pg.PoolClient, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
