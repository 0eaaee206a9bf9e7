import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server';
import { refillRoutes } from '../../src/api/routes/refill';
import { RefillQueue } from '../../src/queue/refill-queue';
import { putSkill } from '../../src/services/skills';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { dropPrefix, testDeps } from '../queue/queue-test-kit';

let db: TestDb;
let app: FastifyInstance;
let refill: RefillQueue;
const prefix = uniquePrefix('refillapi');

beforeAll(async () => {
  db = await freshSchema('refillapi');
  const deps = testDeps(db.pool, prefix);
  refill = new RefillQueue(deps.config);
  await putSkill(deps, 901, {
    Name: 'Manual',
    Refill: { Enabled: true, SourceName: 'crm', LowWaterMark: 10, TargetDepth: 30, Connector: { Type: 'demo' } },
  });
  await putSkill(deps, 902, { Name: 'No connector', Refill: { Enabled: true, SourceName: 'crm' } });
  await putSkill(deps, 903, { Name: 'No refill' });
  app = buildServer(deps, { plugins: [refillRoutes(refill)] });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await refill.close();
  await dropPrefix(prefix);
  await db.drop();
});

const post = (skillNo: number | string, body?: unknown) =>
  app.inject({ method: 'POST', url: `/v1/skills/${skillNo}/refill`, ...(body !== undefined ? { payload: body as object } : {}) });

describe('POST /v1/skills/{SkillNo}/refill', () => {
  it('queues a fetch for TargetDepth - CallableNow and answers 202, then the same job while it waits', async () => {
    const first = await post(901);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ Deduplicated: false, Count: 30 });
    const job = await refill.queue.getJob(first.json().JobId);
    expect(job?.data).toEqual({ skillNo: 901, count: 30, origin: 'Manual' });

    const again = await post(901, { Count: 5 });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ JobId: first.json().JobId, Deduplicated: true, Count: 5 });
    await refill.queue.drain(true);
  });

  it('takes an explicit Count', async () => {
    const res = await post(901, { Count: 7 });
    expect(res.statusCode).toBe(202);
    expect((await refill.queue.getJob(res.json().JobId))?.data.count).toBe(7);
    await refill.queue.drain(true);
  });

  it('answers 404 UnknownSkill and 409 RefillNotConfigured', async () => {
    const unknown = await post(4444);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('UnknownSkill');
    for (const skillNo of [902, 903]) {
      const res = await post(skillNo);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('RefillNotConfigured');
    }
  });

  it('refuses a bad body or SkillNo with 400 InvalidData', async () => {
    for (const body of [{ Count: 0 }, { Count: 'ten' }, { Count: 1.5 }, { Count: 10, Extra: true }, [1]]) {
      const res = await post(901, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('InvalidData');
    }
    expect((await post('abc')).statusCode).toBe(400);
  });

  it('answers 503 QueueUnavailable promptly when Redis cannot be reached', async () => {
    const deps = testDeps(db.pool, prefix);
    const down = new RefillQueue({ redisUrl: 'redis://127.0.0.1:1', queuePrefix: prefix }, { callTimeoutMs: 500 });
    const downApp = buildServer({ ...deps, config: { ...deps.config, redisUrl: 'redis://127.0.0.1:1' } }, { plugins: [refillRoutes(down)] });
    try {
      const started = Date.now();
      const res = await downApp.inject({ method: 'POST', url: '/v1/skills/901/refill' });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('QueueUnavailable');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await downApp.close();
      await down.close(500);
    }
  });
});
