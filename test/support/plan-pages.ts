import type pg from 'pg';
import { prospectLookup, type ProspectQuery } from '../../src/db/prospects';

/**
 * Pages (shared buffers, hit or read) the GETPROSPECT statement for `q` touches, by EXPLAIN
 * (ANALYZE, BUFFERS): a measure of the plan that the machine's load does not change.
 */
export async function lookupPagesRead(pool: pg.Pool, q: ProspectQuery): Promise<number> {
  const { text, values } = prospectLookup(q);
  const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values);
  const plan = (rows[0]['QUERY PLAN'] as { Plan: Record<string, number> }[])[0]!.Plan;
  return plan['Shared Hit Blocks']! + plan['Shared Read Blocks']!;
}
