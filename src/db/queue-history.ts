import type { DbClient } from './pool';

export interface QueueHistoryRow {
  skillNo: number;
  t: number;
  depth: number;
  callable: number;
  low: number | null;
  target: number | null;
}

/**
 * Takes the time slot and, when this call took it, stores every skill's sample and drops the
 * sampled skills' samples older than `keepSinceMs` (a skill no longer sampled, deleted, keeps its
 * last hour until `dropBeforeMs`, as its Redis key expires): one statement, so two processes
 * never both write a slot.
 */
export async function recordHistorySlot(
  db: DbClient,
  slot: number,
  samples: readonly QueueHistoryRow[],
  keepSinceMs: number,
  dropBeforeMs: number,
): Promise<boolean> {
  const { rows } = await db.query<{ took: boolean }>(
    `WITH took AS (
       INSERT INTO queue_history_slots (slot) VALUES ($1) ON CONFLICT DO NOTHING RETURNING slot
     ), old_slots AS (
       DELETE FROM queue_history_slots WHERE slot < $1 - 3 AND EXISTS (SELECT 1 FROM took)
     ), added AS (
       INSERT INTO queue_history (skill_no, t_ms, depth, callable, low, target)
       SELECT s.* FROM unnest($2::int[], $3::bigint[], $4::int[], $5::int[], $6::int[], $7::int[]) AS s
       WHERE EXISTS (SELECT 1 FROM took)
       ON CONFLICT DO NOTHING
     ), old AS (
       DELETE FROM queue_history
       WHERE EXISTS (SELECT 1 FROM took) AND ((t_ms < $8 AND skill_no = ANY($2::int[])) OR t_ms < $9)
     )
     SELECT EXISTS (SELECT 1 FROM took) AS took`,
    [
      slot,
      samples.map((s) => s.skillNo),
      samples.map((s) => s.t),
      samples.map((s) => s.depth),
      samples.map((s) => s.callable),
      samples.map((s) => s.low),
      samples.map((s) => s.target),
      keepSinceMs,
      dropBeforeMs,
    ],
  );
  return rows[0]?.took === true;
}

/** Every skill's samples since `sinceMs`, oldest first. */
export async function readHistorySince(db: DbClient, sinceMs: number): Promise<QueueHistoryRow[]> {
  const { rows } = await db.query<{
    skill_no: number;
    t_ms: number;
    depth: number;
    callable: number;
    low: number | null;
    target: number | null;
  }>(`SELECT skill_no, t_ms, depth, callable, low, target FROM queue_history WHERE t_ms >= $1 ORDER BY skill_no, t_ms`, [sinceMs]);
  return rows.map((r) => ({ skillNo: r.skill_no, t: Number(r.t_ms), depth: r.depth, callable: r.callable, low: r.low, target: r.target }));
}
