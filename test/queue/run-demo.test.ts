import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server';
import { ensureDemoSkillViaApi } from '../../src/demo/demo-skill';
import { runDemo, type RunningDemo } from '../../src/demo/run-demo';
import { QUEUE_BACKENDS } from '../support/backends';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { dropPrefix, eventually, testDeps } from './queue-test-kit';

describe.each(QUEUE_BACKENDS)('on %s', (backend) => {
  let db: TestDb;
  let demo: RunningDemo | undefined;
  const prefix = uniquePrefix('demo');

  beforeAll(async () => {
    db = await freshSchema('demo');
  });
  afterAll(async () => {
    await demo?.close();
    await dropPrefix(prefix, backend);
    await db.drop();
  });

  it('refills the demo skill from the demo CRM over HTTP by itself and writes the results back', async () => {
    const deps = testDeps(db.pool, prefix, {}, backend);
    demo = await runDemo(deps, { apiPort: 0, dialer: false, tuning: { brainEveryMs: 200 } });
    const skillNo = demo.skillNo;
    await eventually(async () => demo!.crm.writeBacks.length > 0, 15_000, 'a write-back from the demo refill');

    const { rows } = await db.pool.query<{ origin: string; counts: Record<string, number>; record_count: number }>(
      'SELECT origin, counts, record_count FROM runs WHERE skill_no = $1 ORDER BY run_id LIMIT 1',
      [skillNo],
    );
    const run = rows[0]!;
    expect(run.origin).toBe('Refill');
    expect(run.record_count).toBeGreaterThan(0);
    // Most demo leads load; the spoiled ones fail with the pipeline's codes.
    expect(run.counts.Created ?? 0).toBeGreaterThan(run.record_count * 0.7);
    const { rows: stored } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM prospects WHERE skill_no = $1', [skillNo]);
    expect(stored[0]!.n).toBeGreaterThan(0);

    const res = await fetch(`${demo.apiUrl}/v1/runs?SkillNo=${skillNo}`);
    expect(res.status).toBe(200);
    const refill = await fetch(`${demo.apiUrl}/v1/skills/${skillNo}/refill`, { method: 'POST' });
    expect(refill.status).toBe(202);

    const started = Date.now();
    await demo.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    demo = undefined;
  }, 30_000);

  it('drains and refills by itself with the dialer simulator at a daytime clock', async () => {
    // 18:00 UTC is inside the calling window of every US zone the demo CRM uses but Alaska's.
    const offset = Date.parse('2026-03-02T18:00:00Z') - Date.now();
    const deps = testDeps(db.pool, prefix, { now: () => new Date(Date.now() + offset) }, backend);
    const running = await runDemo(deps, { apiPort: 0, skillNo: 9002, claimsPerSecond: 20, tuning: { brainEveryMs: 200 } });
    try {
      await eventually(async () => (running.dialer?.stats.reported ?? 0) >= 30, 15_000, '30 outcomes reported');
      expect(running.dialer!.stats.errors).toBe(0);
      const outcomes = Object.keys(running.dialer!.stats.outcomes);
      expect(outcomes.length).toBeGreaterThan(2);
      const queue = (await (await fetch(`${running.apiUrl}/v1/skills/9002/dial-queue`)).json()) as Record<string, unknown>;
      expect(queue).toMatchObject({ LowWaterMark: 20, TargetDepth: 100 });
      expect(typeof queue.RefillInFlight).toBe('boolean');
      const { rows } = await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM claims c JOIN prospects p USING (prospect_id) WHERE p.skill_no = 9002 AND c.outcome IS NOT NULL`,
      );
      expect(rows[0]!.n).toBeGreaterThanOrEqual(30);
    } finally {
      await running.close();
    }
  }, 30_000);

  it('sets up the demo skill through the public API for a dialer that only knows the API', async () => {
    const deps = testDeps(db.pool, prefix, {}, backend);
    const app = buildServer(deps);
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (app.server.address() as AddressInfo).port;
      await ensureDemoSkillViaApi({ apiUrl: `http://127.0.0.1:${port}`, crmUrl: 'http://demo-crm:4000', skillNo: 9003 });
      const skill = (await (await fetch(`http://127.0.0.1:${port}/v1/skills/9003`)).json()) as { Refill: { Connector: { Url: string } } };
      expect(skill.Refill.Connector.Url).toBe('http://demo-crm:4000/leads');
      await expect(ensureDemoSkillViaApi({ apiUrl: `http://127.0.0.1:${port}`, crmUrl: 'not a url', skillNo: 9004 })).rejects.toThrow(
        /PUT \/v1\/skills\/9004 answered 400/,
      );
    } finally {
      await app.close();
    }
  });
});
