import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { triggerRefill, TriggerRefillBodySchema, type RefillTrigger } from '../../services/trigger-refill';
import { errorResponses, SkillNoParams } from '../schemas';
import type { RouteOptions } from './route-plugin';

const RefillAnswer = z.object({ JobId: z.string(), Deduplicated: z.boolean(), Count: z.number() });

/**
 * `POST /v1/skills/{SkillNo}/refill`: the manual trigger. Made per process with the fetch queue it
 * adds to (register it with buildServer's `plugins`).
 */
export function refillRoutes(queue: RefillTrigger): FastifyPluginAsyncZod<RouteOptions> {
  return async (app, { deps }) => {
    app.post(
      '/v1/skills/:SkillNo/refill',
      {
        schema: {
          summary: 'Refill now: queue a fetch for the skill (or answer the one in flight)',
          description:
            "Without Count, asks TargetDepth - CallableNow; either way bounded by the room left under MaxInventory (the answer's Count is " +
            'what was asked). 404 UnknownSkill, 409 RefillNotConfigured, 409 InventoryFull (the skill is at or past MaxInventory), ' +
            '503 QueueUnavailable.',
          tags: ['refill'],
          params: SkillNoParams,
          body: TriggerRefillBodySchema.nullish(),
          response: { 202: RefillAnswer, ...errorResponses },
        },
      },
      async (request, reply) => {
        const answer = await triggerRefill(deps, queue, request.params.SkillNo, request.body ?? {});
        return reply.code(202).send(answer);
      },
    );
  };
}
