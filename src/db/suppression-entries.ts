import type pg from 'pg';
import { copyText } from './copy-text';
import { inClientTransaction } from './pool';

/**
 * Entries of one list, written set-based under the list's row lock (lockList), never a
 * statement per entry. An entry in force is one row of suppression_numbers (a number as its
 * E.164 digits) or suppression_prefixes (leading digits); the add it replaces, and every removal,
 * go to suppression_history, so the current row plus the history answer every add and removal.
 */

export type EntryKind = 'number' | 'prefix';

export interface EntryInput<K> {
  key: K;
  expiresAt: Date | null;
  reason: string | null;
}

const TABLES = {
  number: { table: 'suppression_numbers', key: 'number', type: 'bigint' },
  prefix: { table: 'suppression_prefixes', key: 'prefix', type: 'text' },
} as const;

/**
 * The merge of staged entries `s (key, expires_at, reason)` (distinct keys) into a list, in one
 * statement: the adds they supersede are copied to the history, those rows updated, the rest
 * inserted. Plain INSERT where no row was found, not ON CONFLICT: a speculative insertion writes
 * one WAL record more per row (4.0 vs 3.0 M records per 1 M numbers, measured), which is a third
 * of an import's cost; a writer that adds the same key meanwhile makes the statement fail on the
 * primary key (23505), and the caller runs it again. The update joins the rows found (`old`), not
 * every staged key: an import slice of 1,000,000 new numbers otherwise probed the primary key a
 * second time for each of them, to update nothing.
 *
 * `keepUnchanged` (imports): an entry already there with the same expiry and reason is left as it
 * is, its add and its batch too (Unchanged): a monthly re-import of the national registry would
 * otherwise write a history row for each of its millions of numbers every month, kept five years.
 * $1 list_id, $2 batch_id. Answers the keys inserted (Added; the others were Updated), or the
 * counts and the greatest staged key.
 */
function mergeSql(kind: EntryKind, staged: string, returnKeys: boolean, keepUnchanged = false): string {
  const { table, key } = TABLES[kind];
  return `WITH s AS MATERIALIZED (${staged}),
    found AS MATERIALIZED (
      SELECT e.${key}, e.batch_id, e.expires_at, e.reason, s.expires_at AS new_expires_at, s.reason AS new_reason
      FROM ${table} e JOIN s USING (${key}) WHERE e.list_id = $1),
    old AS MATERIALIZED (
      SELECT * FROM found
      ${keepUnchanged ? 'WHERE (expires_at, reason) IS DISTINCT FROM (new_expires_at, new_reason)' : ''}),
    h AS (
      INSERT INTO suppression_history (list_id, ${key}, action, batch_id, expires_at, reason)
      SELECT $1, ${key}, 'Added', batch_id, expires_at, reason FROM old ORDER BY ${key}),
    u AS (
      UPDATE ${table} e SET batch_id = $2, expires_at = old.new_expires_at, reason = old.new_reason
      FROM old WHERE e.list_id = $1 AND e.${key} = old.${key}
      RETURNING 1),
    i AS (
      INSERT INTO ${table} (${key}, list_id, batch_id, expires_at, reason)
      SELECT ${key}, $1, $2, expires_at, reason FROM s WHERE NOT EXISTS (SELECT 1 FROM found WHERE found.${key} = s.${key})
      ORDER BY ${key}
      RETURNING ${key})
    ${
      returnKeys
        ? `SELECT ${key}::text AS key FROM i`
        : `SELECT (SELECT count(*) FROM i) AS added, (SELECT count(*) FROM u) AS updated,
             (SELECT count(*) FROM found) - (SELECT count(*) FROM old) AS unchanged, (SELECT max(${key}) FROM s) AS last`
    }`;
}

/**
 * Adds or updates entries (distinct keys) of a list: the keys that were Added (as text: a
 * number's digits or a prefix); the rest were Updated. Run inside the caller's transaction,
 * after lockList.
 */
export async function upsertEntries<K extends number | string>(
  client: pg.PoolClient,
  kind: EntryKind,
  listId: number,
  batchId: number,
  entries: ReadonlyArray<EntryInput<K>>,
): Promise<Set<string>> {
  if (entries.length === 0) return new Set();
  const { key, type } = TABLES[kind];
  const staged = `SELECT * FROM unnest($3::${type}[], $4::timestamptz[], $5::text[]) AS t(${key}, expires_at, reason)`;
  const params = [listId, batchId, entries.map((e) => e.key), entries.map((e) => e.expiresAt), entries.map((e) => e.reason)];
  const { rows } = await retryOnKeyRace(client, () => client.query<{ key: string }>(mergeSql(kind, staged, true), params));
  return new Set(rows.map((r) => r.key));
}

/**
 * An import's numbers are COPYed, as the file is read, into a temp table of this connection (no
 * WAL, no index), then merged into the list in slices taken in key order. Merged in file order
 * instead, each slice of 250,000 numbers touched nearly every leaf of the primary key (10,000,000
 * numbers: ~50,000 leaves, 128 MB of shared buffers), so a 10,000,000-number import rewrote the
 * whole index forty times and wrote 4.6 GB of full-page images to the WAL (215 s, measured); in
 * key order each leaf is written about once.
 */
const STAGING = 'suppression_import_staging';

/** An empty staging table on this connection (one left by an earlier import on it is dropped). */
export async function startStaging(client: pg.PoolClient): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS pg_temp.${STAGING}; CREATE TEMP TABLE ${STAGING} (number bigint NOT NULL)`);
}

/**
 * Appends numbers (E.164 digits) to the staging table: one COPY, their digits written straight
 * into one buffer outside the JS heap. Not a string a number: through String(n), reading and
 * staging 10,000,000 numbers peaked at 71 MB of heap and 184 MB RSS, against 37 and 151 MB
 * (measured; parsing alone: 32 and 137 MB). `into`: a buffer to reuse (stagingBuffer), free again
 * once this resolves; a new one otherwise.
 */
export async function stageNumbers(
  client: pg.PoolClient,
  numbers: ArrayLike<number> & Iterable<number>,
  into: Buffer = stagingBuffer(numbers.length),
): Promise<void> {
  if (numbers.length === 0) return;
  let at = 0;
  for (const n of numbers) {
    at = writeDigits(into, at, n);
    into[at++] = NEWLINE;
  }
  await copyText(client, STAGING, ['number'], into.subarray(0, at));
}

/** A buffer that holds the COPY text of `count` numbers. */
export function stagingBuffer(count: number): Buffer {
  return Buffer.allocUnsafe(count * MAX_DIGITS_LINE);
}

/** Writes a positive integer's decimal digits at `at`; answers where they end. */
function writeDigits(into: Buffer, at: number, n: number): number {
  let end = at + 1;
  for (let rest = Math.floor(n / 10); rest > 0; rest = Math.floor(rest / 10)) end++;
  for (let i = end - 1, rest = n; i >= at; i--, rest = Math.floor(rest / 10)) into[i] = DIGIT_0 + (rest % 10);
  return end;
}

const DIGIT_0 = 0x30;

/** E.164: at most 15 digits, and the newline. */
const MAX_DIGITS_LINE = 16;
const NEWLINE = 0x0a;

/**
 * Orders what was staged: a btree on the numbers (one sort), then VACUUM so each slice reads
 * them from the index alone, in order, without visiting the table. Not inside a transaction.
 * The sort may use 256 MB of the database's memory, this transaction only (measured: 5 s for
 * 10,000,000 numbers on the quiet 2-core box).
 */
export async function orderStaged(client: pg.PoolClient): Promise<void> {
  await inClientTransaction(client, (c) =>
    c.query(`SET LOCAL maintenance_work_mem = '256MB'; CREATE INDEX ON pg_temp.${STAGING} (number)`),
  );
  await client.query(`VACUUM pg_temp.${STAGING}`);
}

/**
 * Merges the next slice of staged numbers, the `limit` smallest above `after`, into the list (no
 * expiry, no reason: an import's why is its batch). Duplicates count once, wherever they were in
 * the file. A number already there for good (no expiry, no reason) is left as it was (Unchanged:
 * mergeSql). Answers the counts and the slice's greatest number (null when nothing was left).
 * Run inside the caller's transaction, after lockList.
 *
 * `fresh`: the list's entry count says it holds only what this import stored, all of it at or
 * below `after`, so no staged number should be there: the slice is inserted straight from the
 * staging index, in order, without looking for the list's entries first (1,000,000 primary-key
 * probes and a sort a slice: 8.5 -> ~5 s, measured under load). Should one be there after all
 * (a writer adding and removing meanwhile), the primary key refuses the insert and the slice is
 * merged as usual.
 */
export async function mergeStaged(
  client: pg.PoolClient,
  listId: number,
  batchId: number,
  after: number,
  limit: number,
  fresh: boolean,
): Promise<{ added: number; updated: number; unchanged: number; last: number | null }> {
  const staged = `SELECT DISTINCT number FROM pg_temp.${STAGING} WHERE number > $3 ORDER BY number LIMIT $4`;
  const merge = `SELECT number, NULL::timestamptz AS expires_at, NULL::text AS reason FROM (${staged}) n`;
  const insert = `WITH i AS (
      INSERT INTO suppression_numbers (number, list_id, batch_id) SELECT number, $1, $2 FROM (${staged}) n RETURNING number)
    SELECT count(*) AS added, 0 AS updated, 0 AS unchanged, max(number) AS last FROM i`;
  const params = [listId, batchId, after, limit];
  type Counts = { added: number; updated: number; unchanged: number; last: number | null };
  const { rows } = await retryOnKeyRace(
    client,
    () => client.query<Counts>(fresh ? insert : mergeSql('number', merge, false, true), params),
    () => client.query<Counts>(mergeSql('number', merge, false, true), params),
  );
  const row = rows[0]!;
  return {
    added: Number(row.added),
    updated: Number(row.updated),
    unchanged: Number(row.unchanged),
    last: row.last === null ? null : Number(row.last),
  };
}

/** Drops the staging table (the connection goes back to the pool clean). */
export async function endStaging(client: pg.PoolClient): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS pg_temp.${STAGING}`);
}

/**
 * Runs a merge; when another writer inserted one of its keys between the merge's read and its
 * insert (unique_violation), rolls back to a savepoint and runs it (or `again`, a full merge) once
 * more: the keys are then found and updated.
 */
async function retryOnKeyRace<T>(client: pg.PoolClient, run: () => Promise<T>, again = run): Promise<T> {
  await client.query('SAVEPOINT suppression_merge');
  try {
    return await run();
  } catch (err) {
    if ((err as { code?: string }).code !== '23505') throw err;
    await client.query('ROLLBACK TO SAVEPOINT suppression_merge');
    return again();
  }
}

/**
 * Removes entries of a list: each removed one's add is copied to the history, then a Removed
 * row with the removal's batch and reason. Answers the keys removed (as text).
 */
export async function removeEntries(
  client: pg.PoolClient,
  kind: EntryKind,
  listId: number,
  batchId: number,
  keys: ReadonlyArray<number | string>,
  reason: string | null,
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { table, key, type } = TABLES[kind];
  const { rows } = await client.query<{ key: string }>(
    `WITH gone AS (
       DELETE FROM ${table} e WHERE e.list_id = $1 AND e.${key} = ANY($3::${type}[])
       RETURNING e.${key}, e.batch_id, e.expires_at, e.reason),
     h AS (
       INSERT INTO suppression_history (list_id, ${key}, action, batch_id, expires_at, reason)
       SELECT $1, ${key}, a.action, CASE a.action WHEN 'Added' THEN batch_id ELSE $2 END,
              CASE a.action WHEN 'Added' THEN expires_at END, CASE a.action WHEN 'Added' THEN reason ELSE $4 END
       FROM gone CROSS JOIN (VALUES ('Added', 1), ('Removed', 2)) AS a(action, step)
       ORDER BY ${key}, a.step)
     SELECT ${key}::text AS key FROM gone`,
    [listId, batchId, keys, reason],
  );
  return new Set(rows.map((r) => r.key));
}
