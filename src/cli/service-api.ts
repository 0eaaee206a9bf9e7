import type { FastifyInstance } from 'fastify';
import type { KeyRing } from '../api/access';
import { routePlugins, type RoutePlugin } from '../api/routes';
import { dialQueueRoutes } from '../api/routes/dial-queue';
import { refillRoutes } from '../api/routes/refill';
import { runRoutes } from '../api/routes/runs';
import { buildServer } from '../api/server';
import type { AppDeps } from '../app-deps';
import { RefillQueue } from '../queue/refill-queue';

export interface ServiceApi {
  app: FastifyInstance;
  /** The API's address once listening. */
  address: string;
  close(): Promise<void>;
}

/**
 * The HTTP API as the `start` and `api` roles serve it: the standard routes, plus those that need
 * this process's fetch queue (refill now, RefillInFlight of the dial queue), plus any of runs and
 * dial-queue that the standard list does not carry yet.
 */
export async function startServiceApi(deps: AppDeps, keys: KeyRing | null): Promise<ServiceApi> {
  const refillQueue = new RefillQueue(deps.config);
  const plugins: RoutePlugin[] = [refillRoutes(refillQueue) as RoutePlugin];
  for (const plugin of [runRoutes, dialQueueRoutes] as RoutePlugin[]) {
    if (!routePlugins.includes(plugin)) plugins.push(plugin);
  }
  const apiDeps = { ...deps, refillInFlight: (n: number) => refillQueue.refillInFlight(n) };
  const app = buildServer(apiDeps, { plugins, operations: { keys } });
  const close = async () => {
    await app.close();
    await refillQueue.close(2_000);
  };
  try {
    const address = await app.listen({ port: deps.config.port, host: deps.config.host });
    return { app, address, close };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}
