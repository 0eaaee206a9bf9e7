import type { SuppressedNumber } from '../domain/do-not-call';
import type { DbClient } from './pool';

/**
 * The numbers a load dropped as suppressed, per run (run_suppressed, migration 028): written by the
 * load next to its results, read by the dashboard. Masked before they get here, never whole.
 */

/** Stores a chunk's dropped numbers in one statement; nothing when the chunk dropped none. */
export async function insertRunSuppressed(db: DbClient, runId: number, named: readonly SuppressedNumber[]): Promise<void> {
  if (named.length === 0) return;
  await db.query(
    `INSERT INTO run_suppressed (run_id, seq, position, masked, list_name, by_prefix, refused)
     SELECT $1::bigint, * FROM unnest($2::int[], $3::smallint[], $4::text[], $5::text[], $6::boolean[], $7::boolean[])`,
    [
      runId,
      named.map((n) => n.index),
      named.map((n) => n.position),
      named.map((n) => n.masked),
      named.map((n) => n.listName),
      named.map((n) => n.byPrefix),
      named.map((n) => n.refused),
    ],
  );
}

/** A number a run dropped, as the dashboard shows it. */
export interface SuppressedExample {
  masked: string;
  listName: string;
  byPrefix: boolean;
}

/** How a run's load met suppressed numbers: records refused, records that lost a number, a few of the numbers. */
export interface SuppressedInRun {
  runId: number;
  /** Records that failed DoNotCall: every valid number suppressed. */
  refused: number;
  /** Records kept with a suppressed number dropped. */
  dropped: number;
  /** Numbers dropped, all of them. */
  numbers: number;
  /** The first `examples` numbers dropped, in record order. */
  examples: SuppressedExample[];
}

/**
 * Per run that dropped any, its counts and first few numbers. One statement; each run is read by
 * its primary key prefix (the dashboard asks for a handful of recent runs).
 */
export async function readSuppressedInRuns(db: DbClient, runIds: readonly number[], examples: number): Promise<SuppressedInRun[]> {
  if (runIds.length === 0) return [];
  const { rows } = await db.query<SuppressedInRun>(
    `SELECT r.run_id::int AS "runId", c.refused, c.dropped, c.numbers, e.examples
     FROM unnest($1::bigint[]) AS r(run_id)
     CROSS JOIN LATERAL (
       SELECT count(DISTINCT seq) FILTER (WHERE refused)::int AS refused,
              count(DISTINCT seq) FILTER (WHERE NOT refused)::int AS dropped,
              count(*)::int AS numbers
       FROM run_suppressed s WHERE s.run_id = r.run_id) c
     CROSS JOIN LATERAL (
       SELECT coalesce(json_agg(json_build_object('masked', masked, 'listName', list_name, 'byPrefix', by_prefix) ORDER BY seq, position), '[]') AS examples
       FROM (SELECT * FROM run_suppressed s WHERE s.run_id = r.run_id ORDER BY seq, position LIMIT $2) x) e
     WHERE c.numbers > 0`,
    [runIds, examples],
  );
  return rows;
}
