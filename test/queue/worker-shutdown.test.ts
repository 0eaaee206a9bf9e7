import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSkill } from '../../src/services/skills';
import { setSourceMap } from '../../src/services/set-source-map';
import { RefillQueue } from '../../src/queue/refill-queue';
import { startWorker } from '../../src/queue/worker-role';
import { QUEUE_BACKENDS } from '../support/backends';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { FakeCrm } from '../connectors/fake-crm';
import { dropPrefix, testDeps, waitForJob } from './queue-test-kit';

describe.each(QUEUE_BACKENDS)('on %s', (backend) => {
  let db: TestDb;
  let crm: FakeCrm;
  const prefix = uniquePrefix('shutdown');

  beforeAll(async () => {
    db = await freshSchema('shutdown');
    crm = new FakeCrm();
    const url = await crm.start();
    const deps = testDeps(db.pool, prefix, {}, backend);
    await setSourceMap(deps, 'crm', { ExternalID: 'id', PhoneNumber: 'phone' });
    await putSkill(deps, 710, {
      Name: 'Shutdown',
      Refill: { Enabled: true, SourceName: 'crm', Connector: { Type: 'http', Url: `${url}/leads`, TimeoutMs: 30_000 } },
    });
    crm.records = [{ id: 'Z1', phone: '(212) 555-0112' }];
  });

  afterAll(async () => {
    await crm.stop();
    await dropPrefix(prefix, backend);
    await db.drop();
  });

  it('closes within its deadline while a job hangs on the CRM, and the job then runs elsewhere', async () => {
    const deps = testDeps(db.pool, prefix, {}, backend);
    const tuning = { closeTimeoutMs: 1_000, lockDurationMs: 2_000, stalledIntervalMs: 1_000 };
    const refill = new RefillQueue(deps.config);
    crm.script.push({ status: 200, delayMs: 60_000, body: '{}' });
    const first = await startWorker(deps, { tuning });
    const { JobId } = await refill.enqueue({ skillNo: 710, count: 1, origin: 'Manual' });
    await waitForJob(refill.queue, JobId, ['active']);

    const started = Date.now();
    await first.close();
    expect(Date.now() - started).toBeLessThan(4_000);

    const second = await startWorker(deps, { tuning });
    try {
      await waitForJob(refill.queue, JobId, ['completed'], 15_000);
      const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM prospects WHERE skill_no = 710');
      expect(rows[0]).toEqual({ n: 1 });
    } finally {
      await second.close();
      await refill.close();
    }
  }, 30_000);

  it('closes at once when idle', async () => {
    const role = await startWorker(testDeps(db.pool, prefix, {}, backend));
    const started = Date.now();
    await role.close();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
