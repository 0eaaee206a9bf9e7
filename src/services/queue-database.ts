import { connectionConfig } from '../db/pool';
import { liveDedupIds, type Queryable } from '../db/queue-dedup';

/**
 * How BullMQ's PostgreSQL backend reaches the service's database (QUEUE_BACKEND=postgres): the
 * same DATABASE_URL and session options as the service's pool. BullMQ appends its own
 * search_path (its schema) to these options, so an `options` in the URL is kept, not lost.
 */
export function queueDatabaseConnection(databaseUrl: string): { connectionString: string; options: string } {
  return connectionConfig(databaseUrl);
}

/**
 * Of `dedupIds`, those an add to `queue` would now be deduplicated against (BullMQ's tables in
 * `schema`): one statement, the Postgres side of RefillQueue.inFlight.
 */
export function liveDeduplications(
  db: Queryable,
  schema: string,
  queue: string,
  dedupIds: readonly string[],
  nowMs: number,
): Promise<Set<string>> {
  return liveDedupIds(db, schema, queue, dedupIds, nowMs);
}
