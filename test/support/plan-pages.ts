import type pg from 'pg';
import { prospectLookup, type ProspectQuery } from '../../src/db/prospects';

/**
 * Pages (shared buffers, hit or read) a statement touches, by EXPLAIN (ANALYZE, BUFFERS): a
 * measure of its plan that the machine's load does not change.
 */
export async function pagesRead(pool: pg.Pool, statement: { text: string; values: unknown[] }): Promise<number> {
  const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`, statement.values);
  const plan = (rows[0]['QUERY PLAN'] as { Plan: Record<string, number> }[])[0]!.Plan;
  return plan['Shared Hit Blocks']! + plan['Shared Read Blocks']!;
}

/** How many times the statement's plan read `relation` (its scans' loops, summed), by EXPLAIN ANALYZE. */
export async function loopsOn(pool: pg.Pool, statement: { text: string; values: unknown[] }, relation: string): Promise<number> {
  const { rows } = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`, statement.values);
  const sum = (node: Record<string, unknown>): number =>
    (node['Relation Name'] === relation ? (node['Actual Loops'] as number) : 0) +
    ((node['Plans'] as Record<string, unknown>[] | undefined) ?? []).reduce((n, child) => n + sum(child), 0);
  return sum((rows[0]['QUERY PLAN'] as { Plan: Record<string, unknown> }[])[0]!.Plan);
}

/** Pages the GETPROSPECT statement for `q` touches. */
export function lookupPagesRead(pool: pg.Pool, q: ProspectQuery): Promise<number> {
  return pagesRead(pool, prospectLookup(q));
}
