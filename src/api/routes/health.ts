import type { FastifyPluginAsync } from 'fastify';

export interface HealthRouteOptions {
  pool: { query(sql: string): Promise<unknown> };
  redis: { ping(): Promise<unknown> };
  /** Each check answers within this or counts as failed. */
  timeoutMs?: number;
}

type CheckResult = 'ok' | 'timeout' | 'unreachable';

/**
 * `GET /healthz`: the process is up. `GET /readyz`: Postgres answers `SELECT 1` and Redis answers
 * `PING`, each within a short timeout; `503` names the one that did not. Neither needs a key, so
 * neither says more than ok/timeout/unreachable: details go to the log.
 */
export const healthRoutes: FastifyPluginAsync<HealthRouteOptions> = async (app, opts) => {
  const timeoutMs = opts.timeoutMs ?? 2000;

  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is up' } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    { schema: { tags: ['operations'], summary: 'Postgres and Redis answer (503 when either does not)' } },
    async (request, reply) => {
      const [postgres, redis] = await Promise.all([
        check(() => opts.pool.query('SELECT 1'), timeoutMs),
        check(() => opts.redis.ping(), timeoutMs),
      ]);
      const ready = postgres.result === 'ok' && redis.result === 'ok';
      if (!ready) {
        request.log.warn(
          { postgres: postgres.result, redis: redis.result, postgresError: postgres.error, redisError: redis.error },
          'not ready',
        );
      }
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'unavailable', postgres: postgres.result, redis: redis.result });
    },
  );
};

async function check(probe: () => Promise<unknown>, timeoutMs: number): Promise<{ result: CheckResult; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([probe().then(() => 'ok' as const), timeout]);
    return { result: outcome };
  } catch (err) {
    return { result: 'unreachable', error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
