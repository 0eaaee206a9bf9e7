import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { checkCallingRules, readCallingRules } from '../../services/calling-rules-check';
import { errorResponses } from '../schemas';
import { SkillNoTextSchema } from '../../services/skills';
import type { RouteOptions } from './route-plugin';

const CheckQuery = z.object({
  PhoneNumber: z.string().min(1).max(64),
  State: z.string().min(1).max(40).optional(),
  Zip: z.string().min(1).max(12).optional(),
  At: z.string().max(40).optional().meta({ description: 'ISO 8601 instant with offset; default now' }),
  SkillNo: SkillNoTextSchema.optional(),
  Mode: z
    .enum(['Autodial', 'Manual'])
    .optional()
    .meta({ description: 'How the call would be dialed (default Autodial): rules written for automated calls do not hold Manual ones' }),
});

const CheckResponse = z.object({
  Callable: z.boolean(),
  NextCallableAt: z.string().nullable(),
  Reasons: z.array(z.string()),
});

const RulesResponse = z.object({
  Version: z.string(),
  Federal: z.record(z.string(), z.unknown()),
  States: z.record(z.string(), z.unknown()),
});

/** The calling-rules file and the "when may I call?" check (contract section 9). */
export const callingRulesRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get(
    '/v1/calling-rules',
    {
      schema: {
        summary: "The calling rules in force: their version and every state's rules with citations",
        description:
          "The repository's rules file, plus the installation's own rules when CALLING_RULES_FILE is set " +
          '(then Version reads `<repository>+<installation>`, as claims record it).',
        tags: ['calling-rules'],
        response: { 200: RulesResponse, ...errorResponses },
      },
    },
    async () => readCallingRules(),
  );

  app.get(
    '/v1/calling-rules/check',
    {
      schema: {
        summary: 'Whether a number is callable at an instant, why not, and when next (within 14 days)',
        tags: ['calling-rules'],
        querystring: CheckQuery,
        response: { 200: CheckResponse, ...errorResponses },
      },
    },
    async (request) => checkCallingRules(deps, request.query, new Date()),
  );
};
