import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server';
import { createLogger } from '../../src/observability/logger';
import { putSkill } from '../../src/services/skills';
import { dropPrefix, testDeps } from '../queue/queue-test-kit';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';

const lines: string[] = [];
const prefix = uniquePrefix('srvlog');
let db: TestDb;
let app: FastifyInstance;

beforeAll(async () => {
  db = await freshSchema('srvlog');
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
  const deps = testDeps(db.pool, prefix, { logger: createLogger({ level: 'debug', destination }) });
  deps.config = { ...deps.config, apiKeys: 'operator:op-key-srvlog-1' };
  await putSkill(deps, 4100, { Name: 'Renewals' });
  app = buildServer(deps, { operations: { sample: false } });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await dropPrefix(prefix);
  await db.drop();
});

describe('the API server logs', () => {
  it('carry the request id on every line, echo it, and never a full number or key', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/skills/4100/prospects?SourceName=crm&PhoneNumber=%2B12125550100',
      headers: { authorization: 'Bearer op-key-srvlog-1', 'x-request-id': 'lookup-42' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('lookup-42');
    const created = await app.inject({
      method: 'POST',
      url: '/v1/create-prospects',
      headers: { authorization: 'Bearer op-key-srvlog-1', 'content-type': 'application/json' },
      payload: { SkillNo: 4100, SourceName: 'nosuchsource', Data: [{ id: 'A1', phone: '(212) 555-0100' }] },
    });
    expect(created.statusCode).toBeGreaterThanOrEqual(400);
    expect(created.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((r) => setImmediate(r));

    const ours = lines.map((l) => JSON.parse(l)).filter((l) => l.reqId === 'lookup-42');
    expect(ours.length).toBeGreaterThanOrEqual(1);
    const text = lines.join('\n');
    expect(text).not.toMatch(/2125550100|555-0100|op-key-srvlog-1/);
  });
});
