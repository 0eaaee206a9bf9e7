import type pg from 'pg';
import { inClientTransaction, type DbClient } from './pool';
import { SKILLS_NAMING_LIST_SQL } from './suppression-match';

export interface SuppressionListRow {
  listId: number;
  name: string;
  description: string | null;
  allSkills: boolean;
  builtIn: boolean;
  /** Entries stored (numbers and prefixes, expired ones until removed): kept by 021's triggers. */
  entryCount: number;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `list_id AS "listId", name, description, all_skills AS "allSkills", built_in AS "builtIn",
  entry_count AS "entryCount", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Creates a list or changes its description and reach; `created` tells which. */
export async function upsertList(
  db: DbClient,
  name: string,
  set: { description: string | null; allSkills: boolean },
  now: Date,
): Promise<{ list: SuppressionListRow; created: boolean }> {
  // The name is unique only among lists not deleted (a partial index), so ON CONFLICT names it.
  const { rows } = await db.query<SuppressionListRow & { created: boolean }>(
    `INSERT INTO suppression_lists (name, description, all_skills, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (name) WHERE deleted_at IS NULL DO UPDATE SET
       description = EXCLUDED.description, all_skills = EXCLUDED.all_skills, updated_at = EXCLUDED.updated_at
     RETURNING ${COLUMNS}, (xmax = 0) AS created`,
    [name, set.description, set.allSkills, now],
  );
  const { created, ...list } = rows[0]!;
  return { list, created };
}

export async function findList(db: DbClient, name: string): Promise<SuppressionListRow | null> {
  const { rows } = await db.query<SuppressionListRow>(`SELECT ${COLUMNS} FROM suppression_lists WHERE name = $1 AND deleted_at IS NULL`, [
    name,
  ]);
  return rows[0] ?? null;
}

export async function listLists(db: DbClient): Promise<SuppressionListRow[]> {
  const { rows } = await db.query<SuppressionListRow>(`SELECT ${COLUMNS} FROM suppression_lists WHERE deleted_at IS NULL ORDER BY name`);
  return rows;
}

/**
 * Takes the list's row lock that entries are written under (FOR KEY SHARE, what a foreign key
 * check would take: writers of one list do not wait for each other), once per call or import
 * slice. A deletion (deleteList) takes the row FOR UPDATE and so waits for it (docs/architecture.md,
 * "List row locks"). Null when the list is not there (or was deleted meanwhile).
 */
export async function lockList(client: pg.PoolClient, name: string): Promise<SuppressionListRow | null> {
  const { rows } = await client.query<SuppressionListRow>(
    `SELECT ${COLUMNS} FROM suppression_lists WHERE name = $1 AND deleted_at IS NULL FOR KEY SHARE`,
    [name],
  );
  return rows[0] ?? null;
}

/**
 * Deletes a list: its row is marked deleted (the name is free again), its entries and their history
 * stay, as the records a do-not-call list must keep do. The row is taken FOR UPDATE first, so the
 * deletion waits for every load applying the list (FOR KEY SHARE) to commit, and a load starting
 * after it finds the list gone ("List row locks"). Not when a skill still names the list: deleted,
 * it would stop holding back, at claim, numbers that skill was told not to call. Answers the
 * skills naming it (nothing deleted) or the list as it was.
 */
export async function deleteList(
  client: pg.PoolClient,
  listId: number,
  now: Date,
): Promise<{ deleted: SuppressionListRow | null; namedBy: number[] }> {
  return inClientTransaction(client, async (c) => {
    const { rows } = await c.query<SuppressionListRow>(
      `SELECT ${COLUMNS} FROM suppression_lists WHERE list_id = $1 AND deleted_at IS NULL FOR UPDATE`,
      [listId],
    );
    const list = rows[0];
    if (list === undefined) return { deleted: null, namedBy: [] };
    const named = await c.query<{ skill_no: number }>(SKILLS_NAMING_LIST_SQL('$1'), [list.name]);
    if (named.rows.length > 0) return { deleted: null, namedBy: named.rows.map((r) => r.skill_no) };
    await c.query('UPDATE suppression_lists SET deleted_at = $2, updated_at = $2 WHERE list_id = $1', [listId, now]);
    return { deleted: list, namedBy: [] };
  });
}

export type BatchSource = 'Api' | 'Import' | 'Outcome' | 'Revocation';

export interface NewBatch {
  listId: number;
  source: BatchSource;
  /** The acting key's role; null when the service is open or for the CLI. */
  role: string | null;
  at: Date;
  claimId?: string | null;
  fileName?: string | null;
}

/** The who, when and where of one add call, removal call, import or revocation call. */
export async function createBatch(db: DbClient, batch: NewBatch): Promise<number> {
  const { rows } = await db.query<{ batch_id: number }>(
    `INSERT INTO suppression_batches (list_id, source, role, at, claim_id, file_name)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING batch_id`,
    [batch.listId, batch.source, batch.role, batch.at, batch.claimId ?? null, batch.fileName ?? null],
  );
  return rows[0]!.batch_id;
}

/** Entries per list for the gauge: one read of the lists' maintained counts. */
export async function listSizes(db: DbClient): Promise<Array<{ listId: number; name: string; entries: number }>> {
  const { rows } = await db.query<{ listId: number; name: string; entries: number }>(
    `SELECT list_id AS "listId", name, entry_count AS entries FROM suppression_lists WHERE deleted_at IS NULL ORDER BY list_id`,
  );
  return rows;
}
