import type { FastifyPluginAsync } from 'fastify';
import { serviceMetrics, type ScrapeSources, type ServiceMetrics } from '../../observability/metrics';

export interface MetricsRouteOptions {
  metrics?: ServiceMetrics;
  sources?: ScrapeSources;
}

/**
 * `GET /metrics` (no key needed) and the HTTP duration histogram. Registered on the root instance
 * (not encapsulated) so its onResponse hook times every route; the label is the route template,
 * so neither a path parameter nor a query string ever reaches a label.
 */
const plugin: FastifyPluginAsync<MetricsRouteOptions> = async (app, opts) => {
  const metrics = opts.metrics ?? serviceMetrics;
  if (opts.sources) metrics.setSources(opts.sources);

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.get(
    '/metrics',
    { schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition format)' } },
    async (_request, reply) => {
      const body = await metrics.metrics();
      return reply.type(metrics.contentType).send(body);
    },
  );
};
(plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export const metricsRoutes = plugin;
