import type { Queue } from 'bullmq';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsRoutes } from '../../src/api/routes/metrics';
import { upsertSkill } from '../../src/db/skills';
import { SkillBodySchema } from '../../src/domain/skill';
import { ServiceMetrics } from '../../src/observability/metrics';
import { newQueue } from '../../src/queue/queue-backend';
import { readQueueSnapshot } from '../../src/services/read-queue-snapshot';
import { QUEUE_BACKENDS, backendConfig, dropQueues } from '../support/backends';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { refreshPlaces, zoneInsideWindow } from '../support/prospect-fixtures';

describe('ServiceMetrics', () => {
  it('counts records by ResultCode, never with a caller-made label', async () => {
    const m = new ServiceMetrics({ defaultMetrics: false });
    m.observeResults({ Created: 3, InvalidPhoneNumber: 1, Updated: 0 });
    m.observeResults({ Created: 2, '+12125550100': 5 });
    const text = await m.metrics();
    expect(text).toContain('prospect_feeder_records_total{result_code="Created"} 5');
    expect(text).toContain('prospect_feeder_records_total{result_code="InvalidPhoneNumber"} 1');
    expect(text).toContain('prospect_feeder_records_total{result_code="Other"} 5');
    expect(text).not.toContain('result_code="Updated"');
    expect(text).not.toMatch(/2125550100/);
  });

  it('counts claims by skill and outcomes by Outcome, never with a caller-made label', async () => {
    const m = new ServiceMetrics({ defaultMetrics: false });
    m.observeClaims(4100, 10);
    m.observeClaims(4100, 1);
    m.observeClaims(4200, 0);
    m.observeOutcome('NoAnswer');
    m.observeOutcome('NoAnswer');
    m.observeOutcome('+12125550100');
    const text = await m.metrics();
    expect(text).toContain('prospect_feeder_claims_total{skill_no="4100"} 11');
    expect(text).not.toContain('skill_no="4200"');
    expect(text).toContain('prospect_feeder_outcomes_total{outcome="NoAnswer"} 2');
    expect(text).toContain('prospect_feeder_outcomes_total{outcome="Other"} 1');
    expect(text).not.toMatch(/2125550100/);
  });

  it('times fetch jobs by outcome', async () => {
    const m = new ServiceMetrics({ defaultMetrics: false });
    m.observeFetchDuration(1.2, 'completed');
    m.observeFetchDuration(0.3, 'failed');
    m.observeFetchDuration(0.3, 'call +12125550100');
    const text = await m.metrics();
    expect(text).toContain('prospect_feeder_fetch_duration_seconds_count{outcome="completed"} 1');
    expect(text).toContain('prospect_feeder_fetch_duration_seconds_bucket{le="2.5",outcome="completed"} 1');
    expect(text).toContain('prospect_feeder_fetch_duration_seconds_count{outcome="other"} 1');
    expect(text).not.toMatch(/2125550100/);
  });

  it("reads the write-backs owed and the oldest one's age at scrape time", async () => {
    const m = new ServiceMetrics({ defaultMetrics: false });
    let owed = { count: 3, oldestSeconds: 1_234 };
    m.setSources({ owedWriteBacks: async () => owed });
    let text = await m.metrics();
    expect(text).toContain('prospect_feeder_writebacks_owed 3');
    expect(text).toContain('prospect_feeder_writebacks_owed_oldest_seconds 1234');
    owed = { count: 0, oldestSeconds: 0 };
    text = await m.metrics();
    expect(text).toContain('prospect_feeder_writebacks_owed 0');
    expect(text).toContain('prospect_feeder_writebacks_owed_oldest_seconds 0');
  });

  it('still answers when a source fails, counting the failure', async () => {
    const failures: string[] = [];
    const m = new ServiceMetrics({ defaultMetrics: false });
    m.setSources({
      dialQueueDepths: () => Promise.reject(new Error('db down')),
      queues: [{ name: 'fetch', getJobCounts: () => Promise.reject(new Error('redis down')) }],
      onError: (source) => failures.push(source),
    });
    const text = await m.metrics();
    expect(text).toContain('prospect_feeder_scrape_errors_total{source="dial_queue"} 1');
    expect(text).toContain('prospect_feeder_scrape_errors_total{source="jobs"} 1');
    expect(failures.sort()).toEqual(['dial_queue', 'jobs']);
  });
});

/** Job counts come from the fetch queue on each backend; depths from the schema of the leg. */
describe.each(QUEUE_BACKENDS)('ServiceMetrics at scrape time on %s', (backend) => {
  let db: TestDb;
  let queue: Queue;
  const prefix = uniquePrefix('metrics');

  beforeAll(async () => {
    db = await freshSchema('metrics');
    queue = newQueue('fetch', backendConfig(backend, prefix));
  });
  afterAll(async () => {
    await queue.close();
    await dropQueues(backend, prefix);
    await db.drop();
  });

  it('reads queue depths and BullMQ job counts at scrape time', async () => {
    const now = new Date();
    const zone = zoneInsideWindow(now);
    const body = SkillBodySchema.parse({ Name: 'Renewals', Refill: { SourceName: 'crm', LowWaterMark: 5, TargetDepth: 20 } });
    await upsertSkill(db.pool, 4100, body);
    await upsertSkill(db.pool, 4200, SkillBodySchema.parse({ Name: 'Empty' }));
    await db.pool.query(`INSERT INTO time_zones (name) VALUES ($1) ON CONFLICT DO NOTHING`, [zone]);
    await db.pool.query(
      `INSERT INTO prospects (skill_no, source_name, external_id, time_zone, time_zone_source, next_attempt_at, number_zones)
         SELECT 4100, 'crm', 'E' || g, $1, 'Field', CASE WHEN g > 2 THEN now() + interval '1 hour' END, ARRAY[$1]
         FROM generate_series(1, 3) g`,
      [zone],
    );
    await db.pool.query(
      `INSERT INTO destinations (prospect_id, position, phone_number, type, time_zone)
         SELECT prospect_id, 0, '+1212555' || lpad(prospect_id::text, 4, '0'), 'Mobile', $1 FROM prospects`,
      [zone],
    );
    await refreshPlaces(db.pool);
    await queue.add('refill', { SkillNo: 4100 });
    await queue.add('refill', { SkillNo: 4200 });
    await queue.add('refill', { SkillNo: 4300 }, { delay: 60_000 });

    const m = new ServiceMetrics({ defaultMetrics: false });
    m.setSources({ dialQueueDepths: () => readQueueSnapshot(db.pool, new Date()), queues: [queue] });
    const text = await m.metrics();
    expect(text).toContain('prospect_feeder_dial_queue_depth{skill_no="4100"} 3');
    expect(text).toContain('prospect_feeder_dial_queue_callable_now{skill_no="4100"} 2');
    expect(text).toContain('prospect_feeder_dial_queue_depth{skill_no="4200"} 0');
    expect(text).toContain('prospect_feeder_jobs{queue="fetch",state="waiting"} 2');
    expect(text).toContain('prospect_feeder_jobs{queue="fetch",state="delayed"} 1');
    expect(text).not.toMatch(/\+1212555/);

    const snapshot = await readQueueSnapshot(db.pool, new Date());
    expect(snapshot).toEqual([
      { skillNo: 4100, name: 'Renewals', depth: 3, callableNow: 2, lowWaterMark: 5, targetDepth: 20, refillEnabled: false },
      { skillNo: 4200, name: 'Empty', depth: 0, callableNow: 0, lowWaterMark: null, targetDepth: null, refillEnabled: false },
    ]);
  });
});

describe('GET /metrics', () => {
  it('serves the text format with process metrics and HTTP durations by route template only', async () => {
    const m = new ServiceMetrics();
    const app = Fastify();
    await app.register(metricsRoutes, { metrics: m });
    app.get('/v1/skills/:SkillNo/prospects', async () => ({ Prospects: [] }));
    await app.ready();
    await app.inject({ method: 'GET', url: '/v1/skills/4100/prospects?PhoneNumber=%2B12125550100' });
    await app.inject({ method: 'GET', url: '/v1/skills/4200/prospects?PhoneNumber=2125550100' });
    await app.inject({ method: 'GET', url: '/no/such/2125550100' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    await app.close();

    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('prospect_feeder_process_cpu_seconds_total');
    expect(res.body).toContain(
      'prospect_feeder_http_request_duration_seconds_count{method="GET",route="/v1/skills/:SkillNo/prospects",status_code="200"} 2',
    );
    expect(res.body).toContain('route="unmatched",status_code="404"');
    expect(res.body).toContain('# TYPE prospect_feeder_records_total counter');
    expect(res.body).toContain('# TYPE prospect_feeder_dial_queue_depth gauge');
    expect(res.body).toContain('# TYPE prospect_feeder_jobs gauge');
    expect(res.body).toContain('# TYPE prospect_feeder_fetch_duration_seconds histogram');
    // Only labels can carry a URL's parts; sample values (memory bytes, sums) may hold any digits.
    const labels = res.body.match(/\{[^}]*\}/g) ?? [];
    expect(labels.length).toBeGreaterThan(0);
    for (const set of labels) expect(set).not.toMatch(/2125550100|4100|4200/);
  });
});
