import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { DbClient } from '../db/pool';
import { findRun, readRunResults } from '../db/run-reads';
import { FAILURE_CODES } from '../domain/result-code';
import { readOwedWriteBacks } from '../observability/owed-write-backs';
import { readQueueSnapshot } from '../observability/queue-snapshot';
import { redactDeep } from '../observability/redact';
import { dashboardPage } from './dashboard-page';
import { DASHBOARD_SCRIPT } from './dashboard-script';
import { DASHBOARD_STYLE } from './dashboard-style';
import { QueueHistory } from './queue-history';
import { startQueueSampler, type QueueSampler } from './queue-sampler';

export interface QueueDashboardOptions {
  pool: DbClient;
  /** For the history samples (a client whose commands fail fast when Redis is down). */
  redis: Redis;
  /**
   * The install's QUEUE_PREFIX, so installs sharing a Redis keep their own history. (Not named
   * `prefix`: fastify reads that register option as a route prefix.)
   */
  redisPrefix: string;
  now?: () => Date;
  /** Sampling period of the history; 10 s by default. */
  sampleEveryMs?: number;
  /** Take samples in this process (default true). */
  sample?: boolean;
}

const MAX_FAILED_SHOWN = 1000;
const PAGE_HEADERS = {
  'content-security-policy': [
    "default-src 'none'",
    `script-src '${sha256(DASHBOARD_SCRIPT)}'`,
    `style-src '${sha256(DASHBOARD_STYLE)}'`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/**
 * The queue dashboard at `/dashboard` and the JSON it needs beyond the public API: the history of
 * every skill's queue (sampled here into Redis), the caller's role, and a run's failed records
 * with phone numbers masked before they leave the server.
 */
export const queueDashboard: FastifyPluginAsync<QueueDashboardOptions> = async (app, opts) => {
  const now = opts.now ?? (() => new Date());
  const history = new QueueHistory(opts.redis, { prefix: opts.redisPrefix, everyMs: opts.sampleEveryMs ?? 10_000 });
  const page = dashboardPage();

  let sampler: QueueSampler | null = null;
  if (opts.sample !== false) {
    let lastWarnAt = 0;
    app.addHook('onReady', async () => {
      sampler = startQueueSampler({
        history,
        now,
        readSnapshot: () => readQueueSnapshot(opts.pool, now()),
        onError: (err) => {
          // At most one line a minute while the database or Redis is away.
          if (Date.now() - lastWarnAt < 60_000) return;
          lastWarnAt = Date.now();
          app.log.warn({ err }, 'queue dashboard: sampling the queues failed');
        },
      });
      // The page shows history on first load, so the first point is in before the server answers;
      // a slow Redis or database delays the start by at most this.
      await Promise.race([sampler.first, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    });
    app.addHook('onClose', async () => {
      await sampler?.stop();
    });
  }

  app.get('/dashboard', { schema: { hide: true } }, async (_request, reply) => {
    return reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(page);
  });

  app.get('/dashboard/api/session', { schema: { hide: true } }, async (request) => ({
    Role: request.accessRole ?? 'open',
  }));

  app.get('/dashboard/api/history', { schema: { hide: true } }, async (request) => {
    const minutes = clampInt((request.query as Record<string, unknown>).minutes, 1, 60, 60);
    const samples = await history.read(now().getTime() - minutes * 60_000);
    return {
      IntervalSeconds: history.everyMs / 1000,
      Skills: Object.fromEntries([...samples].map(([skillNo, list]) => [String(skillNo), list])),
    };
  });

  app.get('/dashboard/api/owed', { schema: { hide: true } }, async () => {
    const owed = await readOwedWriteBacks(opts.pool, now());
    return { WriteBacksOwed: owed.count, OldestOwedSeconds: owed.oldestSeconds };
  });

  app.get('/dashboard/api/runs/:RunId/failed', { schema: { hide: true } }, async (request, reply) => {
    const runId = Number((request.params as { RunId: string }).RunId);
    if (!Number.isSafeInteger(runId) || runId <= 0) {
      return reply.code(400).send({ error: { code: 'InvalidData', message: 'RunId must be a positive integer' } });
    }
    const limit = clampInt((request.query as Record<string, unknown>).Limit, 1, MAX_FAILED_SHOWN, 500);
    const run = await findRun(opts.pool, runId);
    if (!run) return reply.code(404).send({ error: { code: 'UnknownRun', message: `no run ${runId}` } });
    const failureCodes = new Set<string>(FAILURE_CODES);
    const total = Object.entries(run.counts).reduce((n, [code, k]) => (failureCodes.has(code) ? n + k : n), 0);
    const rows = await readRunResults(opts.pool, runId, { limit, resultCodes: FAILURE_CODES });
    return {
      RunId: runId,
      Total: total,
      FailedRecords: rows.map((r) => ({
        Seq: r.seq,
        ExternalID: r.externalId === null ? null : redactDeep(r.externalId),
        ResultCode: r.resultCode,
        ResultMessage: r.resultMessage === null ? null : redactDeep(r.resultMessage),
        Record: redactDeep(r.record),
      })),
    };
  });
};

function clampInt(raw: unknown, min: number, max: number, fallback: number): number {
  const n = typeof raw === 'string' && raw !== '' ? Number(raw) : NaN;
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
