import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from '../../src/api/health-server';
import { QUEUE_BACKENDS } from '../support/backends';
import { freshSchema, type TestDb } from '../support/db';
import { testDeps } from '../queue/queue-test-kit';

let db: TestDb;

beforeAll(async () => {
  db = await freshSchema('health');
});
afterAll(async () => {
  await db.drop();
});

describe.each(QUEUE_BACKENDS)('health server of the worker and brain roles on %s', (backend) => {
  let server: HealthServer;
  afterAll(async () => {
    await server.close();
  });

  it('serves /healthz, /readyz (what the backend uses answers: Redis only on redis) and /metrics', async () => {
    server = await startHealthServer(testDeps(db.pool, 'unused', {}, backend), { port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', postgres: 'ok', ...(backend === 'redis' ? { redis: 'ok' } : {}) });
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('prospect_feeder_');
  });

  if (backend === 'redis') {
    it('answers /readyz 503 quickly when Redis cannot be reached', async () => {
      const deps = testDeps(db.pool, 'unused', {}, backend);
      const down = await startHealthServer(
        { ...deps, config: { ...deps.config, redisUrl: 'redis://127.0.0.1:1' } },
        { port: 0, host: '127.0.0.1' },
      );
      try {
        const started = Date.now();
        const res = await fetch(`http://127.0.0.1:${down.port}/readyz`);
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ postgres: 'ok', redis: 'unreachable' });
        expect(Date.now() - started).toBeLessThan(2_500);
      } finally {
        await down.close();
      }
    });
  }
});
