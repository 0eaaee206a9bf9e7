import pg from 'pg';
import { loadConfig, type Config, type QueueBackendName } from '../../src/config';
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

/**
 * The Redis a test on `postgres` is given: none (a name that never resolves), so a Redis client
 * opened there by mistake fails instead of quietly finding a Redis on this machine.
 */
export const NO_REDIS_URL = 'redis://no-redis-on-the-postgres-leg.invalid:6379';

/** REDIS_URL, for the redis leg's tests; anywhere else a clear failure, never a default Redis. */
export function redisUrl(): string {
  if (!REDIS_URL) throw new Error('this test needs Redis: it belongs to the redis leg, which runs where REDIS_URL is set');
  return REDIS_URL;
}

/** The backend part of a test's configuration: its own prefix (Redis keys, or BullMQ's schema on Postgres). */
export function backendConfig(queueBackend: QueueBackendName, queuePrefix: string) {
  return {
    queueBackend,
    queuePrefix,
    databaseUrl: DATABASE_URL,
    redisUrl: queueBackend === 'redis' ? redisUrl() : NO_REDIS_URL,
  };
}

/**
 * A whole configuration for a test: the defaults (or `env`'s), then `backend` (DEFAULT_BACKEND
 * unless a matrix leg says) under the test's own `queuePrefix`. Never loadConfig({}) alone where
 * queues are used: its default backend is Redis at 127.0.0.1:6379, which a machine may not have.
 */
export function testConfig(queuePrefix: string, opts: { backend?: QueueBackendName; env?: Record<string, string> } = {}): Config {
  return { ...loadConfig({ DATABASE_URL, ...opts.env }), ...backendConfig(opts.backend ?? DEFAULT_BACKEND, queuePrefix) };
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
  const redis = createRedis(redisUrl());
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
  const redis = createRedis(redisUrl());
  try {
    await redis.del(`${prefix}:${queue}:${jobId}`);
  } finally {
    await closeRedis(redis);
  }
}
