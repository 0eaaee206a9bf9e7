import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { claimCalls } from '../db/claims';
import { findSkill } from '../db/skills';
import { observeSuppressedAtClaim } from '../observability/metrics';
import { invalidData } from './errors';
import { unknownSkill } from './skills';

export const MAX_CLAIM_LIMIT = 1000;

export const ClaimInputSchema = z
  .object({
    Limit: z
      .number({ error: `must be a whole number from 1 to ${MAX_CLAIM_LIMIT}` })
      .int(`must be a whole number from 1 to ${MAX_CLAIM_LIMIT}`)
      .min(1, 'must be at least 1')
      .max(MAX_CLAIM_LIMIT, `must be at most ${MAX_CLAIM_LIMIT}`)
      .default(1)
      .meta({ description: `How many numbers to hand out at most, 1 to ${MAX_CLAIM_LIMIT}; 1 when absent` }),
    Mode: z
      .enum(['Autodial', 'Manual'], { error: 'must be Autodial or Manual' })
      .default('Autodial')
      .meta({
        description:
          'Autodial (the default) hands out only numbers a dialer may dial by itself; Manual also those that must be ' +
          'dialed by hand (a contact flagged Compliance; a Mobile number without consent where the skill requires it)',
      }),
  })
  .default({ Limit: 1, Mode: 'Autodial' });
export type ClaimInput = z.input<typeof ClaimInputSchema>;

/** One number handed to a dialer; its contact is held until the outcome or the claim's lapse. */
export interface ClaimView {
  ClaimId: string;
  ExternalID: string;
  SourceName: string;
  PhoneNumber: string;
  /** The number's own zone. */
  TimeZone: string;
  /** 1 for the contact's first call. */
  Attempt: number;
  Priority: number;
  FirstName: string | null;
  LastName: string | null;
  /** When the claim lapses: report the outcome before then. */
  ExpiresAt: string;
  /** The contact's own expiration, as GETPROSPECT answers it. */
  ExpirationDate: string | null;
  /** The number must be dialed by hand (only a Manual claim hands such a number out). */
  ManualDialOnly: boolean;
}

/** POST /v1/skills/{SkillNo}/dial-queue/claim. */
export async function claimProspects(
  deps: Pick<AppDeps, 'pool' | 'now'>,
  skillNo: number,
  input: unknown,
): Promise<{ Claims: ClaimView[] }> {
  const parsed = ClaimInputSchema.safeParse(input ?? undefined);
  if (!parsed.success) throw invalidData(parsed.error);
  const claimed = await claimCalls(deps.pool, skillNo, parsed.data.Limit, deps.now(), parsed.data.Mode);
  observeSuppressedAtClaim(
    skillNo,
    claimed.reduce((n, c) => n + c.suppressedSkipped, 0),
  );
  // Nothing handed out is the everyday answer of an empty queue; only then ask whether the skill exists.
  if (claimed.length === 0 && !(await findSkill(deps.pool, skillNo))) throw unknownSkill(skillNo);
  return {
    Claims: claimed.map((c) => ({
      ClaimId: c.claimId,
      ExternalID: c.externalId,
      SourceName: c.sourceName,
      PhoneNumber: c.phoneNumber,
      TimeZone: c.timeZone,
      Attempt: c.attempt,
      Priority: c.priority,
      FirstName: c.firstName,
      LastName: c.lastName,
      ExpiresAt: c.claimExpiresAt.toISOString(),
      ExpirationDate: c.expirationDate,
      ManualDialOnly: c.manualDialOnly,
    })),
  };
}
