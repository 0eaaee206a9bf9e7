import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app-deps';
import { putSkill } from '../../src/services/skills';
import { setSourceMap } from '../../src/services/set-source-map';
import { RefillNotPossible } from '../../src/services/errors';
import { refillSkill } from '../../src/services/refill-skill';
import { openQueueSide, type QueueSide } from '../../src/queue/queue-backend';
import { RefillQueue } from '../../src/queue/refill-queue';
import { startWorker } from '../../src/queue/worker-role';
import type { RoleHandle } from '../../src/queue/role-handle';
import { QUEUE_BACKENDS } from '../support/backends';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { FakeCrm } from '../connectors/fake-crm';
import { dropPrefix, eventually, testDeps, waitForJob } from './queue-test-kit';

describe.each(QUEUE_BACKENDS)('on %s', (backend) => {
  let db: TestDb;
  let deps: AppDeps;
  const prefix = uniquePrefix('fetch');
  /** The results stream as the service's readers see it, on this leg's backend. */
  let side: QueueSide;
  let refill: RefillQueue;
  let crm: FakeCrm;
  let crmUrl: string;

  /** Records `from`..`from+n-1`; every fifth one has a bad number. */
  function leads(from: number, n: number, tag = 'L') {
    return Array.from({ length: n }, (_, k) => {
      const i = from + k;
      return { id: `${tag}${i}`, phone: i % 5 === 4 ? '12345' : `(212) 555-01${String(i % 100).padStart(2, '0')}`, zip: '10001' };
    });
  }

  async function refillSkillNo(skillNo: number, connector: Record<string, unknown> | null): Promise<void> {
    await putSkill(deps, skillNo, {
      Name: `Refill ${skillNo}`,
      Refill: { Enabled: true, SourceName: 'crm', LowWaterMark: 5, TargetDepth: 20, ...(connector ? { Connector: connector } : {}) },
    });
  }

  function httpConnector(path = '/leads', results = false) {
    return {
      Type: 'http',
      Url: `${crmUrl}${path}`,
      TimeoutMs: 2000,
      ...(results ? { ResultsUrl: `${crmUrl}/results` } : {}),
    };
  }

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
    return rows[0]!.n;
  }

  async function cursorOf(skillNo: number): Promise<string | null | undefined> {
    const { rows } = await db.pool.query<{ cursor: string | null }>('SELECT cursor FROM refill_state WHERE skill_no = $1', [skillNo]);
    return rows[0]?.cursor;
  }

  beforeAll(async () => {
    db = await freshSchema('fetch');
    deps = testDeps(db.pool, prefix, {}, backend);
    side = openQueueSide(deps, { name: 'fetch-test' });
    crm = new FakeCrm();
    crmUrl = await crm.start();
    await setSourceMap(deps, 'crm', { ExternalID: 'id', PhoneNumber: 'phone', Zip: 'zip' });
    refill = new RefillQueue(deps.config);
  });

  afterAll(async () => {
    await refill.close();
    await crm.stop();
    await side.close();
    await dropPrefix(prefix, backend);
    await db.drop();
  });

  describe('refillSkill', () => {
    it('stores a page, its results and the cursor together; a page read again is answered Updated', async () => {
      await refillSkillNo(501, httpConnector());
      crm.records = leads(0, 8);
      const first = await refillSkill(deps, { skillNo: 501, count: 5 });
      expect(first).toMatchObject({ fetched: 5, cursorBefore: null, cursorAfter: '5', counts: { Created: 4, InvalidPhoneNumber: 1 } });
      expect(await cursorOf(501)).toBe('5');
      expect(await count('prospects WHERE skill_no = 501')).toBe(4);
      expect(await count('run_results WHERE run_id = $1', [first.runId])).toBe(5);

      // The CRM's last page comes without a next cursor: the stored cursor stays, the page is read again.
      const second = await refillSkill(deps, { skillNo: 501, count: 5 });
      expect(second).toMatchObject({ fetched: 3, cursorBefore: '5', cursorAfter: '5', counts: { Created: 3 } });
      const third = await refillSkill(deps, { skillNo: 501, count: 5 });
      expect(third.counts).toEqual({ Updated: 3 });
      expect(await count('prospects WHERE skill_no = 501')).toBe(7);
      expect(await cursorOf(501)).toBe('5');

      const { rows } = await db.pool.query('SELECT origin, cursor_before, cursor_after, record_count FROM runs WHERE run_id = $1', [
        second.runId,
      ]);
      expect(rows[0]).toEqual({ origin: 'Refill', cursor_before: '5', cursor_after: '5', record_count: 3 });
    });

    it('stores no run when the CRM has nothing new', async () => {
      await refillSkillNo(502, httpConnector('/empty'));
      crm.script.push({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"records":[],"nextCursor":null}' });
      const outcome = await refillSkill(deps, { skillNo: 502, count: 10 });
      expect(outcome).toMatchObject({ runId: null, fetched: 0 });
      expect(await count('runs WHERE skill_no = 502')).toBe(0);
    });

    it('leaves nothing behind when it dies before the commit, and stores the page once when run again', async () => {
      await refillSkillNo(503, httpConnector());
      crm.records = leads(0, 6, 'K');
      await expect(
        refillSkill(
          deps,
          { skillNo: 503, count: 6 },
          {
            beforeCommit: async () => {
              throw new Error('worker killed');
            },
          },
        ),
      ).rejects.toThrow('worker killed');
      expect(await count('prospects WHERE skill_no = 503')).toBe(0);
      expect(await count('runs WHERE skill_no = 503')).toBe(0);
      expect(await cursorOf(503)).toBeUndefined();

      const again = await refillSkill(deps, { skillNo: 503, count: 6 });
      expect(again.counts).toEqual({ Created: 5, InvalidPhoneNumber: 1 });
      expect(await count('prospects WHERE skill_no = 503')).toBe(5);
      expect(await count('runs WHERE skill_no = 503')).toBe(1);
    });

    it('refuses, without retry value, a skill without a connector or an unknown one', async () => {
      await refillSkillNo(504, null);
      await expect(refillSkill(deps, { skillNo: 504, count: 5 })).rejects.toMatchObject({ code: 'RefillNotConfigured' });
      await expect(refillSkill(deps, { skillNo: 999_999, count: 5 })).rejects.toBeInstanceOf(RefillNotPossible);
    });

    it('serializes two refills of one skill: the one that read a stale cursor stores nothing', async () => {
      await refillSkillNo(505, httpConnector());
      crm.records = leads(0, 10, 'P');
      crm.nullCursorAtEnd = false;
      crm.holdPageReadsUntil = 2;
      const [a, b] = await Promise.allSettled([
        refillSkill(deps, { skillNo: 505, count: 5 }),
        refillSkill(deps, { skillNo: 505, count: 5 }),
      ]);
      crm.nullCursorAtEnd = true;
      // Both read page 1 at once; one stores it, the other finds the cursor moved and stores nothing.
      const stored = [a, b].filter((r) => r.status === 'fulfilled');
      expect(stored).toHaveLength(1);
      expect([a, b].find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'CursorMoved' } });
      expect(await count('runs WHERE skill_no = 505')).toBe(1);
      expect(await cursorOf(505)).toBe('5');
    });
  });

  describe('fetch worker', () => {
    let role: RoleHandle | undefined;
    afterAll(async () => {
      await role?.close();
    });

    it('retries a job that died before its commit and stores its page exactly once', async () => {
      let crashes = 1;
      role = await startWorker(deps, {
        tuning: { fetchBackoffMs: 50, writebackBackoffMs: 50 },
        beforeCommit: async () => {
          if (crashes-- > 0) throw new Error('killed between load and commit');
        },
      });
      await refillSkillNo(601, httpConnector('/leads', true));
      crm.records = leads(0, 6, 'W');
      const { JobId } = await refill.enqueue({ skillNo: 601, count: 6, origin: 'Manual' });
      await waitForJob(refill.queue, JobId, ['completed', 'failed']);
      const job = await refill.queue.getJob(JobId);
      expect(job?.attemptsMade).toBe(2);
      expect(job?.returnvalue).toMatchObject({ fetched: 6, counts: { Created: 5, InvalidPhoneNumber: 1 } });
      expect(await count('prospects WHERE skill_no = 601')).toBe(5);
      expect(await count('runs WHERE skill_no = 601')).toBe(1);
    });

    it('publishes the run to the results stream and writes the results back to the CRM', async () => {
      const { rows } = await db.pool.query<{ run_id: number }>('SELECT run_id FROM runs WHERE skill_no = 601');
      const runId = rows[0]!.run_id;
      await eventually(async () => crm.writeBacks.length > 0, 5_000, 'write-back');
      expect(crm.writeBacks).toHaveLength(1);
      const posted = crm.writeBacks[0] as {
        RunId: number;
        SkillNo: number;
        SourceName: string;
        Results: { SuccessfulRecords: unknown[]; FailedRecords: unknown[] };
      };
      expect(posted).toMatchObject({ RunId: runId, SkillNo: 601, SourceName: 'crm' });
      expect(posted.Results.SuccessfulRecords).toHaveLength(5);
      expect(posted.Results.FailedRecords).toEqual([
        { id: 'W4', phone: '12345', zip: '10001', ResultCode: 'InvalidPhoneNumber', ResultMessage: expect.any(String) },
      ]);

      const mine = (await side.resultsStream.read('0', 1_000)).filter((e) => e.run.RunId === runId);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.run).toMatchObject({ SkillNo: 601, SourceName: 'crm', Counts: { Created: 5, InvalidPhoneNumber: 1 } });
      expect(mine[0]!.run.Results).toEqual(posted.Results);

      await eventually(
        async () => (await count(`run_publications WHERE run_id = $1 AND writeback_status = 'Delivered'`, [runId])) === 1,
        5_000,
        'Delivered',
      );
      const pub = await db.pool.query(
        'SELECT published_at IS NOT NULL AS published, writeback_attempts, writeback_http_status FROM run_publications WHERE run_id = $1',
        [runId],
      );
      expect(pub.rows[0]).toEqual({ published: true, writeback_attempts: 1, writeback_http_status: 204 });
    });

    it('retries a write-back the CRM refused until it is delivered', async () => {
      await refillSkillNo(602, httpConnector('/leads', true));
      crm.records = leads(0, 2, 'R');
      crm.writeBacks.length = 0;
      // The GET succeeds, then the first POST meets a 502.
      crm.script.push(
        {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ records: leads(0, 2, 'R'), nextCursor: null }),
        },
        { status: 502 },
      );
      const { JobId } = await refill.enqueue({ skillNo: 602, count: 2, origin: 'Manual' });
      await waitForJob(refill.queue, JobId, ['completed']);
      await eventually(async () => crm.writeBacks.length === 1, 5_000, 'write-back after a 502');
      await eventually(
        async () =>
          (await count(
            `run_publications p JOIN runs r USING (run_id) WHERE r.skill_no = 602 AND p.writeback_status = 'Delivered' AND p.writeback_attempts = 2`,
          )) === 1,
        5_000,
        'two attempts recorded',
      );
    });

    it('slows a skill whose CRM answers 429 without failing or spending an attempt', async () => {
      await refillSkillNo(603, httpConnector());
      crm.records = leads(0, 3, 'T');
      crm.script.push({ status: 429, headers: { 'retry-after': '1' } });
      const single = new RefillQueue(deps.config, { tuning: { fetchAttempts: 1 } });
      try {
        const { JobId } = await single.enqueue({ skillNo: 603, count: 3, origin: 'Manual' });
        await waitForJob(single.queue, JobId, ['delayed'], 5_000);
        expect(await single.refillInFlight(603)).toBe(true);
        const started = Date.now();
        await waitForJob(single.queue, JobId, ['completed', 'failed'], 8_000);
        expect(await single.queue.getJobState(JobId)).toBe('completed');
        expect(Date.now() - started).toBeGreaterThan(300);
        expect(await count('prospects WHERE skill_no = 603')).toBe(3);
      } finally {
        await single.close();
      }
    });

    it('retries a 500 with backoff and then succeeds', async () => {
      await refillSkillNo(604, httpConnector());
      crm.records = leads(0, 3, 'F');
      crm.script.push({ status: 500 });
      const { JobId } = await refill.enqueue({ skillNo: 604, count: 3, origin: 'Manual' });
      await waitForJob(refill.queue, JobId, ['completed', 'failed']);
      const job = await refill.queue.getJob(JobId);
      expect(await job?.getState()).toBe('completed');
      expect(job?.attemptsMade).toBe(2);
      expect(await count('prospects WHERE skill_no = 604')).toBe(3);
    });

    it('fails at once, without retries, a skill that cannot be refilled', async () => {
      await refillSkillNo(605, null);
      const { JobId } = await refill.enqueue({ skillNo: 605, count: 3, origin: 'Manual' });
      await waitForJob(refill.queue, JobId, ['failed']);
      const job = await refill.queue.getJob(JobId);
      expect(job?.attemptsMade).toBe(1);
      expect(job?.failedReason).toMatch(/^RefillNotConfigured/);
    });

    it('publishes a run a dead worker left unpublished when the skill is next fetched', async () => {
      await refillSkillNo(606, httpConnector());
      crm.records = leads(0, 2, 'O');
      // Stored by a worker that died right after its commit: never published.
      const orphan = await refillSkill(deps, { skillNo: 606, count: 2 });
      expect(await count('run_publications WHERE run_id = $1 AND published_at IS NULL', [orphan.runId])).toBe(1);
      const { JobId } = await refill.enqueue({ skillNo: 606, count: 2, origin: 'Manual' });
      await waitForJob(refill.queue, JobId, ['completed']);
      expect(await count('run_publications WHERE skill_no = 606 AND published_at IS NULL')).toBe(0);
      const entries = await side.resultsStream.read('0', 1_000);
      expect(entries.filter((e) => e.run.RunId === orphan.runId)).toHaveLength(1);
    });
  });
});
