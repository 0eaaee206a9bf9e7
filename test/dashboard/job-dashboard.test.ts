import type { Queue } from 'bullmq';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessControl } from '../../src/api/access/access-plugin';
import { KeyRing } from '../../src/api/access/api-keys';
import { jobDashboard } from '../../src/dashboard/job-dashboard';
import { newQueue, newWorker } from '../../src/queue/queue-backend';
import { backendConfig, dropQueues, QUEUE_BACKENDS } from '../support/backends';
import { uniquePrefix } from '../support/db';

const FULL_NUMBER = /2125550100|212\)? ?[-. ]?555[-. ]?0100/;
const viewer = { authorization: 'Bearer view-key-3333' };
const operator = { authorization: 'Bearer op-key-1111' };

describe.each(QUEUE_BACKENDS)('on %s', (backend) => {
  const prefix = uniquePrefix('jobdash');
  const config = backendConfig(backend, prefix);
  let app: FastifyInstance;
  let queue: Queue;
  let failedJobId: string;
  let waitingJobId: string;

  beforeAll(async () => {
    queue = newQueue('fetch', config);
    const failing = await queue.add('refill 4100 for +12125550100', { SkillNo: 4100, record: { phone: '(212) 555-0100' } });
    failedJobId = failing.id!;
    const worker = newWorker(
      'fetch',
      async (job) => {
        await job.log('called +1 212 555 0100 and failed');
        throw new Error('connector refused record +12125550100');
      },
      config,
      { concurrency: 1, autorun: false },
    );
    const failed = new Promise<void>((resolve) => worker.on('failed', () => resolve()));
    void worker.run();
    await failed;
    await worker.close();
    const waiting = await queue.add('refill', { SkillNo: 4200, Phones: [2125550100] });
    waitingJobId = waiting.id!;

    app = Fastify();
    await app.register(accessControl, { keys: KeyRing.parse('operator:op-key-1111,dialer:dial-key-2222,viewer:view-key-3333') });
    await app.register(jobDashboard, { queues: [queue] });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await queue.close();
    await dropQueues(backend, prefix);
  });

  describe('job dashboard at /admin/queues', () => {
    it('asks a browser without a key for one, and opens for a viewer', async () => {
      const none = await app.inject({ method: 'GET', url: '/admin/queues', headers: { accept: 'text/html' } });
      expect(none.statusCode).toBe(401);
      expect(none.body).toContain('action="/login"');
      const dialer = await app.inject({ method: 'GET', url: '/admin/queues', headers: { authorization: 'Bearer dial-key-2222' } });
      expect(dialer.statusCode).toBe(403);
      const page = await app.inject({ method: 'GET', url: '/admin/queues', headers: { ...viewer, accept: 'text/html' } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<base href="/admin/queues/"');
      const script = /src="(static\/js\/main[^"]+)"/.exec(page.body)![1]!;
      const asset = await app.inject({ method: 'GET', url: `/admin/queues/${script}`, headers: viewer });
      expect(asset.statusCode).toBe(200);
    });

    it('shows jobs with phone numbers masked in data, names, failure reasons, stack traces and logs', async () => {
      const list = await app.inject({
        method: 'GET',
        url: '/admin/queues/api/queues?activeQueue=fetch&status=latest&page=1&jobsPerPage=10',
        headers: viewer,
      });
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toMatch(FULL_NUMBER);
      const jobs = list.json().queues[0].jobs as Array<Record<string, unknown>>;
      expect(jobs.length).toBe(2);
      const failed = jobs.find((j) => j.id === failedJobId)!;
      expect(failed.data).toEqual({ SkillNo: 4100, record: { phone: '******0100' } });
      expect(failed.name).toBe('refill 4100 for +1******0100');
      expect(failed.failedReason).toBe('connector refused record +1******0100');
      expect(JSON.stringify(failed.stacktrace)).toContain('+1******0100');
      const waiting = jobs.find((j) => j.id === waitingJobId)!;
      expect(waiting.data).toEqual({ SkillNo: 4200, Phones: ['******0100'] });

      const one = await app.inject({ method: 'GET', url: `/admin/queues/api/queues/fetch/${failedJobId}`, headers: viewer });
      expect(one.statusCode).toBe(200);
      expect(one.body).not.toMatch(FULL_NUMBER);
      expect(one.json().job.failedReason).toBe('connector refused record +1******0100');

      const logs = await app.inject({ method: 'GET', url: `/admin/queues/api/queues/fetch/${failedJobId}/logs`, headers: viewer });
      expect(logs.statusCode).toBe(200);
      expect(logs.body).not.toMatch(FULL_NUMBER);
      expect(logs.body).toContain('called +1******0100 and failed');
    });

    it(`describes the datastore the queues are on (${backend}), not a Redis that is not there`, async () => {
      const stats = await app.inject({ method: 'GET', url: '/admin/queues/api/redis/stats', headers: viewer });
      expect(stats.statusCode).toBe(200);
      expect(stats.json()).toMatchObject({ backend, version: expect.any(String), clients: { connected: expect.any(Number) } });
    });

    it('lets an operator act, not a viewer, and a refused action changes nothing', async () => {
      const retry = (headers: Record<string, string>) =>
        app.inject({ method: 'PUT', url: `/admin/queues/api/queues/fetch/${failedJobId}/retry`, headers });
      expect((await retry(viewer)).statusCode).toBe(403);
      expect(await (await queue.getJob(failedJobId))!.getState()).toBe('failed');
      expect((await retry(operator)).statusCode).toBe(204);
      expect(await (await queue.getJob(failedJobId))!.getState()).toBe('waiting');
    });
  });
});
