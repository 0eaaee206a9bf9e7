import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { removeProspects } from '../../services/remove-prospects';
import { errorResponses, RemoveProspectsBody, ResultsResponse } from '../schemas';
import { BULK_BODY_LIMIT } from './create-prospects';
import type { RouteOptions } from './route-plugin';

export const removeProspectsRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.post(
    '/v1/remove-prospects',
    {
      bodyLimit: BULK_BODY_LIMIT,
      schema: {
        summary: 'REMOVEPROSPECTS: delete prospects of a skill by ExternalID',
        description: 'Each record is answered Removed or NotFound (or MissingExternalId / DuplicateExternalId).',
        tags: ['prospects'],
        body: RemoveProspectsBody,
        response: { 200: ResultsResponse, ...errorResponses },
      },
    },
    async (request) => {
      const outcome = await removeProspects(deps, request.body);
      return { Results: outcome.Results };
    },
  );
};
