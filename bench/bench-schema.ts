/**
 * Schemas of the bench's own: each measurement runs in a new, migrated schema (same tables and
 * indexes as production, no rows left by the one before), and every schema made is dropped at the
 * end by dropBenchSchemas(), also after a failure.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../src/db/migrate';
import { createPool } from '../src/db/pool';

export interface BenchSchema {
  name: string;
  pool: pg.Pool;
  /** Drops the schema now (dropBenchSchemas() would otherwise at the end). */
  drop(): Promise<void>;
}

const made = new Map<string, { databaseUrl: string; pool: pg.Pool }>();

export async function benchSchema(databaseUrl: string, tag: string, poolMax = 4): Promise<BenchSchema> {
  const name = `bench_${tag}_${randomBytes(4).toString('hex')}`;
  await adminQuery(databaseUrl, `CREATE SCHEMA ${name}`);
  const pool = createPool(databaseUrl, { schema: name, max: poolMax });
  made.set(name, { databaseUrl, pool });
  await migrate(pool);
  return { name, pool, drop: () => dropSchema(name) };
}

async function dropSchema(name: string): Promise<void> {
  const entry = made.get(name);
  if (!entry) return;
  made.delete(name);
  await entry.pool.end().catch(() => undefined);
  await adminQuery(entry.databaseUrl, `DROP SCHEMA IF EXISTS ${name} CASCADE`);
}

export async function dropBenchSchemas(): Promise<void> {
  for (const name of [...made.keys()]) await dropSchema(name);
}

async function adminQuery(databaseUrl: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
