import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app-deps';
import { startBrain } from '../../src/queue/brain';
import { scopeToInstallation } from '../../src/services/installation-scope';
import { publishTargets, writebackQueue } from '../../src/queue/publish-targets';
import { newQueue, openQueueSide, type QueueSide } from '../../src/queue/queue-backend';
import { tuning } from '../../src/queue/queue-settings';
import type { RoleHandle } from '../../src/queue/role-handle';
import { startWorker } from '../../src/queue/worker-role';
import { publishRun } from '../../src/services/publish-results';
import { refillSkill } from '../../src/services/refill-skill';
import { setSourceMap } from '../../src/services/set-source-map';
import { putSkill } from '../../src/services/skills';
import { sweepOwed } from '../../src/services/sweep-owed';
import { FakeCrm } from '../connectors/fake-crm';
import { backendConfig, QUEUE_BACKENDS } from '../support/backends';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { dropPrefix, eventually, testDeps } from './queue-test-kit';

describe.each(QUEUE_BACKENDS)('on %s', (backend) => {
  let db: TestDb;
  let deps: AppDeps;
  let crm: FakeCrm;
  let crmUrl: string;
  const prefix = uniquePrefix('sweep');
  /** Another install's queue on the same backend: a flush of this install's queues leaves it alone. */
  const neighbour = uniquePrefix('sweep-neighbour');
  const neighbourQueue = newQueue('kept', backendConfig(backend, neighbour));
  let side: QueueSide;
  let writeback: ReturnType<typeof writebackQueue>;
  let targets: ReturnType<typeof publishTargets>;
  const roles: RoleHandle[] = [];

  async function skill(skillNo: number): Promise<void> {
    await putSkill(deps, skillNo, {
      Name: `Sweep ${skillNo}`,
      Refill: {
        Enabled: true,
        SourceName: 'crm',
        // The brain never wants a refill of these: only its sweep is under test.
        LowWaterMark: 0,
        TargetDepth: 10,
        Connector: { Type: 'http', Url: `${crmUrl}/leads`, ResultsUrl: `${crmUrl}/results`, TimeoutMs: 2000 },
      },
    });
  }

  /** A run stored, and published (its write-back queued) when asked, with no worker running. */
  async function storedRun(skillNo: number, publish: boolean): Promise<number> {
    crm.records = [{ id: `S${skillNo}`, phone: '(212) 555-0100', zip: '10001' }];
    const { runId } = await refillSkill(deps, { skillNo, count: 1 });
    if (publish) await publishRun(deps, targets, runId!);
    return runId!;
  }

  async function status(runId: number): Promise<{ published: boolean; writeback: string | null }> {
    const { rows } = await db.pool.query<{ published: boolean; writeback: string | null }>(
      'SELECT published_at IS NOT NULL AS published, writeback_status AS writeback FROM run_publications WHERE run_id = $1',
      [runId],
    );
    return rows[0]!;
  }

  const postedRuns = () => crm.writeBacks.map((w) => (w as { RunId: number }).RunId);

  beforeAll(async () => {
    db = await freshSchema('sweep');
    deps = testDeps(db.pool, prefix, {}, backend);
    deps.config = await scopeToInstallation(db.pool, deps.config);
    crm = new FakeCrm();
    crmUrl = await crm.start();
    await setSourceMap(deps, 'crm', { ExternalID: 'id', PhoneNumber: 'phone', Zip: 'zip' });
    await neighbourQueue.add('kept', {}, { jobId: 'kept' });
    side = openQueueSide(deps, { name: 'sweep-test' });
    writeback = writebackQueue(deps.config, tuning());
    targets = publishTargets(side.resultsStream, writeback);
  });

  afterEach(async () => {
    while (roles.length > 0) await roles.pop()!.close();
  });

  afterAll(async () => {
    await writeback.close();
    await crm.stop();
    await side.close();
    await neighbourQueue.close();
    await dropPrefix(deps.config.queuePrefix, backend);
    await dropPrefix(neighbour, backend);
    await db.drop();
  });

  describe('the sweep of owed publications and write-backs', () => {
    it("queues again what a flush of this install's keys lost, and the write-backs arrive", async () => {
      await skill(701);
      await skill(702);
      const queuedThenLost = await storedRun(701, true);
      const neverPublished = await storedRun(702, false);
      // The backend lost this install's queues (a Redis flush or eviction, BullMQ's schema dropped):
      // the queued write-back is gone.
      await dropPrefix(deps.config.queuePrefix, backend);
      expect(await neighbourQueue.getJobState('kept')).toBe('waiting');
      roles.push(await startWorker(deps, { tuning: { writebackBackoffMs: 50 } }));

      expect(await sweepOwed(deps, targets, { graceMs: 0, limit: 100 })).toEqual({ published: 1, writeBacksQueued: 1, undoPurged: 0 });
      await eventually(async () => postedRuns().length === 2, 5_000, 'both write-backs');
      expect(postedRuns().sort()).toEqual([queuedThenLost, neverPublished].sort());
      // The CRM has the post before the worker records the delivery.
      await eventually(async () => (await status(neverPublished)).writeback === 'Delivered', 5_000, 'the delivery recorded');
      expect(await status(neverPublished)).toEqual({ published: true, writeback: 'Delivered' });
      const stream = await side.resultsStream.read('0', 100);
      // The run published before the flush stays on a Postgres stream (it lives in the database)
      // and went with the keys on Redis; the swept run is appended once, last.
      expect(stream.map((e) => e.run.RunId).filter((id) => id === neverPublished)).toHaveLength(1);
      expect(stream.at(-1)?.run.RunId).toBe(neverPublished);

      // Nothing is owed now: a sweep queues nothing, and a write-back queued again posts nothing.
      expect(await sweepOwed(deps, targets, { graceMs: 0, limit: 100 })).toEqual({ published: 0, writeBacksQueued: 0, undoPurged: 0 });
      await targets.queueWriteBack(queuedThenLost, 701);
      await new Promise((r) => setTimeout(r, 300));
      expect(postedRuns()).toHaveLength(2);
    });

    it('leaves runs inside the grace period to the worker publishing them', async () => {
      await skill(703);
      const fresh = await storedRun(703, false);
      expect(await sweepOwed(deps, targets, { graceMs: 60_000, limit: 100 })).toEqual({ published: 0, writeBacksQueued: 0, undoPurged: 0 });
      expect(await status(fresh)).toEqual({ published: false, writeback: 'Pending' });
      await db.pool.query('DELETE FROM runs WHERE run_id = $1', [fresh]);
    });

    it("runs on the brain's schedule: a write-back whose job was removed arrives", async () => {
      await skill(704);
      crm.writeBacks.length = 0;
      const runId = await storedRun(704, true);
      const [job] = await writeback.getJobs(['waiting']);
      await job!.remove();
      roles.push(await startWorker(deps, { tuning: { writebackBackoffMs: 50 } }));
      roles.push(await startBrain(deps, { tuning: { sweepEveryMs: 200, sweepGraceMs: 0 } }));
      await eventually(async () => (await status(runId)).writeback === 'Delivered', 5_000, 'the swept write-back delivered');
      expect(postedRuns()).toEqual([runId]);
    });
  });
});
