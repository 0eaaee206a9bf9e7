import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps';
import { jobDashboard } from '../dashboard/job-dashboard';
import { queueDashboard } from '../dashboard/queue-dashboard';
import { serviceMetrics, type ServiceMetrics } from '../observability/metrics';
import { readOwedWriteBacks } from '../services/read-owed-write-backs';
import { readQueueSnapshot } from '../services/read-queue-snapshot';
import { readListSizes } from '../services/suppression-lists';
import { echoRequestId } from '../observability/request-id';
import { closeWithin } from '../queue/close-within';
import { newQueue, openQueueSide } from '../queue/queue-backend';
import { QUEUE_NAMES } from '../queue/queue-settings';
import { accessControl } from './access/access-plugin';
import { KeyRing } from './access/api-keys';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';

export interface OperationsOptions {
  /** Parsed keys; by default parsed from `deps.config.apiKeys` (throws ApiKeysError on a bad entry). */
  keys?: KeyRing | null;
  metrics?: ServiceMetrics;
  /** Queue dashboard history: sampling period (10 s) and whether this process samples (yes). */
  sampleEveryMs?: number;
  sample?: boolean;
}

/**
 * The operators' side of the HTTP API, in the order it must be registered: access control and
 * the request id first (root hooks, ahead of every route), then `/healthz`, `/readyz`, `/metrics`,
 * `/login`, the queue dashboard (`/dashboard`) and the job dashboard (`/admin/queues`).
 * Call after `registerDocs` and before the API's routes. It owns the side state of the queue
 * backend (on Redis a fail-fast client: probes, dashboard history) and a handle on each BullMQ
 * queue (job counts, job dashboard), closed with the server.
 */
export function registerOperations(app: FastifyInstance, deps: AppDeps, opts: OperationsOptions = {}): void {
  const keys = opts.keys !== undefined ? opts.keys : KeyRing.parse(deps.config.apiKeys);
  const side = openQueueSide(deps, { name: 'api-operations', failFast: true });
  const queues = Object.values(QUEUE_NAMES).map((name) => newQueue(name, deps.config, { failFast: true }));
  app.addHook('onClose', async () => {
    await Promise.all(queues.map((q) => closeWithin(q, 2_000)));
    await side.close();
  });

  app.register(accessControl, { keys });
  echoRequestId(app);
  app.register(metricsRoutes, {
    metrics: opts.metrics ?? serviceMetrics,
    sources: {
      dialQueueDepths: () => readQueueSnapshot(deps.pool, deps.now()),
      owedWriteBacks: () => readOwedWriteBacks(deps.pool, deps.now()),
      suppressionListSizes: () => readListSizes(deps),
      queues,
      onError: (source, err) => deps.logger.warn({ source, err }, 'metrics: a source failed'),
    },
  });
  app.register(healthRoutes, { pool: deps.pool, probes: side.probes });
  app.register(queueDashboard, {
    pool: deps.pool,
    history: side.history(opts.sampleEveryMs !== undefined ? { everyMs: opts.sampleEveryMs } : {}),
    now: deps.now,
    ...(opts.sample !== undefined ? { sample: opts.sample } : {}),
  });
  app.register(jobDashboard, { queues });
}
