import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app-deps';
import { scopeToInstallation } from '../../src/services/installation-scope';
import { RefillQueue } from '../../src/queue/refill-queue';
import type { RoleHandle } from '../../src/queue/role-handle';
import { startWorker } from '../../src/queue/worker-role';
import { setSourceMap } from '../../src/services/set-source-map';
import { putSkill } from '../../src/services/skills';
import { FakeCrm } from '../connectors/fake-crm';
import { QUEUE_BACKENDS } from '../support/backends';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { dropPrefix, eventually, testDeps, waitForJob } from './queue-test-kit';

/**
 * Databases that share one queue store and one QUEUE_PREFIX (a reset, a restored backup, staging
 * beside production): each starts RunIds at 1, and each one's write-backs must still reach its
 * CRM. On `redis` they share one Redis; on `postgres` one Postgres server, where BullMQ's schema
 * is named after the installation-scoped prefix (the test's databases are schemas of one database).
 */
const SKILL = 1;
const FAST = { fetchBackoffMs: 50, writebackBackoffMs: 50 };
const STORE = { redis: 'one Redis', postgres: 'one Postgres server' } as const;

describe.each(QUEUE_BACKENDS)('on %s', (backend) => {
  const prefix = uniquePrefix('shared');

  interface Install {
    db: TestDb;
    deps: AppDeps;
    crm: FakeCrm;
    refill: RefillQueue;
    worker: RoleHandle | null;
  }

  const installs: Install[] = [];

  /** A database as a role sees it: its own schema, the test's one prefix, scoped as the roles scope it. */
  async function install(tag: string): Promise<Install> {
    const db = await freshSchema(`shared_${tag}`);
    const deps = testDeps(db.pool, prefix, {}, backend);
    deps.config = await scopeToInstallation(db.pool, deps.config);
    const crm = new FakeCrm();
    const crmUrl = await crm.start();
    crm.records = Array.from({ length: 3 }, (_, i) => ({
      id: `${tag}${i}`,
      phone: `(212) 555-01${String(i).padStart(2, '0')}`,
      zip: '10001',
    }));
    await setSourceMap(deps, 'crm', { ExternalID: 'id', PhoneNumber: 'phone', Zip: 'zip' });
    await putSkill(deps, SKILL, {
      Name: `Skill of ${tag}`,
      Refill: {
        Enabled: true,
        SourceName: 'crm',
        LowWaterMark: 1,
        TargetDepth: 10,
        Connector: { Type: 'http', Url: `${crmUrl}/leads`, ResultsUrl: `${crmUrl}/results`, TimeoutMs: 2000 },
      },
    });
    const it: Install = { db, deps, crm, refill: new RefillQueue(deps.config), worker: null };
    installs.push(it);
    return it;
  }

  async function refillOnce(i: Install): Promise<void> {
    const { JobId } = await i.refill.enqueue({ skillNo: SKILL, count: 3, origin: 'Manual' });
    await waitForJob(i.refill.queue, JobId, ['completed']);
  }

  async function writebackStatus(i: Install, runId: number): Promise<string | null> {
    const { rows } = await i.db.pool.query<{ writeback_status: string }>(
      'SELECT writeback_status FROM run_publications WHERE run_id = $1',
      [runId],
    );
    return rows[0]?.writeback_status ?? null;
  }

  function postedIds(crm: FakeCrm): string[] {
    return crm.writeBacks.flatMap((w) =>
      (w as { Results: { SuccessfulRecords: { id: string }[] } }).Results.SuccessfulRecords.map((r) => r.id),
    );
  }

  afterEach(async () => {
    for (const i of installs) {
      await i.worker?.close();
      i.worker = null;
    }
  });

  afterAll(async () => {
    for (const i of installs) {
      await i.refill.close();
      await i.crm.stop();
      await i.db.drop();
      await dropPrefix(i.deps.config.queuePrefix, backend);
    }
    await dropPrefix(prefix, backend);
  });

  describe(`databases sharing ${STORE[backend]} and one QUEUE_PREFIX`, () => {
    let first: Install;
    beforeAll(async () => {
      first = await install('a');
    });

    it('a reset database gets its write-backs though the old one left its finished jobs behind', async () => {
      first.worker = await startWorker(first.deps, { tuning: FAST });
      await refillOnce(first);
      await eventually(async () => (await writebackStatus(first, 1)) === 'Delivered', 5_000, 'the first database written back');
      await first.worker.close();
      first.worker = null;

      // The database is reset: a new one, the same queue store and prefix, RunIds from 1 again.
      const reset = await install('b');
      reset.worker = await startWorker(reset.deps, { tuning: FAST });
      await refillOnce(reset);
      await eventually(async () => (await writebackStatus(reset, 1)) === 'Delivered', 5_000, 'the reset database written back');
      expect(postedIds(reset.crm)).toEqual(['b0', 'b1', 'b2']);
    });

    it('two live databases each run only their own jobs', async () => {
      const [x, y] = [await install('x'), await install('y')];
      x.worker = await startWorker(x.deps, { tuning: FAST });
      y.worker = await startWorker(y.deps, { tuning: FAST });
      // Both queue a refill of their SkillNo 1 at once; neither is taken for the other's.
      const [jx, jy] = await Promise.all([x, y].map((i) => i.refill.enqueue({ skillNo: SKILL, count: 3, origin: 'Manual' })));
      expect(jx!.Deduplicated || jy!.Deduplicated).toBe(false);
      await eventually(
        async () => (await writebackStatus(x, 1)) === 'Delivered' && (await writebackStatus(y, 1)) === 'Delivered',
        5_000,
        'both written back',
      );
      expect(postedIds(x.crm)).toEqual(['x0', 'x1', 'x2']);
      expect(postedIds(y.crm)).toEqual(['y0', 'y1', 'y2']);
    });

    it('a database restored from a backup (the same installation id) gets write-backs of the RunIds it reuses', async () => {
      const restored = await install('r');
      restored.worker = await startWorker(restored.deps, { tuning: FAST });
      await refillOnce(restored);
      await eventually(async () => (await writebackStatus(restored, 1)) === 'Delivered', 5_000, 'written back before the restore');

      // The backup was taken before run 1: its runs are gone and RunIds start from 1 again.
      await restored.db.pool.query('DELETE FROM runs');
      await restored.db.pool.query('ALTER TABLE runs ALTER COLUMN run_id RESTART WITH 1');
      await restored.db.pool.query('DELETE FROM refill_state');
      restored.crm.writeBacks.length = 0;
      await refillOnce(restored);
      await eventually(async () => (await writebackStatus(restored, 1)) === 'Delivered', 5_000, 'written back after the restore');
      expect(restored.crm.writeBacks).toHaveLength(1);
    });
  });
});
