import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS_DIR } from '../../src/db/migrate';
import { createPool } from '../../src/db/pool';
import { DATABASE_URL } from '../support/db';

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe('migration 053: undo images kept as json before it', () => {
  const schema = `mig53_${randomBytes(6).toString('hex')}`;
  let pool: pg.Pool;
  let upTo052: string;
  beforeAll(async () => {
    await admin(`CREATE SCHEMA ${schema}`);
    pool = createPool(DATABASE_URL, { schema });
    upTo052 = await fs.mkdtemp(path.join(os.tmpdir(), 'pf-mig-'));
    for (const f of await fs.readdir(MIGRATIONS_DIR)) {
      if (/^\d+_.+\.sql$/.test(f) && f < '053') await fs.copyFile(path.join(MIGRATIONS_DIR, f), path.join(upTo052, f));
    }
  });
  afterAll(async () => {
    await pool.end();
    await admin(`DROP SCHEMA ${schema} CASCADE`);
    await fs.rm(upTo052, { recursive: true, force: true });
  });

  it('moves each image number to run_undo_numbers, statuses, state and consent included', async () => {
    await migrate(pool, upTo052);
    await pool.query(
      `INSERT INTO run_undo_images (run_id, prospect_id, first_name, time_zone, time_zone_source, priority, fields,
         number_zones, updated_at, state, dial_by_hand, destinations)
       VALUES (7, 42, 'Ann', 'America/New_York', 'Phone', 1, '{}', '{America/New_York}', now(), 'NY', false,
         '[[0, "+12125550101", "Home", "America/New_York", "Active", null, "NY", false],
           [1, "+13105550103", "Mobile", "America/Los_Angeles", "Finalized", "WrongNumber", "CA", true]]')`,
    );
    await migrate(pool);
    const { rows } = await pool.query(
      'SELECT run_id, prospect_id, position, phone_number, type, time_zone, status, final_reason, state, consent FROM run_undo_numbers ORDER BY position',
    );
    expect(rows).toEqual([
      {
        run_id: 7,
        prospect_id: 42,
        position: 0,
        phone_number: '+12125550101',
        type: 'Home',
        time_zone: 'America/New_York',
        status: 'Active',
        final_reason: null,
        state: 'NY',
        consent: false,
      },
      {
        run_id: 7,
        prospect_id: 42,
        position: 1,
        phone_number: '+13105550103',
        type: 'Mobile',
        time_zone: 'America/Los_Angeles',
        status: 'Finalized',
        final_reason: 'WrongNumber',
        state: 'CA',
        consent: true,
      },
    ]);
    const image = (await pool.query('SELECT first_name, same FROM run_undo_images')).rows;
    expect(image).toEqual([{ first_name: 'Ann', same: false }]);
  });
});
