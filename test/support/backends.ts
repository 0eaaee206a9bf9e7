import pg from 'pg';
import type { QueueBackendName } from '../../src/config';
import { queueSchema } from '../../src/queue/queue-backend';
import { closeRedis, createRedis } from '../../src/queue/redis-client';
import { DATABASE_URL, REDIS_URL } from './db';

/**
 * The queue backends a test matrix runs on (`describe.each(QUEUE_BACKENDS)('on %s', ...)`), so the
 * output names each leg: `redis` where REDIS_URL is set (.ci/run sets it), `postgres` always.
 * TEST_BACKENDS=redis,postgres picks them by hand.
 */
export const QUEUE_BACKENDS: readonly QueueBackendName[] = pickBackends(process.env);

/**
 * The backend of tests that are not a matrix (the API's, the CLI's): Redis where REDIS_URL is set,
 * as before; else PostgreSQL, so that a machine with no Redis runs them too.
 */
export const DEFAULT_BACKEND: QueueBackendName = process.env.REDIS_URL ? 'redis' : 'postgres';

export function pickBackends(env: NodeJS.ProcessEnv): QueueBackendName[] {
  if (env.TEST_BACKENDS)
    return env.TEST_BACKENDS.split(',')
      .map((b) => b.trim())
      .filter((b): b is QueueBackendName => b === 'redis' || b === 'postgres');
  return env.REDIS_URL ? ['redis', 'postgres'] : ['postgres'];
}

/** The backend part of a test's configuration: its own prefix (Redis keys, or BullMQ's schema on Postgres). */
export function backendConfig(queueBackend: QueueBackendName, queuePrefix: string) {
  return { queueBackend, queuePrefix, databaseUrl: DATABASE_URL, redisUrl: REDIS_URL };
}

/** Removes what a test left on its backend: the prefix's Redis keys, or BullMQ's schema of the prefix. */
export async function dropQueues(queueBackend: QueueBackendName, prefix: string): Promise<void> {
  if (queueBackend === 'postgres') {
    const c = new pg.Client({ connectionString: DATABASE_URL });
    await c.connect();
    try {
      await c.query(`DROP SCHEMA IF EXISTS "${queueSchema(prefix)}" CASCADE`);
    } finally {
      await c.end();
    }
    return;
  }
  const redis = createRedis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await closeRedis(redis);
  }
}

/**
 * Deletes a job's record behind BullMQ's back, its deduplication key left in place: what an
 * outage that lost the job leaves behind.
 */
export async function loseJob(queueBackend: QueueBackendName, prefix: string, queue: string, jobId: string): Promise<void> {
  if (queueBackend === 'postgres') {
    const c = new pg.Client({ connectionString: DATABASE_URL });
    await c.connect();
    try {
      await c.query(`DELETE FROM "${queueSchema(prefix)}".job WHERE queue = $1 AND id = $2`, [queue, jobId]);
    } finally {
      await c.end();
    }
    return;
  }
  const redis = createRedis(REDIS_URL);
  try {
    await redis.del(`${prefix}:${queue}:${jobId}`);
  } finally {
    await closeRedis(redis);
  }
}
