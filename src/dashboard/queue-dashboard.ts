import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../app-deps';
import type { QueueHistoryStore } from '../services/queue-history-store';
import { readHeldBack } from '../services/read-held-back';
import { readOwedWriteBacks } from '../services/read-owed-write-backs';
import { readQueueSnapshot } from '../services/read-queue-snapshot';
import { redactDeep } from '../observability/redact';
import { CallError } from '../services/errors';
import { readFailedRecords } from '../services/read-runs';
import { readSkillSuppression } from '../services/read-skill-suppression';
import { SkillNoTextSchema } from '../services/skills';
import { loadClientAssets, type ClientAsset } from './client-assets';
import type { FailedRecordsAnswer, HeldBackAnswer, HistoryAnswer, SessionAnswer, SkillSuppressionAnswer } from './dashboard-api';
import { ASSETS_PATH, dashboardPage } from './dashboard-page';
import { startQueueSampler, type QueueSampler } from './queue-sampler';

export interface QueueDashboardOptions {
  pool: AppDeps['pool'];
  /** Where the history samples are kept (Redis or Postgres, by QUEUE_BACKEND: queue/queue-backend.ts). */
  history: QueueHistoryStore;
  now?: () => Date;
  /** Take samples in this process (default true). */
  sample?: boolean;
}

const MAX_FAILED_SHOWN = 1000;

/**
 * Only the page's own script and stylesheet may run, named by a nonce fresh in every answer (and
 * pinned to their bytes by SRI); nothing may assign markup to the DOM (Trusted Types, enforced by
 * Chromium): the client builds elements, never HTML.
 */
function pageHeaders(nonce: string): Record<string, string> {
  return {
    'content-security-policy': [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "connect-src 'self'",
      'img-src data:',
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "require-trusted-types-for 'script'",
      "trusted-types 'none'",
    ].join('; '),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  };
}

/** A hashed asset never changes under its name. */
const ASSET_HEADERS = { 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' };

/**
 * The queue dashboard at `/dashboard` and the JSON it needs beyond the public API: the history of
 * every skill's queue (sampled here into the history store), the caller's role, and a run's failed records
 * with phone numbers masked before they leave the server.
 */
export const queueDashboard: FastifyPluginAsync<QueueDashboardOptions> = async (app, opts) => {
  const now = opts.now ?? (() => new Date());
  const history = opts.history;
  const assets = await loadClientAssets();
  const served = new Map<string, ClientAsset>([assets.script, assets.style].map((a) => [a.name, a]));

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
    const nonce = randomBytes(16).toString('base64');
    return reply.headers(pageHeaders(nonce)).type('text/html; charset=utf-8').send(dashboardPage(assets, nonce));
  });

  app.get(`${ASSETS_PATH}/:name`, { schema: { hide: true } }, async (request, reply) => {
    const asset = served.get((request.params as { name: string }).name);
    if (!asset) return reply.callNotFound();
    return reply.headers(ASSET_HEADERS).type(asset.contentType).send(asset.body);
  });

  app.get('/dashboard/api/session', { schema: { hide: true } }, async (request): Promise<SessionAnswer> => ({
    Role: request.accessRole ?? 'open',
  }));

  app.get('/dashboard/api/history', { schema: { hide: true } }, async (request): Promise<HistoryAnswer> => {
    const minutes = clampInt((request.query as Record<string, unknown>).minutes, 1, 60, 60);
    const samples = await history.read(now().getTime() - minutes * 60_000);
    return {
      IntervalSeconds: history.everyMs / 1000,
      Skills: Object.fromEntries([...samples].map(([skillNo, list]) => [String(skillNo), list])),
    };
  });

  app.get('/dashboard/api/held-back', { schema: { hide: true } }, async (): Promise<HeldBackAnswer> => ({
    Skills: await readHeldBack(opts.pool, now()),
  }));

  app.get('/dashboard/api/owed', { schema: { hide: true } }, async () => {
    const owed = await readOwedWriteBacks(opts.pool, now());
    return { WriteBacksOwed: owed.count, OldestOwedSeconds: owed.oldestSeconds };
  });

  app.get('/dashboard/api/runs/:RunId/failed', { schema: { hide: true } }, async (request) => {
    const runId = Number((request.params as { RunId: string }).RunId);
    if (!Number.isSafeInteger(runId) || runId <= 0) throw new CallError('InvalidData', 'RunId must be a positive integer');
    const limit = clampInt((request.query as Record<string, unknown>).Limit, 1, MAX_FAILED_SHOWN, 500);
    const { total, records: rows } = await readFailedRecords({ pool: opts.pool }, runId, limit);
    const answer: FailedRecordsAnswer = {
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
    return answer;
  });

  app.get('/dashboard/api/skills/:SkillNo/suppression', { schema: { hide: true } }, async (request): Promise<SkillSuppressionAnswer> => {
    const skillNo = SkillNoTextSchema.safeParse((request.params as { SkillNo: string }).SkillNo);
    if (!skillNo.success) throw new CallError('InvalidData', `SkillNo ${skillNo.error.issues[0]?.message ?? 'is invalid'}`);
    return readSkillSuppression({ pool: opts.pool }, skillNo.data);
  });
};

function clampInt(raw: unknown, min: number, max: number, fallback: number): number {
  const n = typeof raw === 'string' && raw !== '' ? Number(raw) : NaN;
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
}
