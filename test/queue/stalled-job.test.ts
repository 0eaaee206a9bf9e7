import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSkill } from '../../src/services/skills';
import { setSourceMap } from '../../src/services/set-source-map';
import { RefillQueue } from '../../src/queue/refill-queue';
import { startWorker } from '../../src/queue/worker-role';
import { QUEUE_BACKENDS, backendConfig } from '../support/backends';
import { DATABASE_URL, freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { FakeCrm } from '../connectors/fake-crm';
import { dropPrefix, testDeps, waitForJob } from './queue-test-kit';

describe.each(QUEUE_BACKENDS)('on %s', (backend) => {
  let db: TestDb;
  let crm: FakeCrm;
  const prefix = uniquePrefix('stalled');

  beforeAll(async () => {
    db = await freshSchema('stalled');
    crm = new FakeCrm();
    const url = await crm.start();
    const deps = testDeps(db.pool, prefix, {}, backend);
    await setSourceMap(deps, 'crm', { ExternalID: 'id', PhoneNumber: 'phone' });
    await putSkill(deps, 700, {
      Name: 'Stalled',
      Refill: { Enabled: true, SourceName: 'crm', Connector: { Type: 'http', Url: `${url}/leads`, TimeoutMs: 30_000 } },
    });
    crm.records = [{ id: 'S1', phone: '(212) 555-0111' }];
  });

  afterAll(async () => {
    await crm.stop();
    await dropPrefix(prefix, backend);
    await db.drop();
  });

  function spawnDoomedWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'doomed-worker.ts')], {
      env: {
        ...process.env,
        DATABASE_URL,
        REDIS_URL: backendConfig(backend, prefix).redisUrl,
        TEST_SCHEMA: db.schema,
        TEST_PREFIX: prefix,
        QUEUE_BACKEND: backend,
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve(child);
      });
    });
  }

  it('runs a job again on another worker after the worker holding it was killed', async () => {
    const deps = testDeps(db.pool, prefix, {}, backend);
    const refill = new RefillQueue(deps.config);
    // The CRM does not answer the first request for a minute: the job sits active in the child.
    crm.script.push({ status: 200, delayMs: 60_000, body: '{}' });
    const child = await spawnDoomedWorker();
    let survivor: Awaited<ReturnType<typeof startWorker>> | undefined;
    try {
      const { JobId } = await refill.enqueue({ skillNo: 700, count: 1, origin: 'Manual' });
      await waitForJob(refill.queue, JobId, ['active'], 10_000);
      await new Promise((r) => setTimeout(r, 200));
      child.kill('SIGKILL');
      const killedAt = Date.now();

      survivor = await startWorker(deps, { tuning: { lockDurationMs: 2_000, stalledIntervalMs: 1_000 } });
      await waitForJob(refill.queue, JobId, ['completed', 'failed'], 15_000);
      expect(await refill.queue.getJobState(JobId)).toBe('completed');
      // The child's lock (2 s) lapses, the next stalled check (every 1 s) hands the job back.
      expect(Date.now() - killedAt).toBeLessThan(10_000);
      const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM prospects WHERE skill_no = 700');
      expect(rows[0]).toEqual({ n: 1 });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await survivor?.close();
      await refill.close();
    }
  }, 30_000);
});
