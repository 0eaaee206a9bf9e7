import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DIAL_OUTCOMES } from '../../domain/dial-outcome';
import { observeClaims, observeOutcome } from '../../observability/metrics';
import { claimProspects, ClaimInputSchema } from '../../services/claim-prospects';
import { readClaim } from '../../services/read-claim';
import { readDialQueue, type DialQueueDeps } from '../../services/read-dial-queue';
import { outcomeMessage, recordOutcome } from '../../services/record-outcome';
import { errorResponses, SkillNoParams } from '../schemas';
import type { RouteOptions } from './route-plugin';

const DialQueueResponse = z.object({
  SkillNo: z.number().int(),
  Depth: z.number().int(),
  CallableNow: z.number().int(),
  LowWaterMark: z.number().int().nullable(),
  TargetDepth: z.number().int().nullable(),
  RefillInFlight: z.boolean().nullable(),
  LastRefillAt: z.string().nullable(),
  RefillEnabled: z.boolean(),
  Claimed: z.number().int(),
  Resting: z.number().int(),
  Expired: z.number().int(),
  OpenTimeZones: z.array(z.string()),
});

const ClaimsResponse = z.object({
  Claims: z.array(
    z.object({
      ClaimId: z.string(),
      ExternalID: z.string(),
      SourceName: z.string(),
      PhoneNumber: z.string(),
      TimeZone: z.string(),
      Attempt: z.number().int(),
      Priority: z.number().int(),
      FirstName: z.string().nullable(),
      LastName: z.string().nullable(),
      ExpiresAt: z.string(),
      ExpirationDate: z.string().nullable(),
      ManualDialOnly: z.boolean(),
    }),
  ),
});

const ClaimResponse = z.object({
  ClaimId: z.string(),
  SkillNo: z.number().int(),
  ExternalID: z.string().nullable(),
  SourceName: z.string().nullable(),
  PhoneNumber: z.string().nullable(),
  Attempt: z.number().int(),
  Mode: z.string(),
  ManualDialOnly: z.boolean(),
  ClaimedAt: z.string(),
  ExpiresAt: z.string(),
  Outcome: z.string().nullable(),
  ReportedAt: z.string().nullable(),
  RulesVersion: z.string().nullable(),
  Caps: z.array(z.object({ Rule: z.string(), Calls: z.number().int(), WindowHours: z.number().int(), Scope: z.string() })),
});

const ClaimIdParams = z.object({ ClaimId: z.string() });

const OutcomeBody = z.object({ Outcome: z.enum(DIAL_OUTCOMES, { error: outcomeMessage() }) });

const OutcomeResponse = z.object({
  ClaimId: z.string(),
  Outcome: z.enum(DIAL_OUTCOMES),
  ProspectStatus: z.string(),
  FinalReason: z.string().nullable(),
  DestinationStatus: z.string(),
  NextAttemptAt: z.string().nullable(),
  Attempt: z.number().int(),
});

/** The dialer's side of the queue: read its depth, claim numbers, report outcomes. */
export const dialQueueRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { deps }) => {
  app.get(
    '/v1/skills/:SkillNo/dial-queue',
    {
      schema: {
        summary: "Depth of a skill's dialing queue against its refill thresholds",
        description:
          'Depth counts active, unexpired contacts; CallableNow those with a number whose zone and whose ' +
          "contact's zone are both inside the CallingWindow now, neither claimed nor resting.",
        tags: ['dial-queue'],
        params: SkillNoParams,
        response: { 200: DialQueueResponse, ...errorResponses },
      },
    },
    // AppDeps may carry the refill queue's refillInFlight; without it RefillInFlight answers false.
    async (request) => readDialQueue(deps as DialQueueDeps, request.params.SkillNo),
  );

  app.post(
    '/v1/skills/:SkillNo/dial-queue/claim',
    {
      schema: {
        summary: 'Claim callable-now numbers, highest Priority first',
        description:
          'Each claim holds its whole contact for 15 minutes or until its outcome is reported; no other ' +
          'caller is handed that contact meanwhile. An empty Claims list means nothing is callable now.',
        tags: ['dial-queue'],
        params: SkillNoParams,
        // No body at all reaches the schema as null: it means the defaults.
        body: ClaimInputSchema.nullable(),
        response: { 200: ClaimsResponse, ...errorResponses },
      },
    },
    async (request) => {
      const answer = await claimProspects(deps, request.params.SkillNo, request.body);
      observeClaims(request.params.SkillNo, answer.Claims.length);
      return answer;
    },
  );

  app.get(
    '/v1/claims/:ClaimId',
    {
      schema: {
        summary: 'A claim: its number, outcome, and the calling-rules version and caps it was made under',
        description:
          'Shows later that a call was lawful when it was handed out: RulesVersion is the Version of ' +
          'GET /v1/calling-rules then in force; Caps the attempt caps that applied to its contact and number ' +
          '(counted over rolling windows from the claims handed out, lapsed ones included). 404 UnknownClaim.',
        tags: ['dial-queue'],
        params: ClaimIdParams,
        response: { 200: ClaimResponse, ...errorResponses },
      },
    },
    async (request) => readClaim(deps, request.params.ClaimId),
  );

  app.post(
    '/v1/claims/:ClaimId/outcome',
    {
      schema: {
        summary: 'Report what came of a claimed call and release its contact',
        description:
          'RightParty finalizes the contact; WrongParty, Invalid and DoNotCall finalize the number (and the ' +
          'contact when none remains); NoAnswer, Busy and Machine rest the contact for MinRetryMinutes. ' +
          'The contact is finalized once its attempts reach MaxAttempts. 409 ClaimAlreadyReported or ' +
          'ClaimExpired when the claim no longer holds its contact.',
        tags: ['dial-queue'],
        params: ClaimIdParams,
        body: OutcomeBody,
        response: { 200: OutcomeResponse, ...errorResponses },
      },
    },
    async (request) => {
      const role = request.accessRole === 'open' ? null : request.accessRole;
      const answer = await recordOutcome(deps, request.params.ClaimId, request.body, role);
      observeOutcome(answer.Outcome);
      return answer;
    },
  );
};
