import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accessControl } from '../../src/api/access/access-plugin';
import { KeyRing } from '../../src/api/access/api-keys';
import { installErrorHandling } from '../../src/api/errors';
import { queueDashboard } from '../../src/dashboard/queue-dashboard';
import { startQueueSampler } from '../../src/dashboard/queue-sampler';
import { owePublication, recordWritebackAttempt } from '../../src/db/run-publications';
import { createRun, finishRun, insertRunResults } from '../../src/db/runs';
import { insertRunSuppressed } from '../../src/db/suppressed-in-runs';
import { upsertSkill } from '../../src/db/skills';
import { SkillBodySchema } from '../../src/domain/skill';
import { putList } from '../../src/services/suppression-lists';
import { addEntries } from '../../src/services/suppression-entries';
import { testDeps } from '../queue/queue-test-kit';
import { RedisQueueHistory } from '../../src/queue/queue-history-redis';
import { PostgresQueueHistory, type QueueHistoryOptions, type QueueHistoryStore } from '../../src/services/queue-history-store';
import type { QueueSnapshot } from '../../src/services/read-queue-snapshot';
import { QUEUE_BACKENDS, redisUrl } from '../support/backends';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';

describe.each(QUEUE_BACKENDS)('queue dashboard on %s', (backend) => {
  let db: TestDb;
  /** On the redis leg only: the postgres leg opens no Redis client. */
  let redis: Redis | undefined;
  const prefix = uniquePrefix('dash');

  /** A history store of its own: its own prefix on Redis, emptied tables on Postgres (one per schema). */
  function historyStore(name: string, opts: QueueHistoryOptions): QueueHistoryStore {
    return backend === 'redis'
      ? new RedisQueueHistory(redis!, { ...opts, prefix: `${prefix}:${name}` })
      : new PostgresQueueHistory(db.pool, opts);
  }

  beforeAll(async () => {
    db = await freshSchema('dash');
    if (backend === 'redis') redis = new Redis(redisUrl(), { lazyConnect: true });
  });
  afterAll(async () => {
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    await db.drop();
  });

  const snap = (skillNo: number, depth: number, callableNow: number): QueueSnapshot => ({
    skillNo,
    name: `S${skillNo}`,
    depth,
    callableNow,
    lowWaterMark: 10,
    targetDepth: 50,
    refillEnabled: true,
  });

  describe('history', () => {
    beforeEach(async () => {
      await db.pool.query('DELETE FROM queue_history; DELETE FROM queue_history_slots');
    });

    it('keeps one sample per slot per skill, the last hour only, oldest first', async () => {
      const history = historyStore('h1', { everyMs: 10_000, keepMs: 60_000 });
      const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
      expect(await history.record([snap(1, 5, 2), snap(2, 9, 9)], new Date(t0))).toBe(true);
      // Another process in the same slot does not write again.
      expect(await history.record([snap(1, 6, 3)], new Date(t0 + 5_000))).toBe(false);
      for (let i = 1; i <= 8; i++) expect(await history.record([snap(1, 5 + i, 2 + i)], new Date(t0 + i * 10_000))).toBe(true);
      const read = await history.read(0);
      const one = read.get(1)!;
      // 90 s of samples written, 60 s kept: the ones older than the last sample minus keepMs are gone.
      expect(one.map((s) => s.t)).toEqual([2, 3, 4, 5, 6, 7, 8].map((i) => t0 + i * 10_000));
      expect(one.at(-1)).toEqual({ t: t0 + 80_000, depth: 13, callable: 10, low: 10, target: 50 });
      expect(read.get(2)).toEqual([{ t: t0, depth: 9, callable: 9, low: 10, target: 50 }]);
      const since = await history.read(t0 + 70_000);
      expect(since.get(1)!.length).toBe(2);
    });

    it('is sampled at once and then every period, skipping a sample while one is running', async () => {
      const history = historyStore('h2', { everyMs: 200 });
      let reads = 0;
      const sampler = startQueueSampler({
        history,
        now: () => new Date(),
        readSnapshot: async () => {
          reads++;
          return [snap(7, reads, reads)];
        },
      });
      await new Promise((r) => setTimeout(r, 700));
      await sampler.stop();
      const after = reads;
      await new Promise((r) => setTimeout(r, 300));
      expect(reads).toBe(after);
      expect(after).toBeGreaterThanOrEqual(3);
      expect((await history.read(0)).get(7)!.length).toBeGreaterThanOrEqual(3);
    });
  });

  describe('queue dashboard routes', () => {
    let app: FastifyInstance;
    let runId: number;

    beforeAll(async () => {
      await upsertSkill(
        db.pool,
        4100,
        SkillBodySchema.parse({ Name: 'Renewals', Refill: { SourceName: 'crm', LowWaterMark: 5, TargetDepth: 20 } }),
      );
      runId = await createRun(db.pool, { skillNo: 4100, sourceName: 'crm', sourceMapVersion: 1, origin: 'Refill' });
      await insertRunResults(db.pool, runId, [
        { seq: 0, resultCode: 'Created', resultMessage: null, externalId: 'A1', record: { id: 'A1', phone: '+12125550100' } },
        {
          seq: 1,
          resultCode: 'InvalidPhoneNumber',
          resultMessage: 'no valid phone number in 12345',
          externalId: 'A2',
          record: { id: 'A2', phone: '12345' },
        },
        {
          seq: 2,
          resultCode: 'DoNotCall',
          resultMessage: 'every valid number is on a do-not-call list: +12125550199',
          externalId: 'A3',
          record: { id: 'A3', phones: ['(212) 555-0199', 2125550198] },
        },
      ]);
      await finishRun(db.pool, runId, { recordCount: 3, counts: { Created: 1, InvalidPhoneNumber: 1, DoNotCall: 1 } });

      app = Fastify();
      // As the service composes it: refusals the dashboard throws are answered by the API's handler.
      installErrorHandling(app);
      await app.register(accessControl, { keys: KeyRing.parse('operator:op-key-1111,dialer:dial-key-2222,viewer:view-key-3333') });
      await app.register(queueDashboard, { pool: db.pool, history: historyStore('app', { everyMs: 60_000 }) });
      await app.ready();
    });
    afterAll(() => app.close());

    const viewer = { authorization: 'Bearer view-key-3333' };

    it('serves the page with its script and stylesheet by hashed URL, allowed by a fresh nonce only', async () => {
      const res = await app.inject({ method: 'GET', url: '/dashboard', headers: viewer });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      const csp = String(res.headers['content-security-policy']);
      const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)![1]!;
      expect(csp).toContain(`style-src 'nonce-${nonce}'`);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("require-trusted-types-for 'script'");
      expect(csp).not.toMatch(/unsafe-|(script|style)-src[^;]*'self'/);
      // Another answer, another nonce.
      const again = await app.inject({ method: 'GET', url: '/dashboard', headers: viewer });
      expect(String(again.headers['content-security-policy'])).not.toContain(nonce);

      // No inline script or style: one <script src> and one stylesheet, both with the nonce and SRI.
      expect(res.body).not.toMatch(/<script>|<style>/);
      const script = new RegExp(
        `<script src="(/dashboard/assets/dashboard-[0-9a-f]{16}\\.js)" integrity="(sha384-[^"]+)" nonce="${nonce.replace(/[+/]/g, '\\$&')}"></script>`,
      ).exec(res.body);
      const style =
        /<link rel="stylesheet" href="(\/dashboard\/assets\/dashboard-[0-9a-f]{16}\.css)" integrity="(sha384-[^"]+)" nonce="[^"]+">/.exec(
          res.body,
        );
      expect(script).not.toBeNull();
      expect(style).not.toBeNull();
      // No external resource: no URL with a scheme.
      expect(res.body).not.toMatch(/https?:\/\//);
      expect(res.body).toContain('id="grid"');

      for (const [url, integrity, type] of [
        [script![1]!, script![2]!, /text\/javascript/],
        [style![1]!, style![2]!, /text\/css/],
      ] as const) {
        const asset = await app.inject({ method: 'GET', url, headers: viewer });
        expect(asset.statusCode).toBe(200);
        expect(asset.headers['content-type']).toMatch(type);
        expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(`sha384-${createHash('sha384').update(asset.rawPayload).digest('base64')}`).toBe(integrity);
        expect(url).toContain(createHash('sha256').update(asset.rawPayload).digest('hex').slice(0, 16));
      }
      const code = (await app.inject({ method: 'GET', url: script![1]!, headers: viewer })).body;
      expect(() => new Function(code)).not.toThrow();
      expect(code).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
      expect(
        (await app.inject({ method: 'GET', url: '/dashboard/assets/dashboard-0000000000000000.js', headers: viewer })).statusCode,
      ).toBe(404);
      expect((await app.inject({ method: 'GET', url: script![1]! })).statusCode).toBe(401);
    });

    it('has sampled the queues into the history as soon as it started', async () => {
      const res = await app.inject({ method: 'GET', url: '/dashboard/api/history?minutes=60', headers: viewer });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.IntervalSeconds).toBe(60);
      expect(body.Skills['4100']).toEqual([expect.objectContaining({ depth: 0, callable: 0, low: 5, target: 20 })]);
    });

    it('tells the page its role', async () => {
      expect((await app.inject({ method: 'GET', url: '/dashboard/api/session', headers: viewer })).json()).toEqual({ Role: 'viewer' });
      const op = await app.inject({ method: 'GET', url: '/dashboard/api/session', headers: { authorization: 'Bearer op-key-1111' } });
      expect(op.json()).toEqual({ Role: 'operator' });
      const dialer = await app.inject({ method: 'GET', url: '/dashboard/api/session', headers: { authorization: 'Bearer dial-key-2222' } });
      expect(dialer.statusCode).toBe(403);
    });

    it('shows the write-backs still owed and the age of the oldest', async () => {
      const owed = async () => (await app.inject({ method: 'GET', url: '/dashboard/api/owed', headers: viewer })).json();
      expect(await owed()).toEqual({ WriteBacksOwed: 0, OldestOwedSeconds: 0 });
      const older = await createRun(db.pool, { skillNo: 4100, sourceName: 'crm', sourceMapVersion: 1, origin: 'Refill' });
      await db.pool.query(`UPDATE runs SET started_at = now() - interval '15 minutes' WHERE run_id = $1`, [older]);
      await owePublication(db.pool, older, 4100, true);
      await owePublication(db.pool, runId, 4100, true);
      const both = await owed();
      expect(both.WriteBacksOwed).toBe(2);
      expect(both.OldestOwedSeconds).toBeGreaterThanOrEqual(900);
      expect(both.OldestOwedSeconds).toBeLessThan(960);
      await recordWritebackAttempt(db.pool, older, { status: 'Delivered', httpStatus: 204, error: null, at: new Date() });
      await recordWritebackAttempt(db.pool, runId, { status: 'Failed', httpStatus: 500, error: 'gave up', at: new Date() });
      expect(await owed()).toEqual({ WriteBacksOwed: 0, OldestOwedSeconds: 0 });
    });

    it('gives a run its failed records with every phone number masked', async () => {
      const res = await app.inject({ method: 'GET', url: `/dashboard/api/runs/${runId}/failed`, headers: viewer });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toMatch(/2125550199|2125550198|555-0199/);
      expect(res.json()).toEqual({
        RunId: runId,
        Total: 2,
        FailedRecords: [
          {
            Seq: 1,
            ExternalID: 'A2',
            ResultCode: 'InvalidPhoneNumber',
            ResultMessage: 'no valid phone number in 12345',
            Record: { id: 'A2', phone: '12345' },
          },
          {
            Seq: 2,
            ExternalID: 'A3',
            ResultCode: 'DoNotCall',
            ResultMessage: 'every valid number is on a do-not-call list: +1******0199',
            Record: { id: 'A3', phones: ['******0199', '******0198'] },
          },
        ],
      });
      expect((await app.inject({ method: 'GET', url: '/dashboard/api/runs/999999/failed', headers: viewer })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/dashboard/api/runs/x/failed', headers: viewer })).statusCode).toBe(400);
      expect((await app.inject({ method: 'GET', url: `/dashboard/api/runs/${runId}/failed` })).statusCode).toBe(401);
    });

    it("shows a skill's lists and the numbers its recent runs met on them, masked, never whole", async () => {
      const deps = testDeps(db.pool, prefix, {}, backend);
      await putList(deps, 'internal', { Description: 'ours' });
      await putList(deps, 'everyone', { AllSkills: true });
      await putList(deps, 'other-skill', {});
      await addEntries(
        deps,
        'internal',
        { Data: [{ PhoneNumber: '+12125550199' }, { PhoneNumber: '+12125550177' }] },
        { role: null, source: 'Api' },
      );
      await addEntries(deps, 'everyone', { Data: [{ Prefix: '+1212555' }] }, { role: null, source: 'Api' });
      await upsertSkill(
        db.pool,
        4300,
        SkillBodySchema.parse({ Name: 'Compliance', Compliance: { SuppressionLists: ['internal', 'gone'], DoNotCallList: 'internal' } }),
      );
      const older = await createRun(db.pool, { skillNo: 4300, sourceName: 'crm', sourceMapVersion: 1, origin: 'Api' });
      await finishRun(db.pool, older, { recordCount: 0, counts: {} });
      const recent = await createRun(db.pool, { skillNo: 4300, sourceName: 'crm', sourceMapVersion: 1, origin: 'Api' });
      // What the load recorded (run_suppressed), masked; the results' messages are not read.
      const dropped = (seq: number, position: number, masked: string, listName: string, byPrefix = false, refused = false) => ({
        index: seq,
        position,
        masked,
        listName,
        byPrefix,
        refused,
      });
      await insertRunSuppressed(db.pool, recent, [
        dropped(0, 0, '+1******0199', 'internal', false, true),
        dropped(1, 0, '+1******0188', 'everyone', true),
        dropped(1, 1, '+1******0177', 'internal'),
        // Written some other way, with a whole number: counted, never shown.
        dropped(2, 0, '+12125550166', 'internal'),
      ]);
      await insertRunResults(db.pool, recent, [
        { seq: 0, resultCode: 'DoNotCall', resultMessage: null, externalId: 'B1', record: null },
        { seq: 1, resultCode: 'Created', resultMessage: null, externalId: 'B2', record: null },
        { seq: 2, resultCode: 'Created', resultMessage: null, externalId: 'B3', record: null },
        // A message naming a number the load did not record as dropped: not counted.
        {
          seq: 3,
          resultCode: 'Created',
          resultMessage: 'dropped suppressed number(s): +1******0155 (internal)',
          externalId: 'B4',
          record: null,
        },
      ]);
      await finishRun(db.pool, recent, { recordCount: 4, counts: { DoNotCall: 1, Created: 3 } });

      const res = await app.inject({ method: 'GET', url: '/dashboard/api/skills/4300/suppression', headers: viewer });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toMatch(/5550199|5550188|5550177|5550166|5550155|555-01/);
      const body = res.json();
      expect(body.Lists).toEqual([
        { ListName: 'Revocations', Entries: 0, AllSkills: true, Named: false, DoNotCallList: false, Exists: true },
        { ListName: 'everyone', Entries: 1, AllSkills: true, Named: false, DoNotCallList: false, Exists: true },
        { ListName: 'internal', Entries: 2, AllSkills: false, Named: true, DoNotCallList: true, Exists: true },
        { ListName: 'gone', Entries: null, AllSkills: false, Named: true, DoNotCallList: false, Exists: false },
      ]);
      expect(body.Runs).toEqual([
        {
          RunId: recent,
          StartedAt: expect.any(String),
          Refused: 1,
          Dropped: 2,
          Numbers: 4,
          Examples: [
            { Number: '+1******0199', ListName: 'internal', ByPrefix: false },
            { Number: '+1******0188', ListName: 'everyone', ByPrefix: true },
            { Number: '+1******0177', ListName: 'internal', ByPrefix: false },
          ],
        },
        { RunId: older, StartedAt: expect.any(String), Refused: 0, Dropped: 0, Numbers: 0, Examples: [] },
      ]);
      expect((await app.inject({ method: 'GET', url: '/dashboard/api/skills/9999/suppression', headers: viewer })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/dashboard/api/skills/x/suppression', headers: viewer })).statusCode).toBe(400);
      expect((await app.inject({ method: 'GET', url: '/dashboard/api/skills/4300/suppression' })).statusCode).toBe(401);
    });
  });
});
