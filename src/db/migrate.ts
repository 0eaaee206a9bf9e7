import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';

export const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', 'migrations');

// Any fixed number works; this one spells "PFMIGRAT" closely enough to be recognisable in pg_locks.
const MIGRATION_LOCK = 7_046_770_001;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

/**
 * Applies every migrations/NNN_name.sql not yet recorded, in name order, each in its own
 * transaction. A session advisory lock makes concurrent runs wait for each other instead of
 * racing, so `migrate` is safe to run from every replica at start.
 */
export async function migrate(pool: pg.Pool, dir: string = MIGRATIONS_DIR): Promise<MigrationReport> {
  const files = (await fs.readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const file of files) {
      if (done.has(file)) {
        report.alreadyApplied.push(file);
        continue;
      }
      const sql = await fs.readFile(path.join(dir, file), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(err as Error).message}`, { cause: err });
      }
      report.applied.push(file);
    }
    return report;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
