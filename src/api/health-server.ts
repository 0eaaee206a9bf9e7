import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { AppDeps } from '../app-deps';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import type { CountableQueue } from '../observability/metrics';
import { openQueueSide } from '../queue/queue-backend';

export interface HealthServer {
  /** The port listened on (useful when asked for port 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * `/healthz`, `/readyz` and `/metrics` for the `worker` and `brain` roles, which have no API of
 * their own: the same handlers the API serves, on a bare server with no other route.
 */
export async function startHealthServer(
  deps: Pick<AppDeps, 'pool' | 'config' | 'logger'>,
  opts: { port?: number; host?: string; queues?: readonly CountableQueue[] } = {},
): Promise<HealthServer> {
  // Its own fail-fast side (on Redis, a client): a probe must answer "unreachable" at once, not wait for Redis.
  const side = openQueueSide(deps, { name: 'health', failFast: true });
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  await app.register(healthRoutes, { pool: deps.pool, probes: side.probes });
  await app.register(metricsRoutes, opts.queues ? { sources: { queues: opts.queues } } : {});
  await app.listen({ port: opts.port ?? deps.config.port, host: opts.host ?? deps.config.host });
  const address = app.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : (opts.port ?? deps.config.port),
    async close() {
      await app.close();
      await side.close();
    },
  };
}
