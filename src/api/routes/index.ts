import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../app-deps';
import { createProspectsRoutes } from './create-prospects';
import { dialQueueRoutes } from './dial-queue';
import { prospectRoutes } from './prospects';
import { removeProspectsRoutes } from './remove-prospects';
import { runRoutes } from './runs';
import { skillRoutes } from './skills';
import { sourceMapRoutes } from './source-maps';

/** What every route plugin is registered with. */
export interface RouteOptions {
  deps: AppDeps;
}

export type RoutePlugin = FastifyPluginAsync<RouteOptions>;

/** The API's route plugins, registered in this order: adding one is adding a line. */
export const routePlugins: RoutePlugin[] = [
  skillRoutes,
  sourceMapRoutes,
  createProspectsRoutes,
  prospectRoutes,
  removeProspectsRoutes,
  dialQueueRoutes,
  runRoutes,
];
