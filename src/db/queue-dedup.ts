/** Anything that runs a query: the service's pool, or the pool BullMQ's Postgres backend owns. */
export interface Queryable {
  query<R = unknown>(text: string, params?: readonly unknown[]): Promise<{ rows: R[] }>;
}

/**
 * Of `dedupIds`, those whose deduplication key in BullMQ's Postgres tables (in `schema`) still
 * names a live winner job of `queue`: exactly "an add now would be deduplicated", as BullMQ's
 * deduplicate_job decides it (an unexpired key whose job exists). One statement for any number of
 * ids, on the (queue, dedup_id) and (queue, id) primary keys.
 */
export async function liveDedupIds(
  db: Queryable,
  schema: string,
  queue: string,
  dedupIds: readonly string[],
  nowMs: number,
): Promise<Set<string>> {
  if (dedupIds.length === 0) return new Set();
  const s = quoteIdent(schema);
  const { rows } = await db.query<{ dedup_id: string }>(
    `SELECT d.dedup_id FROM ${s}.dedup d
     JOIN ${s}.job j ON j.queue = d.queue AND j.id = d.job_id
     WHERE d.queue = $1 AND d.dedup_id = ANY($2::text[])
       AND (d.expire_at_ms IS NULL OR d.expire_at_ms > $3)`,
    [queue, dedupIds, nowMs],
  );
  return new Set(rows.map((r) => r.dedup_id));
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
