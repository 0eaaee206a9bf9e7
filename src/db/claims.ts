import type { OutcomeEffect } from '../domain/dial-outcome';
import { FINAL_REASONS } from '../domain/dial-outcome';
import { FREE_SQL, IN_QUEUE_SQL, WINDOW_END_SQL, WINDOW_START_SQL } from './dial-queue';
import type { DbClient } from './pool';
import {
  CAPS_SQL,
  LOCAL_PLACE_SQL,
  OPEN_PLACES_SQL,
  SKILL_FLAGS_SQL,
  UNDER_CAPS_SQL,
  currentRulesParams,
  rulesRefs,
  rulesValues,
} from './calling-rules-sql';
import { ACTIVE_NUMBER_PLACES_SQL, ACTIVE_NUMBER_ZONES_SQL } from './prospects';
import { NUMBER_KEY_SQL, PREFIX_LENGTHS_SQL, SKILL_LIST_IDS_SQL, SUPPRESSED_SQL } from './suppression-match';

/** How long a claim holds its contact when no outcome comes back. */
export const CLAIM_MINUTES = 15;

export interface ClaimedCall {
  claimId: string;
  prospectId: number;
  externalId: string;
  sourceName: string;
  firstName: string | null;
  lastName: string | null;
  priority: number;
  /** The prospect's own expiration as stored: a date or an ISO instant; null when none. */
  expirationDate: string | null;
  position: number;
  phoneNumber: string;
  /** The destination's own zone. */
  timeZone: string;
  attempt: number;
  /** When the claim lapses and the contact may be handed out again. */
  claimExpiresAt: Date;
  /** The number must be dialed by hand (the contact's Compliance flag, or a Mobile number without consent). */
  manualDialOnly: boolean;
  /** Numbers of the contact ahead of this one (by position, callable now) passed over as suppressed. */
  suppressedSkipped: number;
}

/** Contract section 9: `Manual` claims also take numbers that must be dialed by hand. */
export type ClaimMode = 'Autodial' | 'Manual';

/**
 * Hands out up to `limit` callable-now contacts of a skill, highest Priority first, then contacts
 * never called in the order they came, then retries in the order they fell due; each with its
 * first callable number by position. One statement: the pick locks the prospect rows with SKIP
 * LOCKED, so concurrent claims pass over each other's rows instead of waiting or handing out one
 * contact twice (a contact another claim has just taken is re-checked and dropped), and it walks
 * past held and resting contacts inside prospects_dial_idx. Answers nothing for an unknown skill.
 *
 * Do-not-call (issue 12): a number held by a list the skill applies (a number entry, a prefix
 * entry, a revocation; not past its ExpiresAt at `now`) is never handed out, whenever it was
 * loaded; the contact's next number is. The statement's snapshot sees every entry whose add had
 * committed when it started, so an add takes effect for the very next claim. The skill's lists
 * and their prefix lengths are read once per statement; each candidate number then costs one
 * probe of suppression_numbers_pkey and one of suppression_prefixes_pkey per prefix length in use
 * (none when the lists hold no prefix). A contact whose every number is suppressed stays in the
 * queue (its entries may expire or be removed) and is walked past.
 *
 * Calling rules, caps and dial mode (issue 13, contract section 9): the places open now
 * (calling-rules-sql.ts: the window and federal hours, and with StateRules the states' hours and
 * closed days, each in its own zone) are listed once; the contact's place and one of its numbers'
 * must be among them (prospects_dial_idx alone), and the number handed out is the first open one
 * under every cap. In `Autodial` mode, a contact flagged Compliance and, where the skill requires
 * wireless consent, a Mobile number without it are left out; `Manual` takes them and the claim says
 * ManualDialOnly. Every claim keeps the rules version and the caps that applied.
 */
export async function claimCalls(
  client: DbClient,
  skillNo: number,
  limit: number,
  now: Date,
  mode: ClaimMode = 'Autodial',
): Promise<ClaimedCall[]> {
  const { rows } = await client.query<{
    claim_id: string;
    prospect_id: number;
    external_id: string;
    source_name: string;
    first_name: string | null;
    last_name: string | null;
    priority: number;
    expiration_date: string | null;
    position: number;
    phone_number: string;
    time_zone: string;
    attempt: number;
    expires_at: Date;
    manual_dial_only: boolean;
    suppressed_skipped: number;
  }>(claimStatement(skillNo, limit, now, mode));
  return rows.map((r) => ({
    claimId: r.claim_id,
    prospectId: r.prospect_id,
    externalId: r.external_id,
    sourceName: r.source_name,
    firstName: r.first_name,
    lastName: r.last_name,
    priority: r.priority,
    expirationDate: r.expiration_date,
    position: r.position,
    phoneNumber: r.phone_number,
    timeZone: r.time_zone,
    attempt: r.attempt,
    claimExpiresAt: r.expires_at,
    manualDialOnly: r.manual_dial_only,
    suppressedSkipped: r.suppressed_skipped,
  }));
}

/** The statement claimCalls runs (exported so tests can EXPLAIN it). */
export function claimStatement(
  skillNo: number,
  limit: number,
  now: Date,
  mode: ClaimMode,
): { name: string; text: string; values: unknown[] } {
  const rules = currentRulesParams(now, mode);
  const r = rulesRefs(7);
  return {
    // Prepared once per connection: parsing and planning this statement cost more than running it.
    name: 'claim-calls',
    text: `WITH ${LOCAL_PLACE_SQL('$3', r)},
     sk AS MATERIALIZED (
       SELECT s.skill_no, ${WINDOW_START_SQL} AS ws, ${WINDOW_END_SQL} AS we, ${SKILL_FLAGS_SQL}
       FROM skills s WHERE s.skill_no = $1
     ),
     win AS MATERIALIZED (
       SELECT sk.wcr, CASE WHEN $5 = 'Manual' THEN ${OPEN_PLACES_SQL('sk', false)} ELSE ${OPEN_PLACES_SQL('sk', true)} END AS open
       FROM sk
     ),
     caps AS MATERIALIZED (${CAPS_SQL(r)}),
     lists AS MATERIALIZED (SELECT ${SKILL_LIST_IDS_SQL('$1')} AS ids),
     lens AS MATERIALIZED (SELECT ${PREFIX_LENGTHS_SQL('lists.ids')} AS lens FROM lists),
     picked AS (
       SELECT p.prospect_id, p.external_id, p.source_name, p.first_name, p.last_name, p.priority,
              p.expiration_date, p.attempts, p.available_at, p.state AS contact_state, p.dial_by_hand,
              d.position, d.phone_number, d.time_zone, d.state AS number_state, d.place
       FROM prospects p
       CROSS JOIN LATERAL (
         SELECT d.position, d.phone_number, d.time_zone, d.state, d.place FROM destinations d
         WHERE d.prospect_id = p.prospect_id AND d.status = 'Active' AND d.place = ANY((SELECT open FROM win)::text[])
           AND NOT ${SUPPRESSED_SQL(NUMBER_KEY_SQL('d.phone_number'), '(SELECT ids FROM lists)', '(SELECT lens FROM lens)', '$3::timestamptz')}
           AND ${UNDER_CAPS_SQL('p', 'd', '$3', r, 'caps k')}
         ORDER BY d.position LIMIT 1
       ) d
       WHERE p.skill_no = $1 AND ${IN_QUEUE_SQL('p', '$3')} AND ${FREE_SQL('p', '$3')}
         AND p.place = ANY((SELECT open FROM win)::text[]) AND p.number_places && (SELECT open FROM win)
         AND ($5 = 'Manual' OR NOT p.dial_by_hand)
       ORDER BY p.priority DESC, p.available_at, p.prospect_id
       LIMIT $2
       FOR UPDATE OF p SKIP LOCKED
     ),
     held AS (
       UPDATE prospects p SET claimed_until = $3::timestamptz + make_interval(mins => $4), last_claimed_at = $3::timestamptz
       FROM picked WHERE p.prospect_id = picked.prospect_id
     ),
     made AS (
       INSERT INTO claims (claim_id, skill_no, prospect_id, position, attempt, claimed_at, expires_at,
                           phone_number, mode, manual_dial_only, rules_version, caps)
       SELECT gen_random_uuid(), $1, prospect_id, position, attempts + 1, $3, $3::timestamptz + make_interval(mins => $4),
              phone_number, $5, dial_by_hand OR ((SELECT wcr FROM win) AND place LIKE '%|W'), $6,
              (SELECT coalesce(jsonb_agg(jsonb_build_object('Rule', k.rule, 'Calls', k.calls, 'WindowHours', k.hours,
                                                            'Scope', CASE WHEN k.per_number THEN 'Number' ELSE 'Contact' END)
                                         ORDER BY k.rule), '[]'::jsonb)
               FROM caps k WHERE k.state IS NULL OR k.state = picked.contact_state OR k.state = picked.number_state)
       FROM picked
       RETURNING claim_id, prospect_id, attempt, expires_at, manual_dial_only
     )
     SELECT made.claim_id, made.attempt, made.expires_at, made.manual_dial_only, picked.*,
            -- Numbers ahead of the one handed out, open now, passed over as suppressed.
            (SELECT count(*) FROM destinations o
             WHERE o.prospect_id = picked.prospect_id AND o.status = 'Active' AND o.position < picked.position
               AND o.place = ANY((SELECT open FROM win)::text[])
               AND ${SUPPRESSED_SQL(NUMBER_KEY_SQL('o.phone_number'), '(SELECT ids FROM lists)', '(SELECT lens FROM lens)', '$3::timestamptz')})::int AS suppressed_skipped
     FROM made JOIN picked USING (prospect_id)
     ORDER BY picked.priority DESC, picked.available_at, picked.prospect_id`,
    values: [skillNo, limit, now, CLAIM_MINUTES, mode, rules.version, ...rulesValues(rules)],
  };
}

/** A claim as GET /v1/claims/{ClaimId} answers it. */
export interface StoredClaim {
  claimId: string;
  skillNo: number;
  externalId: string | null;
  sourceName: string | null;
  /** E.164 of the number handed out; null for a claim made before migration 040 whose number is gone. */
  phoneNumber: string | null;
  attempt: number;
  mode: string;
  manualDialOnly: boolean;
  claimedAt: Date;
  expiresAt: Date;
  outcome: string | null;
  reportedAt: Date | null;
  rulesVersion: string | null;
  caps: Array<{ Rule: string; Calls: number; WindowHours: number; Scope: string }>;
}

/** One claim by its id, or null. */
export async function findClaim(client: DbClient, claimId: string): Promise<StoredClaim | null> {
  const { rows } = await client.query<{
    claim_id: string;
    skill_no: number;
    external_id: string | null;
    source_name: string | null;
    phone_number: string | null;
    attempt: number;
    mode: string;
    manual_dial_only: boolean;
    claimed_at: Date;
    expires_at: Date;
    outcome: string | null;
    reported_at: Date | null;
    rules_version: string | null;
    caps: StoredClaim['caps'];
  }>(
    `SELECT c.claim_id, c.skill_no, p.external_id, p.source_name, c.phone_number, c.attempt, c.mode, c.manual_dial_only,
            c.claimed_at, c.expires_at, c.outcome, c.reported_at, c.rules_version, c.caps
     FROM claims c LEFT JOIN prospects p USING (prospect_id) WHERE c.claim_id = $1`,
    [claimId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    claimId: r.claim_id,
    skillNo: r.skill_no,
    externalId: r.external_id,
    sourceName: r.source_name,
    phoneNumber: r.phone_number,
    attempt: r.attempt,
    mode: r.mode,
    manualDialOnly: r.manual_dial_only,
    claimedAt: r.claimed_at,
    expiresAt: r.expires_at,
    outcome: r.outcome,
    reportedAt: r.reported_at,
    rulesVersion: r.rules_version,
    caps: r.caps,
  };
}

/** The reason kept with an entry a DoNotCall outcome added. */
export const DO_NOT_CALL_OUTCOME_REASON = 'DoNotCall outcome';

export interface RecordedOutcome {
  kind: 'Recorded';
  claimId: string;
  prospectStatus: string;
  prospectFinalReason: string | null;
  destinationStatus: string;
  /** When the contact may be called again; null when it was not asked to rest (or is finalized). */
  nextAttemptAt: Date | null;
  /** The attempt this call was: the contact's attempts after counting it. */
  attempt: number;
}

export type OutcomeRecording =
  | RecordedOutcome
  | { kind: 'UnknownClaim' }
  | { kind: 'ClaimAlreadyReported'; outcome: string; reportedAt: Date }
  | { kind: 'ClaimExpired'; expiresAt: Date };

/**
 * Records a dialer's outcome in one statement: marks the claim reported (only a live, unreported
 * claim matches, so two reports of one claim cannot both apply), counts the attempt, finalizes
 * the number and/or the contact or rests the contact, and releases the claim; a DoNotCall outcome
 * adds the number to the skill's DoNotCallList (a batch of source Outcome with the claim and
 * `role`). When nothing
 * matched, a second read says why.
 */
export async function recordOutcome(
  client: DbClient,
  claimId: string,
  outcome: string,
  effect: OutcomeEffect,
  now: Date,
  /** The reporting key's role, kept with a DoNotCall add; null when the service is open. */
  role: string | null = null,
): Promise<OutcomeRecording> {
  const { rows } = await client.query<{
    prospect_status: string;
    final_reason: string | null;
    destination_status: string;
    next_attempt_at: Date | null;
    attempts: number;
  }>(
    `WITH c AS (
       UPDATE claims SET outcome = $2, reported_at = $4
       WHERE claim_id = $1 AND outcome IS NULL AND expires_at > $4
       RETURNING prospect_id, position
     ),
     -- A DoNotCall outcome also adds the number to the skill's DoNotCallList, when it names one
     -- that exists (locked FOR KEY SHARE, as every entry writer locks it: a deletion, which takes
     -- the row FOR UPDATE, waits; two DoNotCall outcomes at once no longer deadlock, as they did
     -- holding FOR SHARE and then each wanting the entry-count trigger's row lock), in this same statement.
     -- As every add does (migration 020), the add it replaces is kept in the history first.
     dnc AS (
       SELECT l.list_id, ${NUMBER_KEY_SQL('d.phone_number')} AS number
       FROM c JOIN prospects p USING (prospect_id) JOIN skills s ON s.skill_no = p.skill_no
       JOIN destinations d ON d.prospect_id = c.prospect_id AND d.position = c.position
       JOIN suppression_lists l ON l.name = s.body->'Compliance'->>'DoNotCallList' AND l.deleted_at IS NULL
       WHERE $2 = 'DoNotCall'
       FOR KEY SHARE OF l
     ),
     dnc_replaced AS (
       INSERT INTO suppression_history (list_id, number, action, batch_id, expires_at, reason)
       SELECT sn.list_id, sn.number, 'Added', sn.batch_id, sn.expires_at, sn.reason
       FROM dnc JOIN suppression_numbers sn USING (list_id, number)
     ),
     dnc_batch AS (
       INSERT INTO suppression_batches (list_id, source, role, at, claim_id)
       SELECT list_id, 'Outcome', $5, $4, $1::uuid FROM dnc
       RETURNING batch_id, list_id
     ),
     dnc_entry AS (
       INSERT INTO suppression_numbers (number, list_id, batch_id, expires_at, reason)
       SELECT dnc.number, dnc.list_id, b.batch_id, NULL, '${DO_NOT_CALL_OUTCOME_REASON}'
       FROM dnc JOIN dnc_batch b USING (list_id)
       ON CONFLICT (number, list_id) DO UPDATE SET batch_id = EXCLUDED.batch_id, expires_at = NULL, reason = EXCLUDED.reason
     ),
     decided AS (
       SELECT c.prospect_id, c.position, s.min_retry_minutes,
              CASE
                WHEN p.status <> 'Active' THEN NULL
                WHEN $3 = 'Contact' THEN $2
                WHEN $3 = 'Number' AND NOT EXISTS (
                  SELECT 1 FROM destinations o
                  WHERE o.prospect_id = c.prospect_id AND o.position <> c.position AND o.status = 'Active'
                ) THEN '${FINAL_REASONS.noActiveDestination}'
                WHEN p.attempts + 1 >= s.max_attempts THEN '${FINAL_REASONS.maxAttempts}'
              END AS contact_final_reason
       FROM c JOIN prospects p USING (prospect_id) JOIN skills s ON s.skill_no = p.skill_no
     ),
     number AS (
       UPDATE destinations d SET status = 'Finalized', final_reason = $2
       FROM decided
       WHERE $3 = 'Number' AND d.prospect_id = decided.prospect_id AND d.position = decided.position
       RETURNING d.status
     ),
     contact AS (
       UPDATE prospects p SET
         attempts = p.attempts + 1,
         claimed_until = NULL,
         status = CASE WHEN decided.contact_final_reason IS NULL THEN p.status ELSE 'Finalized' END,
         final_reason = COALESCE(decided.contact_final_reason, p.final_reason),
         next_attempt_at = CASE
           WHEN $3 = 'Retry' AND decided.contact_final_reason IS NULL
           THEN $4::timestamptz + make_interval(mins => decided.min_retry_minutes)
           ELSE p.next_attempt_at END,
         -- Its active numbers' zones, but for the one finalized by this statement (which the
         -- statement's snapshot still sees as active).
         number_zones = CASE WHEN $3 = 'Number' THEN ${ACTIVE_NUMBER_ZONES_SQL('p.prospect_id', 'decided.position')}
           ELSE p.number_zones END,
         number_places = CASE WHEN $3 = 'Number' THEN ${ACTIVE_NUMBER_PLACES_SQL('p.prospect_id', 'decided.position')}
           ELSE p.number_places END,
         updated_at = $4
       FROM decided WHERE p.prospect_id = decided.prospect_id
       RETURNING p.status, p.final_reason, p.next_attempt_at, p.attempts
     )
     SELECT contact.status AS prospect_status, contact.final_reason, contact.attempts,
            CASE WHEN contact.status = 'Active' THEN contact.next_attempt_at END AS next_attempt_at,
            COALESCE((SELECT status FROM number), d.status) AS destination_status
     FROM contact, decided
     JOIN destinations d ON d.prospect_id = decided.prospect_id AND d.position = decided.position`,
    [claimId, outcome, effect, now, role],
  );
  const r = rows[0];
  if (r) {
    return {
      kind: 'Recorded',
      claimId,
      prospectStatus: r.prospect_status,
      prospectFinalReason: r.final_reason,
      destinationStatus: r.destination_status,
      nextAttemptAt: r.next_attempt_at,
      attempt: r.attempts,
    };
  }
  const { rows: found } = await client.query<{ outcome: string | null; reported_at: Date | null; expires_at: Date }>(
    'SELECT outcome, reported_at, expires_at FROM claims WHERE claim_id = $1',
    [claimId],
  );
  const claim = found[0];
  if (!claim) return { kind: 'UnknownClaim' };
  if (claim.outcome !== null) {
    return { kind: 'ClaimAlreadyReported', outcome: claim.outcome, reportedAt: claim.reported_at ?? claim.expires_at };
  }
  return { kind: 'ClaimExpired', expiresAt: claim.expires_at };
}
