import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { upsertSkill } from '../../src/db/skills';
import { SkillBodySchema } from '../../src/domain/skill';
import { startBrain } from '../../src/queue/brain';
import { brainTick } from '../../src/services/brain-tick';
import { openQueueSide, type QueueSide } from '../../src/queue/queue-backend';
import { QUEUE_NAMES } from '../../src/queue/queue-settings';
import { RefillQueue } from '../../src/queue/refill-queue';
import { backendConfig, dropQueues, loseJob, QUEUE_BACKENDS } from '../support/backends';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { insertProspects, testPhone } from '../support/prospect-fixtures';

// 17:00 UTC is 12:00 in New York: inside every skill's calling window.
const NOON_NY = new Date('2026-03-02T17:00:00Z');

describe.each(QUEUE_BACKENDS)('brain on %s', (backend) => {
  let db: TestDb;
  let refill: RefillQueue;
  let side: QueueSide;
  const prefix = uniquePrefix('brain');
  const config = backendConfig(backend, prefix);
  let now = NOON_NY;

  async function checkTimes(): Promise<Record<string, number>> {
    return Object.fromEntries([...(await side.checkTimes.read())].map(([k, v]) => [String(k), v]));
  }

  async function skill(skillNo: number, refill: Record<string, unknown> | null) {
    const body = SkillBodySchema.parse({
      Name: `Skill ${skillNo}`,
      ...(refill ? { Refill: { SourceName: 'crm', Connector: { Type: 'demo' }, ...refill } } : {}),
    });
    await upsertSkill(db.pool, skillNo, body);
  }

  async function prospects(skillNo: number, n: number, over: { timeZone?: string; claimedUntil?: Date } = {}) {
    await insertProspects(
      db.pool,
      skillNo,
      Array.from({ length: n }, (_, i) => ({
        externalId: `S${skillNo}-${i}-${over.timeZone ?? 'ny'}`,
        timeZone: over.timeZone ?? 'America/New_York',
        ...(over.claimedUntil ? { claimedUntil: over.claimedUntil } : {}),
        destinations: [{ phone: testPhone(i) }],
      })),
    );
  }

  beforeAll(async () => {
    db = await freshSchema('brain');
    refill = new RefillQueue(config);
    side = openQueueSide({ config: { ...loadConfig({}), ...config }, pool: db.pool }, { name: 'brain-test' });
    const every = { CheckIntervalSeconds: 5 };
    await skill(1, { Enabled: true, LowWaterMark: 10, TargetDepth: 50, ...every }); // 5 callable: fetch 45
    await skill(2, { Enabled: true, LowWaterMark: 10, TargetDepth: 50, ...every }); // 20 callable: none
    await skill(3, { Enabled: true, LowWaterMark: 10, TargetDepth: 50, MaxInventory: 12, ...every }); // room for 2
    await skill(4, { Enabled: false, LowWaterMark: 10, TargetDepth: 50, ...every }); // refill off
    await skill(5, null); // no refill at all
    await skill(6, { Enabled: true, LowWaterMark: 10, TargetDepth: 30, CheckIntervalSeconds: 60 }); // empty: 30
    await prospects(1, 5);
    await prospects(2, 20);
    await prospects(3, 4);
    // Honolulu is at 07:00: active, counted against MaxInventory, not callable now.
    await prospects(3, 6, { timeZone: 'Pacific/Honolulu' });
    // Claimed contacts are not callable either.
    await prospects(2, 3, { timeZone: 'America/Chicago', claimedUntil: new Date(NOON_NY.getTime() + 60_000) });
  });

  afterAll(async () => {
    await refill.queue.obliterate({ force: true });
    await refill.close();
    await side.checkTimes.forget([...(await side.checkTimes.read()).keys()]);
    await side.close();
    await dropQueues(backend, prefix);
    await db.drop();
  });

  function ctx() {
    return { deps: { pool: db.pool, now: () => now }, refill, checkTimes: side.checkTimes };
  }

  async function waitingJobs() {
    const jobs = await refill.queue.getJobs(['waiting', 'delayed', 'prioritized']);
    return jobs.map((j) => j.data).sort((a, b) => a.skillNo - b.skillNo);
  }

  describe('brain tick', () => {
    it('queues one fetch per skill below its low-water mark, for what reaches the target within MaxInventory', async () => {
      const report = await brainTick(ctx());
      expect(report).toMatchObject({ skills: 4, checked: 4, fetches: 3, deduplicated: 0 });
      expect(await waitingJobs()).toEqual([
        { skillNo: 1, count: 45, origin: 'Brain' },
        { skillNo: 3, count: 2, origin: 'Brain' },
        { skillNo: 6, count: 30, origin: 'Brain' },
      ]);
    });

    it('records first checks staggered within one interval, so skills spread over their interval', async () => {
      const checks = await checkTimes();
      expect(Object.keys(checks).sort()).toEqual(['1', '2', '3', '6']);
      for (const [skillNo, interval] of [
        ['1', 5],
        ['2', 5],
        ['3', 5],
        ['6', 60],
      ] as const) {
        const at = Number(checks[skillNo]);
        expect(at).toBeLessThanOrEqual(NOON_NY.getTime());
        expect(at).toBeGreaterThan(NOON_NY.getTime() - interval * 1000);
      }
    });

    it('checks a skill again only once CheckIntervalSeconds has passed since its recorded check, deduplicated', async () => {
      now = NOON_NY;
      expect(await brainTick(ctx())).toMatchObject({ checked: 0, fetches: 0 });
      const before = await checkTimes();
      now = new Date(NOON_NY.getTime() + 5_000);
      const due = Object.entries(before)
        .filter(([n, at]) => now.getTime() - Number(at) >= (n === '6' ? 60_000 : 5_000))
        .map(([n]) => n);
      expect(due).toEqual(expect.arrayContaining(['1', '2', '3']));
      const report = await brainTick(ctx());
      const withFetch = due.filter((n) => n !== '2').length;
      // The fetches of 1, 3 (and 6 when due) are still waiting: each add joins its job.
      expect(report).toMatchObject({ checked: due.length, fetches: withFetch, deduplicated: withFetch });
      expect(await waitingJobs()).toHaveLength(3);
      const after = await checkTimes();
      expect(Number(after['1'])).toBe(now.getTime());
    });
  });

  describe('refills in flight', () => {
    it('adds nothing for a skill whose fetch is in flight, but adds anew when its deduplication key outlived its job', async () => {
      const staleJobId = await refill.queue.getDeduplicationJobId('refill-1');
      expect(staleJobId).toBeTruthy();
      // The job is gone (lost in an outage) while its deduplication key stayed behind.
      await loseJob(backend, prefix, QUEUE_NAMES.fetch, staleJobId!);
      now = new Date(NOON_NY.getTime() + 10_000);
      const report = await brainTick(ctx());
      expect(report.fetches).toBeGreaterThanOrEqual(2); // skills 1 and 3 (6 too when due)
      // Only skill 1 was added: the others' fetches are still waiting.
      expect(report.fetches - report.deduplicated).toBe(1);
      const jobId = await refill.queue.getDeduplicationJobId('refill-1');
      expect(jobId).toBeTruthy();
      expect(jobId).not.toBe(staleJobId);
    });
  });

  describe('brain role', () => {
    it('ticks through its job scheduler and closes promptly', async () => {
      const rolePrefix = uniquePrefix('brainrole');
      // A new prefix starts with fresh Redis keys; the Postgres check times belong to the database.
      await side.checkTimes.forget([...(await side.checkTimes.read()).keys()]);
      const roleConfig = { ...loadConfig({}), ...backendConfig(backend, rolePrefix) };
      const role = await startBrain(
        { config: roleConfig, pool: db.pool, logger: pino({ level: 'silent' }), now: () => NOON_NY },
        { tuning: { brainEveryMs: 200 } },
      );
      const probe = new RefillQueue(roleConfig);
      try {
        const deadline = Date.now() + 5_000;
        while (Date.now() < deadline && (await probe.inFlight([1, 3, 6])).size < 3) await new Promise((r) => setTimeout(r, 100));
        expect([...(await probe.inFlight([1, 2, 3, 6]))].sort()).toEqual([1, 3, 6]);
      } finally {
        const started = Date.now();
        await role.close();
        expect(Date.now() - started).toBeLessThan(5_000);
        await probe.queue.obliterate({ force: true });
        await probe.close();
        await dropQueues(backend, rolePrefix);
      }
    });
  });
});
