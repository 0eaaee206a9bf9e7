import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server';
import { createPool } from '../../src/db/pool';
import { dropQueues, DEFAULT_BACKEND, testConfig } from '../support/backends';
import { DATABASE_URL, uniquePrefix } from '../support/db';

describe('failures of the service itself', () => {
  it('answer 500 InternalError without internals, and are logged', async () => {
    const pool = createPool(DATABASE_URL);
    await pool.end();
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) });
    const prefix = uniquePrefix('errors');
    const app = buildServer({ config: testConfig(prefix), pool, logger: pino({ level: 'info' }, sink), now: () => new Date() });
    const res = await app.inject({ method: 'GET', url: '/v1/skills' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'InternalError', message: 'the service failed to answer; the error is logged' } });
    expect(res.body).not.toMatch(/pool|stack|at /i);
    expect(lines.join('')).toContain('Cannot use a pool after calling end');
    await app.close();
    await dropQueues(DEFAULT_BACKEND, prefix);
  });
});
