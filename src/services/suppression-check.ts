import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { findSuppressions } from '../db/suppression-reads';
import { maskPhone, normalizePhone } from '../domain/phone-number';
import { e164Digits, e164FromDigits, leadingPrefixes } from '../domain/suppression';
import { CallError } from './errors';
import { SkillNoTextSchema, unknownSkill } from './skills';

export const CheckQuerySchema = z.object({
  PhoneNumber: z.string({ error: 'is required' }).min(1, 'is required').max(64),
  SkillNo: SkillNoTextSchema.optional(),
});

export interface CheckAnswer {
  PhoneNumber: string;
  SkillNo?: number;
  Suppressed: boolean;
  Matches: Array<{
    ListName: string;
    PhoneNumber?: string;
    Prefix?: string;
    ExpiresAt: string | null;
    Reason: string | null;
    AddedAt: string;
  }>;
}

/**
 * Is this number suppressed (for this skill), by what, since when: its number entries and the
 * prefix entries over it that are in force now, on every list or on the lists the skill applies
 * (the same lists its claims apply). One statement (db/suppression-reads.ts findSuppressions).
 */
export async function checkSuppression(
  deps: Pick<AppDeps, 'pool' | 'config' | 'now'>,
  query: { PhoneNumber: string; SkillNo?: number | undefined },
): Promise<CheckAnswer> {
  const phone = normalizePhone(query.PhoneNumber, deps.config.defaultCountry);
  if (!phone) throw new CallError('InvalidPhoneNumber', `PhoneNumber ${maskPhone(query.PhoneNumber)} is not a valid phone number`);
  const skillNo = query.SkillNo ?? null;
  const number = e164Digits(phone.phoneNumber);
  const { skillFound, matches } = await findSuppressions(deps.pool, number, leadingPrefixes(String(number)), deps.now(), skillNo);
  if (!skillFound) throw unknownSkill(skillNo!);
  return {
    PhoneNumber: phone.phoneNumber,
    ...(skillNo !== null ? { SkillNo: skillNo } : {}),
    Suppressed: matches.length > 0,
    Matches: matches.map((m) => ({
      ListName: m.listName,
      ...(m.number !== null ? { PhoneNumber: e164FromDigits(m.number) } : { Prefix: e164FromDigits(m.prefix!) }),
      ExpiresAt: m.expiresAt ? m.expiresAt.toISOString() : null,
      Reason: m.reason,
      AddedAt: m.addedAt.toISOString(),
    })),
  };
}
