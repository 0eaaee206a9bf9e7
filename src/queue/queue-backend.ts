import { createHash } from 'node:crypto';
import { createPostgresBackend, Queue, Worker, type DefaultJobOptions, type Processor, type WorkerOptions } from 'bullmq';
import type { AppDeps } from '../app-deps';
import type { Config, QueueBackendName } from '../config';
import type { CheckTimes } from '../services/brain-tick';
import { PostgresCheckTimes } from '../services/check-times-pg';
import { liveDeduplications, queueDatabaseConnection } from '../services/queue-database';
import { PostgresQueueHistory, type QueueHistoryOptions, type QueueHistoryStore } from '../services/queue-history-store';
import { PostgresResultsStream, type ResultsStream } from '../services/results-stream';
import { RedisCheckTimes } from './check-times-redis';
import { RedisQueueHistory } from './queue-history-redis';
import { producerConnection, workerConnection } from './queue-settings';
import { closeRedis, createRedis } from './redis-client';
import { RedisResultsStream } from './results-stream-redis';

/**
 * The one place that knows QUEUE_BACKEND. Every BullMQ queue and worker of the service is made
 * here (newQueue, newWorker), and so is everything else the service keeps beside its jobs
 * (openQueueSide: the results stream, the brain's check times, the dashboard history, the
 * readiness probes). `redis`: BullMQ on Redis under the installation-scoped prefix, the rest in
 * Redis keys under the same prefix. `postgres`: BullMQ's PostgreSQL backend in the service's
 * database, in a schema named after the installation-scoped prefix (queueSchema), the rest in the
 * service's own tables (migration 030); no Redis connection is ever opened.
 */
export type BackendConfig = Pick<Config, 'queueBackend' | 'redisUrl' | 'databaseUrl' | 'queuePrefix'>;

/** The store the job queues are on, as messages name it: Redis, or PostgreSQL (in DATABASE_URL's database). */
export function queueStoreName(config: Pick<Config, 'queueBackend'>): string {
  return config.queueBackend === 'postgres' ? 'PostgreSQL' : 'Redis';
}

/** Postgres connections per BullMQ queue handle (producers: one add or read at a time, mostly). */
const QUEUE_POOL_MAX = 2;
/** How long a producer waits for a Postgres connection before its call fails (the Redis offline queue's counterpart). */
const PRODUCER_CONNECT_TIMEOUT_MS = 5_000;

/**
 * BullMQ's schema of an installation on `postgres`. BullMQ namespaces by schema, not by key
 * prefix, so the installation-scoped prefix picks the schema: databases never share one anyway,
 * and within one database a reset (new installation id) or a test file (its own prefix) gets
 * fresh queues, as a new prefix does on Redis. Readable, unique (a hash of the whole prefix), and
 * within Postgres's 63-byte identifiers.
 */
export function queueSchema(prefix: string): string {
  const readable = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 44);
  const hash = createHash('sha256').update(prefix).digest('hex').slice(0, 10);
  return `bullmq_${readable}_${hash}`;
}

function postgresConnection(config: BackendConfig, max: number, failFast: boolean) {
  return {
    ...queueDatabaseConnection(config.databaseUrl),
    schema: queueSchema(config.queuePrefix),
    // Idempotent and serialised by BullMQ's advisory lock: the first queue of a fresh installation
    // creates the schema, every later one reads the ledger and goes on.
    migrate: true,
    max,
    idleTimeoutMillis: 10_000,
    ...(failFast ? { connectionTimeoutMillis: PRODUCER_CONNECT_TIMEOUT_MS } : {}),
  };
}

/**
 * A BullMQ queue handle. `failFast`: a queue used while an HTTP request waits (a call fails soon
 * when the backend is down, instead of holding the request).
 */
export function newQueue<D>(
  name: string,
  config: BackendConfig,
  opts: { defaultJobOptions?: DefaultJobOptions; failFast?: boolean } = {},
): Queue<D> {
  const failFast = opts.failFast ?? false;
  const common = opts.defaultJobOptions ? { defaultJobOptions: opts.defaultJobOptions } : {};
  const queue =
    config.queueBackend === 'postgres'
      ? (new Queue(
          name,
          { ...common, connection: postgresConnection(config, QUEUE_POOL_MAX, failFast) },
          createPostgresBackend,
        ) as unknown as Queue<D>)
      : new Queue<D>(name, {
          ...common,
          connection: failFast ? producerConnection(config) : workerConnection(config),
          prefix: config.queuePrefix,
        });
  // Connection trouble surfaces on the calls; the event would otherwise be unhandled.
  queue.on('error', () => undefined);
  return queue;
}

export function newWorker<D, R>(
  name: string,
  processor: Processor<D, R>,
  config: BackendConfig,
  opts: Omit<WorkerOptions, 'connection' | 'prefix'> & { concurrency: number },
): Worker<D, R> {
  if (config.queueBackend === 'postgres') {
    // A connection per job in flight, one for the worker's own moves; the LISTEN connection is apart.
    const connection = postgresConnection(config, opts.concurrency + 1, false);
    return new Worker(name, processor as Processor, { ...opts, connection }, createPostgresBackend) as unknown as Worker<D, R>;
  }
  return new Worker<D, R>(name, processor, { ...opts, connection: workerConnection(config), prefix: config.queuePrefix });
}

/**
 * Of `dedupIds`, those whose deduplication key on `queue` names a job that still exists: exactly
 * "an add now would be deduplicated". Redis: BullMQ's dedup keys, then the jobs' keys, two round
 * trips for any number. Postgres: one statement on BullMQ's tables, on the queue's own pool.
 */
export async function liveDedupIds(queue: Queue, config: BackendConfig, dedupIds: readonly string[]): Promise<Set<string>> {
  if (dedupIds.length === 0) return new Set();
  if (config.queueBackend === 'postgres') {
    // The first use of a queue creates BullMQ's schema (memoised after): the read needs its tables.
    await queue.waitUntilReady();
    const backend = queue.getBackend() as unknown as { connection: { pool: Parameters<typeof liveDeduplications>[0] } };
    return liveDeduplications(backend.connection.pool, queueSchema(config.queuePrefix), queue.name, dedupIds, Date.now());
  }
  const client = await queue.getBackend().client;
  const ids = (await client.runCommand(
    'mget',
    dedupIds.map((id) => `${queue.keys.de}:${id}`),
  )) as (string | null)[];
  const named = dedupIds.flatMap((dedupId, i) => (ids[i] ? [{ dedupId, jobId: ids[i] }] : []));
  if (named.length === 0) return new Set();
  const pipeline = client.pipeline();
  for (const n of named) pipeline.runCommand('exists', [queue.toKey(n.jobId)]);
  const exists = (await pipeline.exec()) ?? [];
  return new Set(named.filter((_, i) => exists[i]?.[0] === null && exists[i]?.[1] === 1).map((n) => n.dedupId));
}

/** What the service keeps beside its jobs, on the configured backend, and how to probe it. */
export interface QueueSide {
  readonly backend: QueueBackendName;
  readonly resultsStream: ResultsStream;
  readonly checkTimes: CheckTimes;
  history(opts?: QueueHistoryOptions): QueueHistoryStore;
  /**
   * `/readyz` checks beyond Postgres's own `SELECT 1`: Redis's PING on `redis`; none on
   * `postgres`, where the job queues live in the database already checked.
   */
  readonly probes: Readonly<Record<string, () => Promise<unknown>>>;
  close(): Promise<void>;
}

/**
 * Opens the side state of one process part (`name` labels its Redis connection). `failFast`:
 * commands fail at once while Redis is down (probes, requests), instead of waiting for it.
 */
export function openQueueSide(deps: Pick<AppDeps, 'config' | 'pool'>, opts: { name: string; failFast?: boolean }): QueueSide {
  const { config, pool } = deps;
  if (config.queueBackend === 'postgres') {
    return {
      backend: 'postgres',
      resultsStream: new PostgresResultsStream(pool),
      checkTimes: new PostgresCheckTimes(pool),
      history: (h = {}) => new PostgresQueueHistory(pool, h),
      probes: {},
      close: async () => undefined,
    };
  }
  const redis = createRedis(config.redisUrl, { name: `prospect-feeder:${opts.name}`, ...(opts.failFast ? { failFast: true } : {}) });
  return {
    backend: 'redis',
    resultsStream: new RedisResultsStream(redis, config.queuePrefix),
    checkTimes: new RedisCheckTimes(redis, config.queuePrefix),
    history: (h = {}) => new RedisQueueHistory(redis, { ...h, prefix: config.queuePrefix }),
    probes: { redis: () => redis.ping() },
    close: () => closeRedis(redis, 1_500),
  };
}
