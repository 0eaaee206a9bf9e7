import type { DbClient } from './pool';
import { SKILL_LIST_IDS_SQL } from './suppression-match';

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

/** findSuppressions' statement: $1 number (bigint), $2 its leading prefixes, $3 now, $4 skill or null. */
export const CHECK_SQL = `WITH applied AS (
       SELECT CASE WHEN $4::int IS NULL THEN ARRAY(SELECT list_id FROM suppression_lists WHERE deleted_at IS NULL)
                   ELSE ${SKILL_LIST_IDS_SQL('$4::int')} END AS ids
     ), hits AS (
       SELECT e.list_id, e.number::text AS number, NULL::text AS prefix, e.expires_at, e.reason, e.batch_id
       FROM suppression_numbers e
       WHERE e.number = $1 AND e.list_id = ANY((SELECT ids FROM applied)::int[]) AND (e.expires_at IS NULL OR e.expires_at > $3)
       UNION ALL
       SELECT e.list_id, NULL, e.prefix, e.expires_at, e.reason, e.batch_id
       FROM suppression_prefixes e
       WHERE e.prefix = ANY($2::text[]) AND e.list_id = ANY((SELECT ids FROM applied)::int[]) AND (e.expires_at IS NULL OR e.expires_at > $3)
     )
     SELECT ($4::int IS NULL OR EXISTS (SELECT 1 FROM skills WHERE skill_no = $4::int)) AS "skillFound",
            l.name AS "listName", h.number, h.prefix, h.expires_at AS "expiresAt", h.reason, b.at AS "addedAt"
     FROM (SELECT) AS one
     LEFT JOIN (hits h JOIN suppression_lists l USING (list_id) JOIN suppression_batches b USING (batch_id)) ON true
     ORDER BY l.name, h.prefix NULLS FIRST`;

/** What a check found: the entries, and whether the skill asked about exists. */
export interface CheckRows {
  /** False only when a skill was asked about and there is no such skill. */
  skillFound: boolean;
  matches: SuppressionMatch[];
}

/**
 * The entries in force at `now` that suppress `number` (E.164 digits): its number entries and the
 * prefix entries equal to one of its leading digit strings (`prefixes`), on every list not deleted,
 * or with `skillNo` only on the lists that skill applies, as the claim reads them
 * (SKILL_LIST_IDS_SQL: the lists it names, its DoNotCallList included, and every AllSkills list).
 * An entry exactly at its expires_at no longer suppresses.
 *
 * One statement, one round trip, whether the skill exists included (the check answers
 * UnknownSkill from it), named so each connection plans it once. The lists are resolved first (an
 * InitPlan over the few list rows and the one skill row) into an int[], so each entry table gets
 * a single index probe: suppression_numbers_pkey by (number, list_id = ANY), and
 * suppression_prefixes_pkey by (prefix = ANY(the number's leading digits, all of them: 15 descents
 * of a small index cost less than asking which lengths are in use first), list_id = ANY). At
 * 10,000,000 numbers it executes in ~0.04 ms with its plan cached; the service call's p50 is
 * 0.14-0.17 ms against 0.40-0.59 ms for the statement planned per call plus a separate read of
 * the skill it replaced, p95 0.21-0.47 ms against 0.65-1.10 ms, in the same runs (bench section
 * "suppression (do-not-call)"; README has the numbers under load, where the tail waits for a core).
 */
export async function findSuppressions(
  db: DbClient,
  number: number,
  prefixes: readonly string[],
  now: Date,
  skillNo: number | null,
): Promise<CheckRows> {
  const { rows } = await db.query<SuppressionMatch & { skillFound: boolean; listName: string | null }>({
    name: 'check-suppression',
    text: CHECK_SQL,
    values: [number, prefixes, now, skillNo],
  });
  return {
    skillFound: rows[0]?.skillFound ?? true,
    matches: rows.flatMap(({ skillFound: _, ...m }) => (m.listName !== null ? [m] : [])),
  };
}
