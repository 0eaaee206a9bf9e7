import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refillRoutes } from '../../src/api/routes/refill';
import { buildServer } from '../../src/api/server';
import { createRun, finishRun } from '../../src/db/runs';
import { RefillQueue } from '../../src/queue/refill-queue';
import { putSkill } from '../../src/services/skills';
import { putList } from '../../src/services/suppression-lists';
import { dropPrefix, testDeps } from '../queue/queue-test-kit';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';

/**
 * Contract section 7 against the real server: every route the OpenAPI description lists (plus the
 * pages it hides), every role. Refused calls must change nothing, so they all run before any
 * allowed one and the state is compared.
 */
const KEYS = { operator: 'op-key-matrix-1', dialer: 'dial-key-matrix-2', viewer: 'view-key-matrix-3' } as const;
type Role = keyof typeof KEYS;

let db: TestDb;
let app: FastifyInstance;
let refill: RefillQueue;
let runId: number;
const prefix = uniquePrefix('matrix');

interface Call {
  method: string;
  template: string;
  url: string;
  body?: unknown;
}

const DIALER_CALLS = [
  /^GET \/v1\/skills\/\{SkillNo\}\/dial-queue$/,
  /^POST \/v1\/skills\/\{SkillNo\}\/dial-queue\/claim$/,
  /^POST \/v1\/claims\/\{ClaimId\}\/outcome$/,
  /^GET \/v1\/claims\/\{ClaimId\}$/,
  /^GET \/v1\/calling-rules\/check$/,
  /^GET \/v1\/suppression$/,
];
const PUBLIC = new Set(['/healthz', '/readyz', '/metrics']);

function allowed(role: Role, call: Call): boolean {
  if (role === 'operator') return true;
  if (role === 'viewer') return call.method === 'GET';
  return DIALER_CALLS.some((p) => p.test(`${call.method} ${call.template}`));
}

function sampleBody(method: string, template: string): unknown {
  if (method === 'GET') return undefined;
  if (template === '/v1/skills/{SkillNo}') return { Name: 'Changed by someone' };
  if (template.startsWith('/v1/source-maps/')) return { Mapping: { ExternalID: 'id', PhoneNumber: 'phone' } };
  if (template === '/v1/create-prospects') return { SkillNo: 4100, SourceName: 'crm', Data: [{ id: 'Z1', phone: '(212) 555-0100' }] };
  if (template === '/v1/remove-prospects') return { SkillNo: 4100, SourceName: 'crm', Data: [{ id: 'Z1' }] };
  if (template.endsWith('/claim')) return { Limit: 1 };
  if (template.endsWith('/outcome')) return { Outcome: 'NoAnswer' };
  if (template.startsWith('/v1/suppression-lists/{ListName}/')) return { Data: [{ PhoneNumber: '+12125550100' }] };
  if (template === '/v1/consent/revocations') return { Data: [{ PhoneNumber: '+12125550100' }] };
  return {};
}

function fill(template: string): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    switch (name) {
      case 'SkillNo':
        return '4100';
      case 'SourceName':
        return 'crm';
      case 'RunId':
        return String(runId);
      case 'ClaimId':
        return randomUUID();
      case 'ListName':
        return 'internal';
      default:
        return '1';
    }
  });
}

async function state() {
  const { rows } = await db.pool.query<{ t: string }>(
    `SELECT json_build_object(
       'skills', (SELECT json_agg(body ORDER BY skill_no) FROM skills),
       'maps', (SELECT count(*) FROM source_maps),
       'prospects', (SELECT count(*) FROM prospects),
       'runs', (SELECT count(*) FROM runs),
       'undone', (SELECT count(*) FROM runs WHERE status = 'Undone'),
       'claims', (SELECT count(*) FROM claims),
       'suppression', (SELECT json_agg(json_build_object('name', name, 'description', description, 'all', all_skills, 'n', entry_count) ORDER BY list_id) FROM suppression_lists),
       'batches', (SELECT count(*) FROM suppression_batches))::text AS t`,
  );
  const jobs = await refill.queue.getJobCounts();
  return { db: rows[0]!.t, jobs };
}

let calls: Call[] = [];

beforeAll(async () => {
  db = await freshSchema('matrix');
  const deps = testDeps(db.pool, prefix);
  deps.config = { ...deps.config, apiKeys: `operator:${KEYS.operator},dialer:${KEYS.dialer},viewer:${KEYS.viewer}` };
  await putSkill(deps, 4100, {
    Name: 'Renewals',
    Refill: { Enabled: true, SourceName: 'crm', LowWaterMark: 5, TargetDepth: 20, Connector: { Type: 'demo' } },
  });
  await putList(deps, 'internal', { Description: 'matrix' });
  runId = await createRun(db.pool, { skillNo: 4100, sourceName: 'crm', sourceMapVersion: null, origin: 'Api' });
  await finishRun(db.pool, runId, { recordCount: 0, counts: {} });
  refill = new RefillQueue(deps.config);
  app = buildServer(deps, { plugins: [refillRoutes(refill)], operations: { sample: false } });
  await app.ready();

  const spec = (await app.inject({ method: 'GET', url: '/docs/json', headers: { authorization: `Bearer ${KEYS.viewer}` } })).json();
  for (const [template, ops] of Object.entries<Record<string, unknown>>(spec.paths)) {
    for (const method of Object.keys(ops)) {
      const m = method.toUpperCase();
      if (!['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].includes(m)) continue;
      calls.push({ method: m, template, url: fill(template), body: sampleBody(m, template) });
    }
  }
  // Pages and routes the description hides.
  for (const url of [
    '/dashboard',
    '/dashboard/api/history',
    '/dashboard/api/session',
    `/dashboard/api/runs/${1}/failed`,
    '/admin/queues',
    '/admin/queues/api/queues',
    '/docs',
    '/docs/json',
  ]) {
    calls.push({ method: 'GET', template: url, url });
  }
  calls = calls.filter((c) => !PUBLIC.has(c.template));
});

afterAll(async () => {
  await app.close();
  await refill.close();
  await dropPrefix(prefix);
  await db.drop();
});

const send = (call: Call, headers: Record<string, string>) =>
  app.inject({
    method: call.method as 'GET',
    url: call.url,
    headers: { ...headers, ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(call.body !== undefined ? { payload: JSON.stringify(call.body) } : {}),
  });

describe('access matrix over the real routes', () => {
  it('lists the API routes, the dashboards included', () => {
    const names = calls.map((c) => `${c.method} ${c.template}`);
    for (const expected of [
      'PUT /v1/skills/{SkillNo}',
      'GET /v1/skills',
      'POST /v1/create-prospects',
      'POST /v1/skills/{SkillNo}/refill',
      'GET /v1/runs',
      'GET /v1/runs/{RunId}/results',
      'POST /v1/runs/{RunId}/undo',
      'GET /v1/skills/{SkillNo}/dial-queue',
      'POST /v1/skills/{SkillNo}/dial-queue/claim',
      'POST /v1/claims/{ClaimId}/outcome',
      'GET /v1/claims/{ClaimId}',
      'GET /dashboard',
      'GET /admin/queues',
      'PUT /v1/suppression-lists/{ListName}',
      'GET /v1/suppression-lists',
      'GET /v1/suppression-lists/{ListName}',
      'POST /v1/suppression-lists/{ListName}/entries',
      'POST /v1/suppression-lists/{ListName}/remove-entries',
      'GET /v1/suppression-lists/{ListName}/history',
      'GET /v1/suppression',
      'POST /v1/consent/revocations',
    ]) {
      expect(names).toContain(expected);
    }
    expect(calls.length).toBeGreaterThan(15);
  });

  it('refuses every call without a key (401), with a wrong key (401) and outside the role (403), changing nothing', async () => {
    const before = await state();
    for (const call of calls) {
      const label = `${call.method} ${call.url}`;
      const none = await send(call, {});
      expect(none.statusCode, `${label} without key`).toBe(401);
      if (!String(none.headers['content-type']).includes('text/html')) {
        expect(none.json(), label).toEqual({ error: { code: 'Unauthorized', message: expect.any(String) } });
      }
      const wrong = await send(call, { authorization: 'Bearer not-a-key' });
      expect(wrong.statusCode, `${label} wrong key`).toBe(401);
      for (const role of ['dialer', 'viewer'] as const) {
        if (allowed(role, call)) continue;
        const res = await send(call, { authorization: `Bearer ${KEYS[role]}` });
        expect(res.statusCode, `${label} as ${role}`).toBe(403);
        expect(res.json(), `${label} as ${role}`).toEqual({ error: { code: 'Forbidden', message: expect.any(String) } });
      }
    }
    expect(await state()).toEqual(before);
  });

  it('lets each role through where the contract allows it', async () => {
    for (const role of ['viewer', 'dialer', 'operator'] as const) {
      for (const call of calls) {
        if (!allowed(role, call)) continue;
        const res = await send(call, { authorization: `Bearer ${KEYS[role]}` });
        expect([401, 403], `${call.method} ${call.url} as ${role}: ${res.body.slice(0, 200)}`).not.toContain(res.statusCode);
      }
    }
  });

  it('does not tell a caller without a key which routes exist', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/no-such-route' })).statusCode).toBe(401);
    const known = await app.inject({ method: 'GET', url: '/v1/no-such-route', headers: { authorization: `Bearer ${KEYS.viewer}` } });
    expect(known.statusCode).toBe(404);
  });

  it('needs no key for the probes and metrics', async () => {
    for (const url of PUBLIC) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
    }
  });
});
