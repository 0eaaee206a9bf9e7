import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { callableCounts } from '../db/dial-queue';
import { findSkill } from '../db/skills';
import { manualFetchCount } from '../domain/refill-plan';
import { CallError, invalidData } from './errors';
import { MAX_RECORDS_PER_CALL } from './create-prospects';
import { unknownSkill } from './skills';

/** The fetch queue as this use case needs it (the queue module's RefillQueue fits). */
export interface RefillTrigger {
  enqueue(data: { skillNo: number; count: number; origin: 'Brain' | 'Manual' }): Promise<{ JobId: string; Deduplicated: boolean }>;
}

export const TriggerRefillBodySchema = z
  .object({
    Count: z
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_RECORDS_PER_CALL, `must be at most ${MAX_RECORDS_PER_CALL}`)
      .optional(),
  })
  .strict();

export interface TriggerRefillAnswer {
  JobId: string;
  Deduplicated: boolean;
  /**
   * Records asked for: the Count given or TargetDepth - CallableNow, bounded by the room left under
   * MaxInventory. When Deduplicated, the fetch already queued keeps its own count.
   */
  Count: number;
}

/**
 * "Refill now" for an operator (API, CLI, dashboard): queues a fetch for the skill, or answers
 * the one already waiting or running. Without a Count it asks what the brain would:
 * TargetDepth - CallableNow, and at least one record. Either way the count is bounded by the room
 * left under MaxInventory, and a skill at or past it is refused (409 InventoryFull): a manual
 * refill must not grow the inventory past what the skill allows any more than the brain's.
 */
export async function triggerRefill(
  deps: Pick<AppDeps, 'pool' | 'now'>,
  queue: RefillTrigger,
  skillNo: number,
  body: unknown = {},
): Promise<TriggerRefillAnswer> {
  const parsed = TriggerRefillBodySchema.safeParse(body ?? {});
  if (!parsed.success) throw invalidData(parsed.error);
  const skill = await findSkill(deps.pool, skillNo);
  if (!skill) throw unknownSkill(skillNo);
  const refill = skill.Refill;
  if (!refill?.Connector) {
    throw new CallError(
      'RefillNotConfigured',
      `skill ${skillNo} has no Refill.Connector to fetch from: add one with PUT /v1/skills/${skillNo}`,
    );
  }
  const [counts] = await callableCounts(deps.pool, deps.now(), [skillNo]);
  const activeTotal = counts?.activeTotal ?? 0;
  const view = { targetDepth: refill.TargetDepth, maxInventory: refill.MaxInventory, callableNow: counts?.callableNow ?? 0, activeTotal };
  const count = Math.min(manualFetchCount(view, parsed.data.Count), MAX_RECORDS_PER_CALL);
  if (count === 0) {
    throw new CallError(
      'InventoryFull',
      `skill ${skillNo} holds ${activeTotal} active prospects, at or past its MaxInventory of ${refill.MaxInventory}: ` +
        `nothing is fetched until some are finalized or removed (or raise Refill.MaxInventory with PUT /v1/skills/${skillNo})`,
    );
  }
  try {
    const answer = await queue.enqueue({ skillNo, count, origin: 'Manual' });
    return { ...answer, Count: count };
  } catch (err) {
    throw new CallError('QueueUnavailable', `the refill could not be queued: ${err instanceof Error ? err.message : String(err)}`);
  }
}
