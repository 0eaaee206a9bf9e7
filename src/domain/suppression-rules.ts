/**
 * The do-not-call rules this service's suppression lists stand for, each with its citation and
 * the date it took effect, read from the Federal Register notices and the FCC orders (not from a
 * summary). They are data: GET /v1/suppression-lists shows them, the README lists them, and the
 * code that keeps history and honours entries points here.
 *
 * What the service does about each one:
 * - Retention: an entry's history (every add and removal, with who, when and why) is never
 *   deleted by a removal, an undo or a list's deletion; nothing in the service expires it.
 * - Honouring: an entry suppresses from the moment its add call is answered (load and claim read
 *   the lists in their own statements), well inside any deadline below.
 * - Registry scrub: the service holds the national registry as a list loaded by
 *   `suppression import`; refreshing it within the period is the operator's duty.
 */
export interface SuppressionRule {
  /** A short name used in messages and the API. */
  Name: string;
  Citation: string;
  /** The day the rule as described here took effect (YYYY-MM-DD); null where the source read gives none. */
  EffectiveDate: string | null;
  Rule: string;
  /** The period, as data: days (calendar or business) or years. */
  Period: { Value: number; Unit: 'BusinessDays' | 'Days' | 'Years' };
}

export const SUPPRESSION_RULES: readonly SuppressionRule[] = [
  {
    Name: 'InternalListHonoured',
    Citation: '47 CFR § 64.1200(d)(3), as amended by FCC 24-24 (89 FR 15756)',
    EffectiveDate: '2025-04-11',
    Rule:
      'A do-not-call request to a caller is recorded on its internal list and honoured within a reasonable ' +
      'time not exceeding ten business days from its receipt (30 days before the amendment).',
    Period: { Value: 10, Unit: 'BusinessDays' },
  },
  {
    Name: 'InternalListRetention',
    // FCC 03-153 (68 FR 44144, 2003-07-25) made (d)(6) effective on a later OMB notice, not read here.
    Citation: '47 CFR § 64.1200(d)(6) (FCC 03-153, 68 FR 44144)',
    EffectiveDate: null,
    Rule: "A do-not-call request is honoured for 5 years from the time it was made, so the list's record of it is kept at least as long.",
    Period: { Value: 5, Unit: 'Years' },
  },
  {
    Name: 'NationalRegistryScrub',
    Citation: '16 CFR § 310.4(b)(3)(iv); 47 CFR § 64.1200(c)(2)(i)(D) (FCC 04-204)',
    EffectiveDate: '2005-01-01',
    Rule:
      'Calls use a version of the National Do Not Call Registry obtained not more than 31 days before the call: ' +
      'reload the registry list with `suppression import` at least every 31 days.',
    Period: { Value: 31, Unit: 'Days' },
  },
  {
    Name: 'RevocationHonoured',
    Citation: '47 CFR § 64.1200(a)(10), added by FCC 24-24 (89 FR 15756)',
    EffectiveDate: '2025-04-11',
    Rule:
      'Consent revoked by any reasonable means is honoured within a reasonable time not exceeding ten business ' +
      'days of the request (its "revoke-all" reach to unrelated messages was deferred by the FCC to 2026-04-11; ' +
      'the list Revocations applies to every skill already).',
    Period: { Value: 10, Unit: 'BusinessDays' },
  },
];

/** The retention period of a list's history, in years (47 CFR § 64.1200(d)(6)). */
export const HISTORY_RETENTION_YEARS = 5;
/** The most business days an add or revocation may take to be honoured (47 CFR § 64.1200(d)(3), (a)(10)). */
export const HONOUR_WITHIN_BUSINESS_DAYS = 10;
