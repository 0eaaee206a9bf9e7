import type { FastifyInstance } from 'fastify';
import type { KeyRing } from './access';
import type { RoutePlugin } from './routes/route-plugin';
import { refillRoutes } from './routes/refill';
import { buildServer } from './server';
import type { AppDeps } from '../app-deps';
import { RefillQueue } from '../queue/refill-queue';

export interface ServiceApi {
  app: FastifyInstance;
  /** The API's address once listening. */
  address: string;
  close(): Promise<void>;
}

/**
 * The standard routes plus those that need this process's fetch queue: refill now, and
 * RefillInFlight of the dial queue. Keys left out are read from the configuration.
 */
export function buildServiceApp(deps: AppDeps, refillQueue: RefillQueue, keys?: KeyRing | null): FastifyInstance {
  const plugins: RoutePlugin[] = [refillRoutes(refillQueue) as RoutePlugin];
  const apiDeps = { ...deps, refillInFlight: (n: number) => refillQueue.refillInFlight(n) };
  return buildServer(apiDeps, { plugins, ...(keys !== undefined ? { operations: { keys } } : {}) });
}

/** The HTTP API as the `start` and `api` roles serve it. */
export async function startServiceApi(deps: AppDeps, keys: KeyRing | null): Promise<ServiceApi> {
  const refillQueue = new RefillQueue(deps.config);
  const app = buildServiceApp(deps, refillQueue, keys);
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
