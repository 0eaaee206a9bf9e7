import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool } from '../../src/db/pool';
import { migrate } from '../../src/db/migrate';

/** Set for every run: by the caller (.ci/run), else by global-setup.ts (an embedded PostgreSQL). */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
/**
 * Set where the redis leg runs (.ci/run), else undefined: no test falls back to a Redis at
 * 127.0.0.1:6379 that a machine may or may not have. Tests that need Redis take it from
 * redisUrl() (test/support/backends.ts) inside the redis leg.
 */
export const REDIS_URL: string | undefined = process.env.REDIS_URL;

export interface TestDb {
  pool: pg.Pool;
  schema: string;
  drop(): Promise<void>;
}

/** A fresh, migrated schema of its own for one test file: tests never see each other's rows. */
export async function freshSchema(prefix = 't'): Promise<TestDb> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const pool = createPool(DATABASE_URL, { schema });
  await migrate(pool);
  return {
    pool,
    schema,
    async drop() {
      await pool.end();
      const c = new pg.Client({ connectionString: DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** A unique prefix for BullMQ queues and Redis keys of one test file. */
export function uniquePrefix(name = 'test'): string {
  return `pf-${name}-${randomBytes(4).toString('hex')}`;
}
