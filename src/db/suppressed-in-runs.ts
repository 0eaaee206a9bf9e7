import type { DbClient } from './pool';

/** How a run's load met suppressed numbers: records refused, records that lost a number, a few messages. */
export interface SuppressedInRun {
  runId: number;
  /** Records that failed DoNotCall: every valid number suppressed. */
  refused: number;
  /** Records kept with a suppressed number dropped (named in their ResultMessage). */
  dropped: number;
  /** Numbers named in those messages, the "and N more" included. */
  numbers: number;
  /** The first messages naming suppressed numbers, in input order (numbers already masked at load). */
  messages: string[];
}

/**
 * The messages the load writes (domain/do-not-call.ts): `every valid number is suppressed: …` on a
 * DoNotCall failure, `dropped suppressed number(s): …` on a kept record; each names its numbers
 * masked, `+1******0199 (internal)`, the first five then `and N more`.
 */
const NAMING = `(?:every valid number is suppressed|dropped suppressed number\\(s\\)): ([^;]*)`;

/**
 * Per run, the records whose load met a suppressed number. One statement over the runs' results
 * (their primary key's run_id prefix): the dashboard asks for a handful of recent runs.
 */
export async function readSuppressedInRuns(db: DbClient, runIds: readonly number[], examples: number): Promise<SuppressedInRun[]> {
  if (runIds.length === 0) return [];
  const { rows } = await db.query<SuppressedInRun>(
    `WITH hit AS (
       SELECT run_id, seq, result_code, substring(result_message FROM $2) AS named
       FROM run_results
       WHERE run_id = ANY($1::bigint[]) AND result_message ~ $2
     )
     SELECT run_id::int AS "runId",
            count(*) FILTER (WHERE result_code = 'DoNotCall')::int AS refused,
            count(*) FILTER (WHERE result_code <> 'DoNotCall')::int AS dropped,
            sum(regexp_count(named, '\\(') + coalesce(substring(named FROM ' and (\\d+) more$')::int, 0))::int AS numbers,
            (array_agg(named ORDER BY seq))[1:$3] AS messages
     FROM hit GROUP BY run_id`,
    [runIds, NAMING, examples],
  );
  return rows;
}
