import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server';
import type { AppDeps } from '../../src/app-deps';
import { DEFAULT_BACKEND, dropQueues, testConfig } from '../support/backends';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  db: TestDb;
  close(): Promise<void>;
}

/** The API over a fresh schema; `now` is fixed unless given, so expirations are predictable. */
export async function testApp(opts: { now?: () => Date; env?: Record<string, string> } = {}): Promise<TestApp> {
  const db = await freshSchema('api');
  const prefix = uniquePrefix('api');
  const deps: AppDeps = {
    config: testConfig(prefix, opts.env ? { env: opts.env } : {}),
    pool: db.pool,
    logger: pino({ level: 'silent' }),
    now: opts.now ?? (() => new Date('2026-03-02T15:00:00Z')),
  };
  const app = buildServer(deps);
  await app.ready();
  return {
    app,
    deps,
    db,
    async close() {
      await app.close();
      await dropQueues(DEFAULT_BACKEND, prefix);
      await db.drop();
    },
  };
}

export async function count(db: TestDb, table: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

/** One sample of the app's GET /metrics, 0 while the series does not exist yet. */
export async function metricSample(app: FastifyInstance, series: string): Promise<number> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}
