import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callErrorStatus } from '../../src/web/call-error-status';
import { claimCalls } from '../../src/db/claims';
import { callableCounts } from '../../src/db/dial-queue';
import { DIAL_OUTCOMES } from '../../src/domain/dial-outcome';
import { CallError } from '../../src/services/errors';
import { recordOutcome } from '../../src/services/record-outcome';
import { freshSchema, type TestDb } from '../support/db';
import { insertProspects, insertSkills, testPhone } from '../support/prospect-fixtures';

const T0 = new Date('2026-03-10T18:00:00Z'); // 14:00 in New York
const NY = 'America/New_York';
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

let db: TestDb;
let nextSkill = 1;
let phone = 0;

beforeAll(async () => {
  db = await freshSchema('dqo');
});
afterAll(async () => db.drop());

/** A skill with one New York contact holding `numbers` numbers, and a claim on it made at `at`. */
async function claimedContact(opts: { numbers?: number; maxAttempts?: number; minRetryMinutes?: number; at?: Date } = {}) {
  const skillNo = nextSkill++;
  await insertSkills(db.pool, [{ skillNo, maxAttempts: opts.maxAttempts ?? 3, minRetryMinutes: opts.minRetryMinutes ?? 60 }]);
  const [prospectId] = await insertProspects(db.pool, skillNo, [
    {
      externalId: 'X1',
      timeZone: NY,
      destinations: Array.from({ length: opts.numbers ?? 1 }, () => ({ phone: testPhone(phone++) })),
    },
  ]);
  const [claim] = await claimCalls(db.pool, skillNo, 1, opts.at ?? T0);
  if (!claim) throw new Error('nothing claimed');
  return { skillNo, prospectId: prospectId!, claim };
}

function report(claimId: string, outcome: unknown, at: Date = minutes(2)) {
  return recordOutcome({ pool: db.pool, now: () => at }, claimId, { Outcome: outcome });
}

async function prospectRow(prospectId: number) {
  const { rows } = await db.pool.query(
    `SELECT status, final_reason, attempts, next_attempt_at, claimed_until,
            (SELECT json_agg(json_build_object('status', status, 'reason', final_reason) ORDER BY position)
             FROM destinations d WHERE d.prospect_id = p.prospect_id) AS destinations
     FROM prospects p WHERE prospect_id = $1`,
    [prospectId],
  );
  return rows[0];
}

async function refusal(p: Promise<unknown>): Promise<CallError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CallError);
  return err as CallError;
}

describe('outcomes', () => {
  it('RightParty finalizes the contact and releases the claim', async () => {
    const { skillNo, prospectId, claim } = await claimedContact({ numbers: 2 });
    const answer = await report(claim.claimId, 'RightParty');
    expect(answer).toEqual({
      ClaimId: claim.claimId,
      Outcome: 'RightParty',
      ProspectStatus: 'Finalized',
      FinalReason: 'RightParty',
      DestinationStatus: 'Active',
      NextAttemptAt: null,
      Attempt: 1,
    });
    expect(await prospectRow(prospectId)).toMatchObject({ status: 'Finalized', attempts: 1, claimed_until: null });
    expect(await claimCalls(db.pool, skillNo, 5, minutes(3))).toEqual([]);
  });

  for (const outcome of ['WrongParty', 'Invalid', 'DoNotCall'] as const) {
    it(`${outcome} finalizes the number; the contact's next number is handed out at once`, async () => {
      const { skillNo, prospectId, claim } = await claimedContact({ numbers: 2 });
      const answer = await report(claim.claimId, outcome);
      expect(answer).toMatchObject({ ProspectStatus: 'Active', DestinationStatus: 'Finalized', NextAttemptAt: null, Attempt: 1 });
      expect(await prospectRow(prospectId)).toMatchObject({
        status: 'Active',
        attempts: 1,
        claimed_until: null,
        next_attempt_at: null,
        destinations: [
          { status: 'Finalized', reason: outcome },
          { status: 'Active', reason: null },
        ],
      });
      const [next] = await claimCalls(db.pool, skillNo, 5, minutes(3));
      expect(next).toMatchObject({ prospectId, position: 1, attempt: 2 });
    });
  }

  it('finalizes the contact when its last active number is finalized', async () => {
    const { prospectId, claim } = await claimedContact({ numbers: 1 });
    const answer = await report(claim.claimId, 'Invalid');
    expect(answer).toMatchObject({ ProspectStatus: 'Finalized', FinalReason: 'NoActiveDestination', DestinationStatus: 'Finalized' });
    expect(await prospectRow(prospectId)).toMatchObject({ status: 'Finalized', final_reason: 'NoActiveDestination' });
  });

  for (const outcome of ['NoAnswer', 'Busy', 'Machine'] as const) {
    it(`${outcome} rests the contact for MinRetryMinutes`, async () => {
      const { skillNo, prospectId, claim } = await claimedContact({ minRetryMinutes: 30 });
      const reportedAt = minutes(2);
      const answer = await report(claim.claimId, outcome, reportedAt);
      const retryAt = new Date(reportedAt.getTime() + 30 * 60_000);
      expect(answer).toMatchObject({
        ProspectStatus: 'Active',
        DestinationStatus: 'Active',
        NextAttemptAt: retryAt.toISOString(),
        Attempt: 1,
      });
      expect(await prospectRow(prospectId)).toMatchObject({ status: 'Active', attempts: 1, next_attempt_at: retryAt, claimed_until: null });
      const before = new Date(retryAt.getTime() - 1);
      expect((await callableCounts(db.pool, before, [skillNo]))[0]!.callableNow).toBe(0);
      expect(await claimCalls(db.pool, skillNo, 1, before)).toEqual([]);
      const [again] = await claimCalls(db.pool, skillNo, 1, retryAt);
      expect(again).toMatchObject({ prospectId, attempt: 2 });
    });
  }

  it('finalizes the contact once its attempts reach MaxAttempts', async () => {
    const { skillNo, prospectId, claim } = await claimedContact({ maxAttempts: 2, minRetryMinutes: 10 });
    expect(await report(claim.claimId, 'NoAnswer', minutes(1))).toMatchObject({ ProspectStatus: 'Active', Attempt: 1 });
    const [second] = await claimCalls(db.pool, skillNo, 1, minutes(11));
    expect(second).toMatchObject({ attempt: 2 });
    const last = await report(second!.claimId, 'Busy', minutes(12));
    expect(last).toMatchObject({ ProspectStatus: 'Finalized', FinalReason: 'MaxAttempts', NextAttemptAt: null, Attempt: 2 });
    expect(await prospectRow(prospectId)).toMatchObject({ status: 'Finalized', final_reason: 'MaxAttempts', attempts: 2 });
    expect(await claimCalls(db.pool, skillNo, 1, minutes(100))).toEqual([]);
  });
});

describe('outcome refusals', () => {
  it('refuses an unknown Outcome, naming the allowed ones', async () => {
    const { claim } = await claimedContact();
    for (const bad of ['Sale', undefined, 3, null]) {
      const err = await refusal(report(claim.claimId, bad));
      expect(err).toMatchObject({ code: 'InvalidData' });
      expect(callErrorStatus(err)).toBe(400);
      for (const o of DIAL_OUTCOMES) expect(err.message).toContain(o);
    }
  });

  it('answers UnknownClaim for a claim id that was never handed out', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const err = await refusal(report(id, 'Busy'));
      expect(err).toMatchObject({ code: 'UnknownClaim' });
      expect(callErrorStatus(err)).toBe(404);
    }
  });

  it("applies a claim's outcome once, however many reports race", async () => {
    const { prospectId, claim } = await claimedContact();
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => report(claim.claimId, 'NoAnswer')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      const err = (r as PromiseRejectedResult).reason as CallError;
      expect(err).toMatchObject({ code: 'ClaimAlreadyReported' });
      expect(callErrorStatus(err)).toBe(409);
    }
    expect(await prospectRow(prospectId)).toMatchObject({ attempts: 1 });
    expect(await refusal(report(claim.claimId, 'RightParty'))).toMatchObject({ code: 'ClaimAlreadyReported' });
    expect(await prospectRow(prospectId)).toMatchObject({ status: 'Active' });
  });

  it('refuses a lapsed claim, whose contact may have gone to another dialer, and changes nothing', async () => {
    const { skillNo, prospectId, claim } = await claimedContact();
    const lapsed = minutes(15);
    const [other] = await claimCalls(db.pool, skillNo, 1, lapsed);
    expect(other).toMatchObject({ prospectId });
    const err = await refusal(report(claim.claimId, 'RightParty', minutes(16)));
    expect(err).toMatchObject({ code: 'ClaimExpired' });
    expect(callErrorStatus(err)).toBe(409);
    expect(await prospectRow(prospectId)).toMatchObject({ status: 'Active', attempts: 0 });
    expect(await report(other!.claimId, 'RightParty', minutes(16))).toMatchObject({ ProspectStatus: 'Finalized' });
  });
});
