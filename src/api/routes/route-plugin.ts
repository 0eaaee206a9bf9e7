import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../app-deps';

/** What every route plugin is registered with (its own module, so routes and their index import no cycle). */
export interface RouteOptions {
  deps: AppDeps;
}

export type RoutePlugin = FastifyPluginAsync<RouteOptions>;
