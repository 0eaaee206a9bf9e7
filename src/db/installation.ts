import type { DbClient } from './pool';

/** This database's installation id (migration 010): one random uuid, made when it was created. */
export async function readInstallationId(db: DbClient): Promise<string> {
  try {
    const { rows } = await db.query<{ installation_id: string }>(`SELECT installation_id FROM installation`);
    if (rows[0]) return rows[0].installation_id;
  } catch (err) {
    // 42P01: undefined_table, a database not migrated to 010 yet.
    if ((err as { code?: string }).code !== '42P01') throw err;
  }
  throw new Error('the database has no installation id: run `prospect-feeder migrate` first');
}
