import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate';
import { freshSchema, type TestDb } from '../support/db';

describe('migrate', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshSchema('mig');
  });
  afterAll(async () => db.drop());

  it('records what it applied and applies nothing twice, even when run concurrently', async () => {
    const reports = await Promise.all([migrate(db.pool), migrate(db.pool), migrate(db.pool)]);
    for (const r of reports) expect(r.applied).toEqual([]);
    const { rows } = await db.pool.query('SELECT name FROM schema_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toContain('001_foundation.sql');
    const tables = await db.pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [db.schema]);
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['skills', 'source_maps', 'prospects', 'destinations', 'runs', 'run_results']),
    );
  });
});
