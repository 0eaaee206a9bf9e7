import type { FastifyPluginAsync } from 'fastify';

export interface HealthRouteOptions {
  pool: { query(sql: string): Promise<unknown> };
  /**
   * What else the service uses, by name: `{ redis: PING }` on QUEUE_BACKEND=redis, nothing on
   * `postgres` (the job queues live in the database `postgres` already checks).
   */
  probes: Readonly<Record<string, () => Promise<unknown>>>;
  /** Each check answers within this or counts as failed. */
  timeoutMs?: number;
}

type CheckResult = 'ok' | 'timeout' | 'unreachable';

/**
 * `GET /healthz`: the process is up. `GET /readyz`: Postgres answers `SELECT 1` and each probe
 * (Redis's `PING` where Redis is used) answers, each within a short timeout; `503` names the one
 * that did not. Neither needs a key, so neither says more than ok/timeout/unreachable: details go
 * to the log.
 */
export const healthRoutes: FastifyPluginAsync<HealthRouteOptions> = async (app, opts) => {
  const timeoutMs = opts.timeoutMs ?? 2000;
  const probes: [string, () => Promise<unknown>][] = [['postgres', () => opts.pool.query('SELECT 1')], ...Object.entries(opts.probes)];

  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is up' } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    { schema: { tags: ['operations'], summary: 'Postgres (and Redis, where used) answer (503 when one does not)' } },
    async (request, reply) => {
      const checks = await Promise.all(probes.map(async ([name, probe]) => [name, await check(probe, timeoutMs)] as const));
      const ready = checks.every(([, c]) => c.result === 'ok');
      const results = Object.fromEntries(checks.map(([name, c]) => [name, c.result]));
      if (!ready) {
        const errors = Object.fromEntries(checks.filter(([, c]) => c.error).map(([name, c]) => [`${name}Error`, c.error]));
        request.log.warn({ ...results, ...errors }, 'not ready');
      }
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', ...results });
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
