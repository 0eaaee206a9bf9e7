import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app-deps';
import { requestIdOf } from '../observability/request-id';
import { registerDocs } from './docs';
import { pathOf } from '../web/path-of';
import { frameworkErrorAnswer, installErrorHandling } from './errors';
import { installInputGuard } from './input-guard';
import { registerOperations, type OperationsOptions } from './operations';
import { routePlugins } from './routes';
import type { RouteOptions } from './routes/route-plugin';

export interface BuildServerExtra {
  /** Route plugins beyond the standard ones (tests, roles that add their own pages). */
  plugins?: FastifyPluginAsync<RouteOptions>[];
  /** Access keys, dashboard sampling (tests): see registerOperations. */
  operations?: OperationsOptions;
}

/**
 * The HTTP API, ready for `listen` or `inject`. Request logging is done here rather than by
 * fastify so that a logged URL never carries its query string: a PhoneNumber may be in it.
 */
export function buildServer(deps: AppDeps, extra: BuildServerExtra = {}): FastifyInstance {
  const app = Fastify({
    // pino's Logger carries its own type parameters; fastify only needs the base logger.
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // Every log line of a request carries its id: the caller's sane X-Request-Id, else a UUID.
    genReqId: requestIdOf,
    // A record carrying a "__proto__" or "constructor.prototype" key is answered like any other,
    // without that key, rather than failing the whole call.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    // A too-long SourceName must reach the route and be refused as InvalidSource, not as NotFound.
    routerOptions: { caseSensitive: true, ignoreTrailingSlash: true, maxParamLength: 1000 },
    frameworkErrors: frameworkErrorAnswer,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installInputGuard(app);
  // Docs first (the spec is collected as routes are added), then access control and the
  // operators' routes and dashboards, ahead of every API route.
  registerDocs(app);
  registerOperations(app, deps, extra.operations);

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, path: pathOf(request.url), statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request completed',
    );
  });

  const options: RouteOptions = { deps };
  for (const plugin of [...routePlugins, ...(extra.plugins ?? [])]) app.register(plugin, options);
  return app;
}
