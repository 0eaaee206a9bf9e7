import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getSkill, listSkills, putSkill } from '../../services/skills';
import { errorResponses, PutSkillResponse, SkillBody, SkillListResponse, SkillNoParams, SkillSchema } from '../schemas';
import type { RouteOptions } from './route-plugin';

export const skillRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.put(
    '/v1/skills/:SkillNo',
    {
      schema: {
        summary: 'Create or replace an outbound skill',
        tags: ['skills'],
        params: SkillNoParams,
        body: SkillBody,
        response: { 200: PutSkillResponse, ...errorResponses },
      },
    },
    async (request) => putSkill(deps, request.params.SkillNo, request.body),
  );

  app.get(
    '/v1/skills/:SkillNo',
    {
      schema: {
        summary: 'Read one skill',
        tags: ['skills'],
        params: SkillNoParams,
        response: { 200: SkillSchema, ...errorResponses },
      },
    },
    async (request) => getSkill(deps, request.params.SkillNo),
  );

  app.get(
    '/v1/skills',
    { schema: { summary: 'List the skills', tags: ['skills'], response: { 200: SkillListResponse, ...errorResponses } } },
    async () => ({ Skills: await listSkills(deps) }),
  );
};
