import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server';
import type { AppDeps } from '../../src/app-deps';
import { dropQueues, DEFAULT_BACKEND, testConfig } from '../support/backends';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { insertProspects, insertSkills, testPhone } from '../support/prospect-fixtures';
import { metricSample } from './test-app';

const NY = 'America/New_York';
const LA = 'America/Los_Angeles';
const NY_0930_LA_0630 = new Date('2026-03-10T13:30:00Z');

let db: TestDb;
let app: FastifyInstance;
let clock = NY_0930_LA_0630;
const inFlight = new Set<number>();
const prefix = uniquePrefix('dqapi');

beforeAll(async () => {
  db = await freshSchema('dqapi');
  const deps: AppDeps & { refillInFlight: (skillNo: number) => Promise<boolean> } = {
    config: testConfig(prefix),
    pool: db.pool,
    logger: pino({ level: 'silent' }),
    now: () => clock,
    refillInFlight: async (skillNo) => inFlight.has(skillNo),
  };
  app = buildServer(deps);
  await app.ready();
  await insertSkills(db.pool, [
    { skillNo: 4100, refill: { LowWaterMark: 50, TargetDepth: 200 }, lastRefillAt: new Date('2026-03-10T13:00:00Z') },
    { skillNo: 4200 },
  ]);
  await insertProspects(db.pool, 4100, [
    { externalId: 'A1', timeZone: NY, firstName: 'Ann', lastName: 'Lee', priority: 2, destinations: [{ phone: testPhone(1) }] },
    { externalId: 'A2', timeZone: NY, priority: 1, destinations: [{ phone: testPhone(2, '213'), timeZone: LA }, { phone: testPhone(3) }] },
    { externalId: 'A3', timeZone: LA, destinations: [{ phone: testPhone(4, '213') }] },
  ]);
});
afterAll(async () => {
  await app.close();
  await dropQueues(DEFAULT_BACKEND, prefix);
  await db.drop();
});

const sample = (series: string) => metricSample(app, series);

const claim = (skillNo: number, body?: unknown) =>
  app.inject({ method: 'POST', url: `/v1/skills/${skillNo}/dial-queue/claim`, ...(body === undefined ? {} : { payload: body as object }) });
const outcome = (claimId: string, body: unknown) =>
  app.inject({ method: 'POST', url: `/v1/claims/${claimId}/outcome`, payload: body as object });

describe('GET /v1/skills/{SkillNo}/dial-queue', () => {
  it('answers the depth against the thresholds', async () => {
    inFlight.add(4100);
    const res = await app.inject({ method: 'GET', url: '/v1/skills/4100/dial-queue' });
    inFlight.delete(4100);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      SkillNo: 4100,
      Depth: 3,
      CallableNow: 2, // A3 lives in Los Angeles, where it is 06:30
      LowWaterMark: 50,
      TargetDepth: 200,
      RefillInFlight: true,
      LastRefillAt: '2026-03-10T13:00:00.000Z',
      RefillEnabled: true,
      Claimed: 0,
      Resting: 0,
      Expired: 0,
      OpenTimeZones: [NY],
    });
    const other = await app.inject({ method: 'GET', url: '/v1/skills/4200/dial-queue' });
    expect(other.json()).toMatchObject({ Depth: 0, LowWaterMark: null, TargetDepth: null, RefillInFlight: false, LastRefillAt: null });
  });

  it('answers 404 UnknownSkill and 400 for a bad SkillNo', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/skills/999/dial-queue' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('UnknownSkill');
    const bad = await app.inject({ method: 'GET', url: '/v1/skills/abc/dial-queue' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('InvalidData');
  });
});

describe('claims and outcomes over HTTP', () => {
  it('refuses a bad Limit and an unknown skill', async () => {
    for (const body of [{ Limit: 0 }, { Limit: 1001 }, { Limit: 'ten' }, { Limit: 1.5 }]) {
      const res = await claim(4100, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('InvalidData');
      expect(res.json().error.message).toContain('Limit');
    }
    const unknown = await claim(999, { Limit: 5 });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('UnknownSkill');
  });

  it('claims one number by default, the highest Priority first, then reports it', async () => {
    clock = NY_0930_LA_0630;
    const claimsBefore = await sample('prospect_feeder_claims_total{skill_no="4100"}');
    const noAnswersBefore = await sample('prospect_feeder_outcomes_total{outcome="NoAnswer"}');
    const first = await claim(4100);
    expect(first.statusCode).toBe(200);
    const claims = first.json().Claims;
    expect(claims).toEqual([
      {
        ClaimId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        ExternalID: 'A1',
        SourceName: 'crm',
        PhoneNumber: testPhone(1),
        TimeZone: NY,
        Attempt: 1,
        Priority: 2,
        FirstName: 'Ann',
        LastName: 'Lee',
        ExpiresAt: '2026-03-10T13:45:00.000Z',
        ExpirationDate: null,
        ManualDialOnly: false,
      },
    ]);
    const rest = await claim(4100, { Limit: 10 });
    // A2's first number is in Los Angeles (06:30): its New York number is handed out; A3 waits.
    expect(rest.json().Claims).toMatchObject([{ ExternalID: 'A2', PhoneNumber: testPhone(3), TimeZone: NY }]);
    const depth = await app.inject({ method: 'GET', url: '/v1/skills/4100/dial-queue' });
    expect(depth.json()).toMatchObject({ Depth: 3, CallableNow: 0, Claimed: 2 });

    const done = await outcome(claims[0].ClaimId, { Outcome: 'NoAnswer' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({
      ClaimId: claims[0].ClaimId,
      Outcome: 'NoAnswer',
      ProspectStatus: 'Active',
      FinalReason: null,
      DestinationStatus: 'Active',
      NextAttemptAt: '2026-03-10T14:30:00.000Z',
      Attempt: 1,
    });
    const again = await outcome(claims[0].ClaimId, { Outcome: 'NoAnswer' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ClaimAlreadyReported');
    const after = await app.inject({ method: 'GET', url: '/v1/skills/4100/dial-queue' });
    expect(after.json()).toMatchObject({ Claimed: 1, Resting: 1, CallableNow: 0 });
    // Operators see the rates on /metrics: two numbers handed out, one outcome (the refused
    // second report does not count).
    expect(await sample('prospect_feeder_claims_total{skill_no="4100"}')).toBe(claimsBefore + 2);
    expect(await sample('prospect_feeder_outcomes_total{outcome="NoAnswer"}')).toBe(noAnswersBefore + 1);
  });

  it('refuses a bad Outcome, naming the allowed values, and unknown or lapsed claims', async () => {
    clock = NY_0930_LA_0630;
    const bad = await outcome('00000000-0000-4000-8000-000000000000', { Outcome: 'Sale' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('InvalidData');
    expect(bad.json().error.message).toContain('RightParty, WrongParty, Invalid, DoNotCall, NoAnswer, Busy, Machine');
    const missing = await outcome('00000000-0000-4000-8000-000000000000', {});
    expect(missing.statusCode).toBe(400);

    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const res = await outcome(id, { Outcome: 'Busy' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('UnknownClaim');
    }

    await insertProspects(db.pool, 4200, [{ externalId: 'B1', timeZone: NY, destinations: [{ phone: testPhone(9) }] }]);
    const [held] = (await claim(4200)).json().Claims;
    clock = new Date(NY_0930_LA_0630.getTime() + 16 * 60_000);
    const late = await outcome(held.ClaimId, { Outcome: 'RightParty' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('ClaimExpired');
  });

  it('hands a number that must be dialed by hand only to a Manual claim, and GET /v1/claims/{ClaimId} answers its rules version and caps', async () => {
    clock = NY_0930_LA_0630;
    await insertSkills(db.pool, [{ skillNo: 4300, compliance: { MaxAttemptsPerContactPer7Days: 7 } }]);
    await insertProspects(db.pool, 4300, [
      { externalId: 'C1', timeZone: NY, state: 'FL', dialByHand: true, destinations: [{ phone: testPhone(20, '305'), state: 'FL' }] },
    ]);
    expect((await claim(4300)).json().Claims).toEqual([]);
    const bad = await claim(4300, { Mode: 'Robot' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('Autodial or Manual');
    const [manual] = (await claim(4300, { Mode: 'Manual' })).json().Claims;
    expect(manual).toMatchObject({ ExternalID: 'C1', ManualDialOnly: true });

    const read = await app.inject({ method: 'GET', url: `/v1/claims/${manual.ClaimId}` });
    expect(read.statusCode).toBe(200);
    const rules = (await app.inject({ method: 'GET', url: '/v1/calling-rules' })).json();
    expect(read.json()).toEqual({
      ClaimId: manual.ClaimId,
      SkillNo: 4300,
      ExternalID: 'C1',
      SourceName: 'crm',
      PhoneNumber: testPhone(20, '305'),
      Attempt: 1,
      Mode: 'Manual',
      ManualDialOnly: true,
      ClaimedAt: NY_0930_LA_0630.toISOString(),
      ExpiresAt: '2026-03-10T13:45:00.000Z',
      Outcome: null,
      ReportedAt: null,
      RulesVersion: rules.Version,
      Caps: [
        { Rule: 'MaxAttemptsPerContactPer7Days', Calls: 7, WindowHours: 168, Scope: 'Contact' },
        { Rule: 'State:FL', Calls: 3, WindowHours: 24, Scope: 'Contact' },
      ],
    });
    await outcome(manual.ClaimId, { Outcome: 'Busy' });
    expect((await app.inject({ method: 'GET', url: `/v1/claims/${manual.ClaimId}` })).json()).toMatchObject({ Outcome: 'Busy' });
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const res = await app.inject({ method: 'GET', url: `/v1/claims/${id}` });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('UnknownClaim');
    }
  });
});

describe('the OpenAPI description', () => {
  it('lists the dial-queue routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/v1/skills/{SkillNo}/dial-queue', '/v1/skills/{SkillNo}/dial-queue/claim', '/v1/claims/{ClaimId}/outcome']),
    );
  });
});
