import net from 'node:net';
import Fastify from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthRoutes } from '../../src/api/routes/health';
import { loadConfig, type Config, type QueueBackendName } from '../../src/config';
import { openQueueSide, type QueueSide } from '../../src/queue/queue-backend';
import { eventually } from '../queue/queue-test-kit';
import { QUEUE_BACKENDS, backendConfig } from '../support/backends';
import { freshSchema, type TestDb } from '../support/db';

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

async function probe(pool: { query(sql: string): Promise<unknown> }, probes: Readonly<Record<string, () => Promise<unknown>>>) {
  const app = Fastify();
  await app.register(healthRoutes, { pool, probes, timeoutMs: 500 });
  const started = Date.now();
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  const elapsed = Date.now() - started;
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  await app.close();
  return { ready, health, elapsed };
}

/** The side of a process on `backend`, as the service opens it for its probes (fail-fast). */
function openSide(backend: QueueBackendName, over: Partial<Config> = {}): QueueSide {
  const config = { ...loadConfig({}), ...backendConfig(backend, 'health-test'), ...over };
  return openQueueSide({ config, pool: db.pool }, { name: 'health-test', failFast: true });
}

/** Until every probe of the side answers: a fail-fast Redis client refuses commands until it is connected. */
function answering(side: QueueSide): Promise<void> {
  return eventually(
    async () => (await Promise.allSettled(Object.values(side.probes).map((p) => p()))).every((r) => r.status === 'fulfilled'),
    5_000,
    'the probes answering',
  );
}

/**
 * Each leg checks what its backend uses: Postgres and Redis on `redis`, Postgres alone on
 * `postgres` (the job queues live in the database already checked; no Redis client is opened).
 */
describe.each(QUEUE_BACKENDS)('/healthz and /readyz on %s', (backend) => {
  const others = backend === 'redis' ? { redis: 'ok' } : {};

  it('are 200 when what the backend uses answers, naming exactly that', async () => {
    const side = openSide(backend);
    await answering(side);
    const { ready, health } = await probe(db.pool, side.probes);
    await side.close();
    expect(health.statusCode).toBe(200);
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', postgres: 'ok', ...others });
  });

  it('answers 503 naming Postgres when Postgres is unreachable', async () => {
    const pool = new pg.Pool({ connectionString: `postgres://root@127.0.0.1:${await closedPort()}/test`, connectionTimeoutMillis: 300 });
    const side = openSide(backend);
    await answering(side);
    const { ready } = await probe(pool, side.probes);
    await side.close();
    await pool.end();
    expect(ready.statusCode).toBe(503);
    const { postgres, ...rest } = ready.json();
    expect(rest).toEqual({ status: 'unavailable', ...others });
    expect(['unreachable', 'timeout']).toContain(postgres);
  });

  if (backend === 'redis') {
    it('answers 503 naming Redis, quickly, when Redis is unreachable', async () => {
      const side = openSide(backend, { redisUrl: `redis://127.0.0.1:${await closedPort()}` });
      const { ready, health, elapsed } = await probe(db.pool, side.probes);
      await side.close();
      expect(health.statusCode).toBe(200);
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'unavailable', postgres: 'ok' });
      expect(['unreachable', 'timeout']).toContain(ready.json().redis);
      expect(elapsed).toBeLessThan(2000);
    });
  }
});

describe('/readyz probes', () => {
  it('counts a probe that hangs as a timeout', async () => {
    const { ready, elapsed } = await probe(db.pool, { redis: () => new Promise<never>(() => undefined) });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().redis).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(450);
  });
});
