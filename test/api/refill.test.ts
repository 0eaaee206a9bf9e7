import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server';
import { refillRoutes } from '../../src/api/routes/refill';
import { RefillQueue } from '../../src/queue/refill-queue';
import { putSkill } from '../../src/services/skills';
import { QUEUE_BACKENDS } from '../support/backends';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { insertProspects, testPhone } from '../support/prospect-fixtures';
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
  await putSkill(deps, 904, {
    Name: 'Small inventory',
    Refill: { Enabled: true, SourceName: 'crm', LowWaterMark: 5, TargetDepth: 20, MaxInventory: 20, Connector: { Type: 'demo' } },
  });
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

  it('bounds Count by the room left under MaxInventory and refuses 409 InventoryFull at or past it', async () => {
    let loaded = 0;
    const load = async (n: number) => {
      const rows = Array.from({ length: n }, (_, i) => ({
        externalId: `M${loaded + i}`,
        timeZone: 'America/New_York',
        destinations: [{ phone: testPhone(loaded + i) }],
      }));
      await insertProspects(db.pool, 904, rows);
      loaded += n;
    };
    const asked = async (body?: unknown) => {
      const res = await post(904, body);
      expect(res.statusCode).toBe(202);
      const job = await refill.queue.getJob(res.json().JobId);
      await refill.queue.drain(true);
      expect(job?.data.count).toBe(res.json().Count);
      return res.json().Count as number;
    };
    expect(await asked({ Count: 500 })).toBe(20);
    await load(15);
    expect(await asked({ Count: 500 })).toBe(5);
    expect(await asked({ Count: 3 })).toBe(3);
    expect(await asked()).toBe(5);
    for (const n of [5, 3]) {
      await load(n);
      for (const body of [undefined, { Count: 1 }]) {
        const res = await post(904, body);
        expect(res.statusCode).toBe(409);
        expect(res.json().error.code).toBe('InventoryFull');
        expect(res.json().error.message).toContain(`skill 904 holds ${loaded} active prospects, at or past its MaxInventory of 20`);
      }
    }
    expect(await refill.queue.getJobCounts('waiting', 'delayed', 'prioritized')).toEqual({ waiting: 0, delayed: 0, prioritized: 0 });
  });

  it('refuses a bad body or SkillNo with 400 InvalidData', async () => {
    for (const body of [{ Count: 0 }, { Count: 'ten' }, { Count: 1.5 }, { Count: 10, Extra: true }, [1]]) {
      const res = await post(901, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('InvalidData');
    }
    expect((await post('abc')).statusCode).toBe(400);
  });

  /** The backend's store, unreachable: nothing listens on port 1. */
  const unreachable = {
    redis: { redisUrl: 'redis://127.0.0.1:1' },
    postgres: { databaseUrl: 'postgres://root@127.0.0.1:1/test' },
  } as const;

  it.each(QUEUE_BACKENDS)(
    'answers 503 QueueUnavailable promptly, naming the store, when the job queue on %s cannot be reached',
    async (backend) => {
      const deps = testDeps(db.pool, prefix, {}, backend);
      const config = { ...deps.config, ...unreachable[backend] };
      const down = new RefillQueue(config, { callTimeoutMs: 500 });
      const downApp = buildServer({ ...deps, config }, { plugins: [refillRoutes(down)] });
      try {
        const started = Date.now();
        const res = await downApp.inject({ method: 'POST', url: '/v1/skills/901/refill' });
        expect(res.statusCode).toBe(503);
        expect(res.json().error.code).toBe('QueueUnavailable');
        expect(res.json().error.message).toContain(`the job queue (${backend === 'redis' ? 'Redis' : 'PostgreSQL'})`);
        expect(Date.now() - started).toBeLessThan(2_000);
      } finally {
        await downApp.close();
        await down.close(500);
      }
    },
  );
});
