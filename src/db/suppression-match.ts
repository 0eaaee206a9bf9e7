import type { MatchKind } from '../domain/do-not-call';
import type { DbClient } from './pool';

/**
 * Set-based matching of numbers against suppression lists (issue 12). The plan, the same at load
 * and at claim (docs/architecture.md, "Do-not-call matching"):
 * - number entries: one probe of suppression_numbers_pkey (number, list_id) per number, with the
 *   lists as `list_id = ANY(...)` inside the same index condition;
 * - prefix entries: first the prefix lengths in use by the lists (one probe of
 *   suppression_prefixes_len_idx per length 1-15 and list, per statement), then per number and
 *   length in use one probe of suppression_prefixes_pkey by equality on the number's leading
 *   digits. No scan, whatever the lists' size; no prefix probe at all when they hold no prefix.
 * An entry is in force while `expires_at` is null or after the instant asked about: at exactly
 * ExpiresAt it no longer suppresses.
 */

/** E.164 text ('+12125550100') as the bigint key of suppression_numbers. */
export const NUMBER_KEY_SQL = (e164: string): string => `substr(${e164}, 2)::bigint`;

/** An entry of `alias` in force at `at`. */
const IN_FORCE_SQL = (alias: string, at: string): string => `(${alias}.expires_at IS NULL OR ${alias}.expires_at > ${at})`;

/** The prefix lengths any of the lists `ids` (an int[] expression) holds, as an int[]. */
export const PREFIX_LENGTHS_SQL = (ids: string): string =>
  `ARRAY(SELECT len FROM generate_series(1, 15) AS len
         WHERE EXISTS (SELECT 1 FROM suppression_prefixes lp WHERE lp.list_id = ANY(${ids}::int[]) AND lp.prefix_len = len))`;

/** What a skill row `s` names in Compliance: its SuppressionLists (a jsonb array) and its DoNotCallList. */
const LIST_NAMES = (s: string) => `COALESCE(${s}.body->'Compliance'->'SuppressionLists', '[]'::jsonb)`;
const DNC_LIST = (s: string) => `${s}.body->'Compliance'->>'DoNotCallList'`;

/** The names of the lists a skill row `s` names, as columns list_names (jsonb) and dnc_list. */
export const SKILL_LIST_NAMES_SQL = `${LIST_NAMES('s')} AS list_names, ${DNC_LIST('s')} AS dnc_list`;

/**
 * The lists applied by a skill naming `listNames` (a jsonb array of names) and `dncList` (its
 * DoNotCallList, or null), as an int[]: every one named and every AllSkills list, none deleted.
 */
export const LIST_IDS_SQL = (listNames: string, dncList: string): string =>
  `ARRAY(SELECT l.list_id FROM suppression_lists l
         WHERE l.deleted_at IS NULL AND (l.all_skills OR l.name IN (
           SELECT jsonb_array_elements_text(${listNames}) UNION ALL SELECT ${dncList})))`;

/** The skills (skill_no) whose Compliance names the list called `name` (SuppressionLists or DoNotCallList). */
export const SKILLS_NAMING_LIST_SQL = (name: string): string =>
  `SELECT s.skill_no FROM skills s WHERE ${LIST_NAMES('s')} ? ${name} OR ${DNC_LIST('s')} = ${name} ORDER BY s.skill_no`;

/** The lists skill `skillNo` applies (an int[]): LIST_IDS_SQL of its row. */
export const SKILL_LIST_IDS_SQL = (skillNo: string): string =>
  LIST_IDS_SQL(
    `(SELECT ${LIST_NAMES('s')} FROM skills s WHERE s.skill_no = ${skillNo})`,
    `(SELECT ${DNC_LIST('s')} FROM skills s WHERE s.skill_no = ${skillNo})`,
  );

/**
 * Whether `number` (a bigint expression) is held, at `at`, by a list of `ids` (int[]) through a
 * number entry or a prefix of one of `lens` (int[], PREFIX_LENGTHS_SQL): two anti-join probes.
 */
export const SUPPRESSED_SQL = (number: string, ids: string, lens: string, at: string): string =>
  `(EXISTS (SELECT 1 FROM suppression_numbers sn
            WHERE sn.number = ${number} AND sn.list_id = ANY(${ids}::int[]) AND ${IN_FORCE_SQL('sn', at)})
    OR EXISTS (SELECT 1 FROM unnest(${lens}::int[]) AS len JOIN suppression_prefixes sp ON sp.prefix = left(${number}::text, len)
            WHERE sp.list_id = ANY(${ids}::int[]) AND ${IN_FORCE_SQL('sp', at)}))`;

export interface AppliedList {
  listId: number;
  name: string;
}

/**
 * The lists a load into a skill applies: those named (`names`) that exist and every AllSkills
 * list, each locked FOR KEY SHARE until the transaction ends, the lock entry writers take too
 * (`lockList`): adds, imports, revocations and `DoNotCall` outcomes go on while a load runs,
 * and the entry-count trigger's UPDATE of the list row does not wait for the load. The load
 * reads entries by list id, so a list it started with stays in force for every chunk of it. A
 * deletion of a list takes its row FOR UPDATE first, which waits for every load and writer
 * holding it (docs/architecture.md, "List row locks"). Names that do not exist are left out:
 * the caller compares.
 */
export async function lockAppliedLists(db: DbClient, names: readonly string[]): Promise<AppliedList[]> {
  const { rows } = await db.query<{ list_id: number; name: string }>(
    `SELECT list_id, name FROM suppression_lists
     WHERE deleted_at IS NULL AND (all_skills OR name = ANY($1::text[]))
     ORDER BY list_id
     FOR KEY SHARE`,
    [names],
  );
  return rows.map((r) => ({ listId: r.list_id, name: r.name }));
}

export interface NumberMatch {
  /** E.164 of the number held. */
  phoneNumber: string;
  listId: number;
  listName: string;
  kind: MatchKind;
}

/**
 * Every entry of the lists `listIds` that holds one of `e164s` at `at`, in one statement: a
 * number held by several entries answers once per entry. A number not answered is not suppressed.
 */
export async function matchSuppressed(
  db: DbClient,
  e164s: readonly string[],
  listIds: readonly number[],
  at: Date,
): Promise<NumberMatch[]> {
  if (e164s.length === 0 || listIds.length === 0) return [];
  const { rows } = await db.query<{ number: string; list_id: number; name: string; kind: MatchKind }>({
    // Prepared once per connection, like the claim: it runs once per load chunk.
    name: 'match-suppressed',
    text: `WITH n AS (SELECT DISTINCT number FROM unnest($1::bigint[]) AS number),
       lens AS (SELECT unnest(${PREFIX_LENGTHS_SQL('$2::int[]')}) AS len),
       hits AS (
         SELECT n.number, sn.list_id, 'Number' AS kind
         FROM n JOIN suppression_numbers sn ON sn.number = n.number
         WHERE sn.list_id = ANY($2::int[]) AND ${IN_FORCE_SQL('sn', '$3::timestamptz')}
         UNION ALL
         SELECT n.number, sp.list_id, 'Prefix' AS kind
         FROM n CROSS JOIN lens JOIN suppression_prefixes sp ON sp.prefix = left(n.number::text, lens.len)
         WHERE sp.list_id = ANY($2::int[]) AND ${IN_FORCE_SQL('sp', '$3::timestamptz')}
       )
       SELECT hits.number::text AS number, hits.list_id, l.name, hits.kind
       FROM hits JOIN suppression_lists l USING (list_id)`,
    values: [e164s.map((e) => e.slice(1)), listIds, at],
  });
  return rows.map((r) => ({ phoneNumber: `+${r.number}`, listId: r.list_id, listName: r.name, kind: r.kind }));
}
