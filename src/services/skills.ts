import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import * as skills from '../db/skills';
import { effectiveWindow, SkillBodySchema, type Skill } from '../domain/skill';
import { zoneFromName } from '../domain/zone-name';
import { CallError, invalidData } from './errors';

/** A skill body with the rules that tie its fields together. */
export const ValidSkillBodySchema = SkillBodySchema.superRefine((body, ctx) => {
  const window = effectiveWindow(body.CallingWindow);
  if (window.Start >= window.End) {
    ctx.addIssue({
      code: 'custom',
      path: ['CallingWindow'],
      message: `Start must come before End inside 08:00-21:00 (effective window ${window.Start}-${window.End})`,
    });
  }
  const refill = body.Refill;
  if (!refill) return;
  if (refill.LowWaterMark > refill.TargetDepth) {
    ctx.addIssue({ code: 'custom', path: ['Refill', 'LowWaterMark'], message: 'must not exceed TargetDepth' });
  }
  if (refill.TargetDepth > refill.MaxInventory) {
    ctx.addIssue({ code: 'custom', path: ['Refill', 'TargetDepth'], message: 'must not exceed MaxInventory' });
  }
  if (refill.TimeZone !== undefined && zoneFromName(refill.TimeZone) === null) {
    ctx.addIssue({ code: 'custom', path: ['Refill', 'TimeZone'], message: 'must be an IANA time zone such as America/Chicago' });
  }
  if (refill.NoTimeZoneReject === 'Yes' && refill.TimeZone === undefined) {
    ctx.addIssue({ code: 'custom', path: ['Refill', 'TimeZone'], message: 'is required when NoTimeZoneReject is "Yes"' });
  }
});

/** A SkillNo as the database holds it. */
export const SkillNoSchema = z
  .number({ error: 'must be a positive integer' })
  .int('must be a positive integer')
  .min(1, 'must be a positive integer')
  .max(2_147_483_647, 'must be at most 2147483647');

/**
 * A SkillNo as it arrives in a path or a query string: digits only, then the database's range, so a
 * number past int4 is a 400 here and never a 500 from Postgres ("value out of range for type integer").
 */
export const SkillNoTextSchema = z
  .string()
  .regex(/^[0-9]{1,10}$/, 'must be a positive integer')
  .transform(Number)
  .pipe(SkillNoSchema);

export type PutSkillResult = Skill & { Result: 'Created' | 'Updated' };

/** Creates or replaces a skill. Throws CallError InvalidData for a bad body. */
export async function putSkill(deps: Pick<AppDeps, 'pool'>, skillNo: number, body: unknown): Promise<PutSkillResult> {
  const parsed = ValidSkillBodySchema.safeParse(body);
  if (!parsed.success) throw invalidData(parsed.error);
  const { skill, created } = await skills.upsertSkill(deps.pool, skillNo, parsed.data);
  return { ...skill, Result: created ? 'Created' : 'Updated' };
}

/** Reads one skill; CallError UnknownSkill when there is none. */
export async function getSkill(deps: Pick<AppDeps, 'pool'>, skillNo: number): Promise<Skill> {
  const skill = await skills.findSkill(deps.pool, skillNo);
  if (!skill) throw unknownSkill(skillNo);
  return skill;
}

export async function listSkills(deps: Pick<AppDeps, 'pool'>): Promise<Skill[]> {
  return skills.listSkills(deps.pool);
}

export function unknownSkill(skillNo: number): CallError {
  return new CallError('UnknownSkill', `no skill ${skillNo}: create it with PUT /v1/skills/${skillNo}`);
}
