import net from 'node:net';
import Fastify from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthRoutes } from '../../src/api/routes/health';
import { loadConfig } from '../../src/config';
import { openQueueSide } from '../../src/queue/queue-backend';
import { closeRedis, createRedis } from '../../src/queue/redis-client';
import { REDIS_URL, freshSchema, type TestDb } from '../support/db';

/** A port nothing listens on: bound for a moment, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let db: TestDb;
beforeAll(async () => {
  db = await freshSchema('health');
});
afterAll(() => db.drop());

async function connected(redis: ReturnType<typeof createRedis>) {
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

async function probe(pool: { query(sql: string): Promise<unknown> }, redis: { ping(): Promise<unknown> } | null) {
  const app = Fastify();
  await app.register(healthRoutes, { pool, probes: redis ? { redis: () => redis.ping() } : {}, timeoutMs: 500 });
  const started = Date.now();
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  const elapsed = Date.now() - started;
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  await app.close();
  return { ready, health, elapsed };
}

describe('/healthz and /readyz', () => {
  it('are 200 when Postgres and Redis answer', async () => {
    const redis = await connected(createRedis(REDIS_URL, { failFast: true }));
    const { ready, health } = await probe(db.pool, redis);
    await closeRedis(redis);
    expect(health.statusCode).toBe(200);
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', postgres: 'ok', redis: 'ok' });
  });

  it('answers 503 naming Redis, quickly, when Redis is unreachable', async () => {
    const redis = createRedis(`redis://127.0.0.1:${await closedPort()}`, { failFast: true });
    const { ready, health, elapsed } = await probe(db.pool, redis);
    redis.disconnect();
    expect(health.statusCode).toBe(200);
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'unavailable', postgres: 'ok' });
    expect(['unreachable', 'timeout']).toContain(ready.json().redis);
    expect(elapsed).toBeLessThan(2000);
  });

  it('answers 503 naming Postgres when Postgres is unreachable', async () => {
    const pool = new pg.Pool({ connectionString: `postgres://root@127.0.0.1:${await closedPort()}/test`, connectionTimeoutMillis: 300 });
    const redis = await connected(createRedis(REDIS_URL, { failFast: true }));
    const { ready } = await probe(pool, redis);
    await closeRedis(redis);
    await pool.end();
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'unavailable', redis: 'ok' });
    expect(['unreachable', 'timeout']).toContain(ready.json().postgres);
  });

  it('checks Postgres alone on QUEUE_BACKEND=postgres, whose side opens no Redis client', async () => {
    const config = { ...loadConfig({}), queueBackend: 'postgres' as const, redisUrl: `redis://127.0.0.1:${await closedPort()}` };
    const side = openQueueSide({ config, pool: db.pool }, { name: 'health-test', failFast: true });
    expect(side.probes).toEqual({});
    const { ready } = await probe(db.pool, null);
    await side.close();
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', postgres: 'ok' });
  });

  it('counts a probe that hangs as a timeout', async () => {
    const hanging = { ping: () => new Promise<never>(() => undefined) };
    const { ready, elapsed } = await probe(db.pool, hanging);
    expect(ready.statusCode).toBe(503);
    expect(ready.json().redis).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(450);
  });
});
