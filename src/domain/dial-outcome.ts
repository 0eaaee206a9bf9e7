/** What a dialer reports about one claimed call. */
export const DIAL_OUTCOMES = ['RightParty', 'WrongParty', 'Invalid', 'DoNotCall', 'NoAnswer', 'Busy', 'Machine'] as const;
export type DialOutcome = (typeof DIAL_OUTCOMES)[number];

/**
 * What an outcome does to the queue: `Contact` finalizes the contact, `Number` finalizes the
 * number called (and the contact once no active number remains), `Retry` rests the contact for
 * the skill's MinRetryMinutes. Every reported call counts as one attempt of the contact, and a
 * contact is finalized ('MaxAttempts') once its attempts reach the skill's MaxAttempts.
 */
export type OutcomeEffect = 'Contact' | 'Number' | 'Retry';

const EFFECTS: Record<DialOutcome, OutcomeEffect> = {
  RightParty: 'Contact',
  WrongParty: 'Number',
  Invalid: 'Number',
  DoNotCall: 'Number',
  NoAnswer: 'Retry',
  Busy: 'Retry',
  Machine: 'Retry',
};

export function isDialOutcome(value: unknown): value is DialOutcome {
  return typeof value === 'string' && (DIAL_OUTCOMES as readonly string[]).includes(value);
}

export function outcomeEffect(outcome: DialOutcome): OutcomeEffect {
  return EFFECTS[outcome];
}

/** Why a contact left the queue after an outcome, besides the outcome itself. */
export const FINAL_REASONS = { maxAttempts: 'MaxAttempts', noActiveDestination: 'NoActiveDestination' } as const;
