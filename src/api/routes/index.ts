import { callingRulesRoutes } from './calling-rules';
import { createProspectsRoutes } from './create-prospects';
import { dialQueueRoutes } from './dial-queue';
import { prospectRoutes } from './prospects';
import { removeProspectsRoutes } from './remove-prospects';
import { runRoutes } from './runs';
import { skillRoutes } from './skills';
import { sourceMapRoutes } from './source-maps';
import { suppressionRoutes } from './suppression';
import type { RoutePlugin } from './route-plugin';

/** The API's route plugins, registered in this order: adding one is adding a line. */
export const routePlugins: RoutePlugin[] = [
  skillRoutes,
  sourceMapRoutes,
  createProspectsRoutes,
  prospectRoutes,
  removeProspectsRoutes,
  dialQueueRoutes,
  runRoutes,
  callingRulesRoutes,
  suppressionRoutes,
];
