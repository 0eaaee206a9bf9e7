import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server';
import { testApp, type TestApp } from './test-app';

describe('request logging', () => {
  let t: TestApp;
  const lines: string[] = [];
  let app: ReturnType<typeof buildServer>;
  beforeAll(async () => {
    t = await testApp();
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    app = buildServer({ ...t.deps, logger: pino({ level: 'debug' }, sink) });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it('logs the path of each request but never its query string (a PhoneNumber may be in it)', async () => {
    await app.inject({ method: 'PUT', url: '/v1/skills/3', payload: { Name: 'Three' } });
    await app.inject({ method: 'GET', url: '/v1/skills/3/prospects?PhoneNumber=%2B12125550100' });
    await app.inject({ method: 'GET', url: '/v1/skills/3/prospects?PhoneNumber=2125550100&SourceName=crm' });
    await app.inject({ method: 'GET', url: '/v1/nowhere?PhoneNumber=2125550100' });
    const log = lines.join('');
    expect(log).toContain('/v1/skills/3/prospects');
    expect(log).toContain('request completed');
    expect(log).not.toMatch(/5550100/);
    expect(log).not.toContain('PhoneNumber');
  });
});
