import type { DbClient } from './pool';

/** One add or removal of an entry, with its batch's who, when and where. */
export interface HistoryRow {
  action: 'Added' | 'Removed';
  at: Date;
  role: string | null;
  source: string;
  claimId: string | null;
  fileName: string | null;
  expiresAt: Date | null;
  reason: string | null;
  /** Whether this is the add in force now (the entry's current row). */
  current: boolean;
}

/**
 * Every add and removal of a number (or a prefix) on a list, oldest first: the history rows
 * (superseded adds, removals) and the entry in force, each with its batch. Both tables are read
 * through their (list_id, key) indexes.
 */
export async function readHistory(db: DbClient, listId: number, entry: { number: number } | { prefix: string }): Promise<HistoryRow[]> {
  const [table, key, value] =
    'number' in entry ? ['suppression_numbers', 'number', entry.number] : ['suppression_prefixes', 'prefix', entry.prefix];
  const { rows } = await db.query<HistoryRow>(
    `SELECT action, b.at, b.role, b.source, b.claim_id AS "claimId", b.file_name AS "fileName",
            expires_at AS "expiresAt", reason, current
     FROM (
       SELECT h.action, h.batch_id, h.expires_at, h.reason, false AS current, h.history_id AS seq
       FROM suppression_history h WHERE h.list_id = $1 AND h.${key} = $2
       UNION ALL
       SELECT 'Added', e.batch_id, e.expires_at, e.reason, true, NULL
       FROM ${table} e WHERE e.list_id = $1 AND e.${key} = $2
     ) x JOIN suppression_batches b USING (batch_id)
     ORDER BY b.at, x.batch_id, x.seq NULLS LAST`,
    [listId, value],
  );
  return rows;
}

/** An entry that suppresses a number: a number entry or a prefix entry, in force at the time asked. */
export interface SuppressionMatch {
  listName: string;
  number: string | null;
  prefix: string | null;
  expiresAt: Date | null;
  reason: string | null;
  addedAt: Date;
}

/**
 * The entries in force at `now` that suppress `number` (E.164 digits): its number entries and the
 * prefix entries equal to one of its leading digit strings (`prefixes`), on every list not deleted,
 * or with `skillNo` only on the lists that skill applies: those it names in its body at
 * Compliance.SuppressionLists, and every list with all_skills. Index probes only: the number's
 * primary key, one probe of the prefixes' key per leading length. An entry exactly at its
 * expires_at no longer suppresses.
 */
export async function findSuppressions(
  db: DbClient,
  number: number,
  prefixes: readonly string[],
  now: Date,
  skillNo: number | null,
): Promise<SuppressionMatch[]> {
  const { rows } = await db.query<SuppressionMatch>(
    `WITH lists AS (
       SELECT l.list_id, l.name FROM suppression_lists l
       WHERE l.deleted_at IS NULL
         AND ($4::int IS NULL OR l.all_skills OR l.name IN (
           SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(s.body->'Compliance'->'SuppressionLists') = 'array'
                                                 THEN s.body->'Compliance'->'SuppressionLists' ELSE '[]'::jsonb END)
           FROM skills s WHERE s.skill_no = $4)))
     SELECT l.name AS "listName", e.number::text AS number, NULL::text AS prefix, e.expires_at AS "expiresAt", e.reason, b.at AS "addedAt"
     FROM suppression_numbers e JOIN lists l USING (list_id) JOIN suppression_batches b USING (batch_id)
     WHERE e.number = $1 AND (e.expires_at IS NULL OR e.expires_at > $3)
     UNION ALL
     SELECT l.name, NULL, e.prefix, e.expires_at, e.reason, b.at
     FROM suppression_prefixes e JOIN lists l USING (list_id) JOIN suppression_batches b USING (batch_id)
     WHERE e.prefix = ANY($2::text[]) AND (e.expires_at IS NULL OR e.expires_at > $3)
     ORDER BY 1, 3 NULLS FIRST`,
    [number, prefixes, now, skillNo],
  );
  return rows;
}
