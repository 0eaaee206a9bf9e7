import type { AppDeps } from '../app-deps';
import { recordOutcome as recordClaimOutcome } from '../db/claims';
import { DIAL_OUTCOMES, isDialOutcome, outcomeEffect, type DialOutcome } from '../domain/dial-outcome';
import { CallError } from './errors';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** POST /v1/claims/{ClaimId}/outcome. */
export interface OutcomeAnswer {
  ClaimId: string;
  Outcome: DialOutcome;
  /** Active, or Finalized when this outcome ended the contact. */
  ProspectStatus: string;
  /** Why the contact was finalized (the outcome, MaxAttempts or NoActiveDestination); null while active. */
  FinalReason: string | null;
  /** Status of the number that was called. */
  DestinationStatus: string;
  /** When the contact may be called again after a retry outcome; null otherwise. */
  NextAttemptAt: string | null;
  /** The attempt this call was (1 for the contact's first call). */
  Attempt: number;
}

export function outcomeMessage(): string {
  return `Outcome must be one of ${DIAL_OUTCOMES.join(', ')}`;
}

/**
 * Records what came of a claimed call and releases the contact. RightParty finalizes the contact;
 * WrongParty, Invalid and DoNotCall finalize the number (and the contact when none remains), and
 * DoNotCall adds it to the skill's DoNotCallList when the skill names one (issue 12);
 * NoAnswer, Busy and Machine rest the contact for MinRetryMinutes. Every reported call counts as
 * an attempt, and the contact is finalized when its attempts reach MaxAttempts.
 */
export async function recordOutcome(
  deps: Pick<AppDeps, 'pool' | 'now'>,
  claimId: string,
  input: unknown,
  /** The reporting key's role, kept with the DoNotCallList add of a DoNotCall outcome; null when open. */
  role: string | null = null,
): Promise<OutcomeAnswer> {
  const outcome = (input as { Outcome?: unknown } | null | undefined)?.Outcome;
  if (!isDialOutcome(outcome)) throw new CallError('InvalidData', outcomeMessage());
  if (!UUID.test(claimId)) throw unknownClaim(claimId);
  const now = deps.now();
  const recorded = await recordClaimOutcome(deps.pool, claimId.toLowerCase(), outcome, outcomeEffect(outcome), now, role);
  switch (recorded.kind) {
    case 'UnknownClaim':
      throw unknownClaim(claimId);
    case 'ClaimAlreadyReported':
      throw new CallError(
        'ClaimAlreadyReported',
        `claim ${claimId} was already reported (${recorded.outcome} at ${recorded.reportedAt.toISOString()})`,
      );
    case 'ClaimExpired':
      throw new CallError(
        'ClaimExpired',
        `claim ${claimId} lapsed at ${recorded.expiresAt.toISOString()}; its contact may have been handed out again`,
      );
    case 'Recorded':
      return {
        ClaimId: recorded.claimId,
        Outcome: outcome,
        ProspectStatus: recorded.prospectStatus,
        FinalReason: recorded.prospectStatus === 'Active' ? null : recorded.prospectFinalReason,
        DestinationStatus: recorded.destinationStatus,
        NextAttemptAt: recorded.nextAttemptAt?.toISOString() ?? null,
        Attempt: recorded.attempt,
      };
  }
}

export function unknownClaim(claimId: string): CallError {
  return new CallError('UnknownClaim', `no claim ${claimId.slice(0, 36)}`);
}
