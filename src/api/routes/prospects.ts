import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readProspects } from '../../services/read-prospects';
import { errorResponses, ProspectsQuery, ProspectsResponse, SkillNoParams } from '../schemas';
import type { RouteOptions } from './route-plugin';

export const prospectRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get(
    '/v1/skills/:SkillNo/prospects',
    {
      schema: {
        summary: "GETPROSPECT: read a skill's prospects by ExternalID or PhoneNumber",
        description: 'Finalized and expired prospects are returned too, with their Status. At most Limit (default 100).',
        tags: ['prospects'],
        params: SkillNoParams,
        querystring: ProspectsQuery,
        response: { 200: ProspectsResponse, ...errorResponses },
      },
    },
    async (request) => readProspects(deps, request.params.SkillNo, request.query),
  );
};
