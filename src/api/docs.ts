import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/**
 * The OpenAPI description, built from the same zod schemas the routes validate with, browsable at
 * `/docs` and as JSON at `/docs/json`. Must be called before any route is registered: the spec is
 * collected from an onRoute hook, and a route added before it is missing from the spec.
 */
export function registerDocs(app: FastifyInstance, opts: { version?: string } = {}): void {
  app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'prospect-feeder',
        description:
          'Keeps outbound dialing queues fed with prospects from a CRM: skills, source maps (CREATESOURCEMAP), ' +
          'create-prospects (CREATEPROSPECTS v2), the dialing queue, refill runs and their results.\n\n' +
          'Send `Authorization: Bearer <key>` (roles: operator, dialer, viewer) unless the service runs without `API_KEYS`.',
        version: opts.version ?? '0.1.0',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS' } },
      },
      security: [{ bearerAuth: [] }],
      tags: [
        { name: 'skills', description: 'Outbound skills and their refill settings' },
        { name: 'source-maps', description: 'CREATESOURCEMAP' },
        { name: 'prospects', description: 'CREATEPROSPECTS v2, GETPROSPECT, REMOVEPROSPECTS' },
        { name: 'dial-queue', description: 'The dialing queue: depth, claims, outcomes' },
        { name: 'runs', description: 'Refill runs and their per-record results' },
        { name: 'operations', description: 'Probes and metrics (no key needed)' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, persistAuthorization: false },
  });
}
