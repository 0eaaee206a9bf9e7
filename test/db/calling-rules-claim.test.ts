import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimCalls, findClaim, type ClaimMode } from '../../src/db/claims';
import { callableCounts } from '../../src/db/dial-queue';
import { checkCall } from '../../src/domain/calling-check';
import { callingRules, rulesForDialMode } from '../../src/domain/calling-rules';
import { readHeldBack } from '../../src/services/read-held-back';
import { freshSchema, type TestDb } from '../support/db';
import { insertProspects, insertSkills, type ProspectFixture } from '../support/prospect-fixtures';
import { addNumbers, makeList } from '../support/suppression-fixtures';

/**
 * The claim applies the calling rules (contract section 9): judged edges, caps over rolling
 * windows (lapsed claims count), the dial mode, and two properties: the claim agrees with the
 * pure check engine, and the brain's CallableNow agrees with what a claim would hand out.
 */
let db: TestDb;
let nextSkill = 1;
beforeAll(async () => {
  db = await freshSchema('crclaim');
});
afterAll(async () => db.drop());

const NY = 'America/New_York';
const CHI = 'America/Chicago';
const PHX = 'America/Phoenix';
const ANC = 'America/Anchorage';
const HNL = 'Pacific/Honolulu';

/** Claims in a transaction that is rolled back: what a claim would hand out, with no side effect. */
async function wouldClaim(skillNo: number, at: Date, mode: ClaimMode = 'Autodial', limit = 1000) {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    return await claimCalls(client, skillNo, limit, at, mode);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

async function skillWith(prospects: ProspectFixture[], compliance?: Record<string, unknown>, window?: [string, string]) {
  const skillNo = nextSkill++;
  await insertSkills(db.pool, [{ skillNo, compliance, windowStart: window?.[0], windowEnd: window?.[1] }]);
  await insertProspects(db.pool, skillNo, prospects);
  return skillNo;
}

const local = (zone: string, iso: string) => DateTime.fromISO(iso, { zone }).toJSDate();

describe('judged edges: a number is handed out exactly when every rule allows it', () => {
  const cases: Array<{ name: string; contact: [string | null, string]; number: [string | null, string]; at: Date; callable: boolean }> = [
    { name: 'Florida at 19:59', contact: ['FL', NY], number: ['FL', NY], at: local(NY, '2026-07-01T19:59'), callable: true },
    { name: 'Florida at 20:00', contact: ['FL', NY], number: ['FL', NY], at: local(NY, '2026-07-01T20:00'), callable: false },
    { name: 'New York at 20:00', contact: ['NY', NY], number: ['NY', NY], at: local(NY, '2026-07-01T20:00'), callable: true },
    {
      name: 'a Florida contact with a New York number at 20:30',
      contact: ['FL', NY],
      number: ['NY', NY],
      at: local(NY, '2026-07-01T20:30'),
      callable: false,
    },
    {
      name: 'a New York contact with a Florida number at 20:30',
      contact: ['NY', NY],
      number: ['FL', NY],
      at: local(NY, '2026-07-01T20:30'),
      callable: false,
    },
    { name: 'a Sunday noon in Louisiana', contact: ['LA', CHI], number: ['LA', CHI], at: local(CHI, '2026-07-05T12:00'), callable: false },
    { name: 'a Monday noon in Louisiana', contact: ['LA', CHI], number: ['LA', CHI], at: local(CHI, '2026-07-06T12:00'), callable: true },
    { name: 'Mardi Gras in Louisiana', contact: ['LA', CHI], number: ['LA', CHI], at: local(CHI, '2026-02-17T12:00'), callable: false },
    {
      name: 'a Sunday noon in Texas (no rule entered: federal hours)',
      contact: ['TX', CHI],
      number: ['TX', CHI],
      at: local(CHI, '2026-07-05T12:00'),
      callable: true,
    },
    {
      name: 'Arizona in July at 20:30 (no DST: 20:30 there is 23:30 in New York)',
      contact: ['AZ', PHX],
      number: ['AZ', PHX],
      at: local(PHX, '2026-07-01T20:30'),
      callable: true,
    },
    { name: 'Arizona in July at 21:00', contact: ['AZ', PHX], number: ['AZ', PHX], at: local(PHX, '2026-07-01T21:00'), callable: false },
    { name: 'Alaska at 08:00', contact: ['AK', ANC], number: ['AK', ANC], at: local(ANC, '2026-01-15T08:00'), callable: true },
    { name: 'Alaska at 07:59', contact: ['AK', ANC], number: ['AK', ANC], at: local(ANC, '2026-01-15T07:59'), callable: false },
    { name: 'Hawaii at 20:59', contact: ['HI', HNL], number: ['HI', HNL], at: local(HNL, '2026-03-09T20:59'), callable: true },
    { name: 'Hawaii at 21:00', contact: ['HI', HNL], number: ['HI', HNL], at: local(HNL, '2026-03-09T21:00'), callable: false },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.callable ? 'handed out' : 'held back'}, as the check engine says`, async () => {
      const skillNo = await skillWith([
        {
          externalId: 'E',
          state: c.contact[0],
          timeZone: c.contact[1],
          destinations: [{ phone: '+13055550100', state: c.number[0], timeZone: c.number[1] }],
        },
      ]);
      expect((await wouldClaim(skillNo, c.at)).length).toBe(c.callable ? 1 : 0);
      const engine = checkCall(callingRules, {
        number: { state: c.number[0], zone: c.number[1] },
        contact: { state: c.contact[0], zone: c.contact[1] },
        at: c.at,
      });
      expect(engine.callable).toBe(c.callable);
      expect((await callableCounts(db.pool, c.at, [skillNo]))[0]?.callableNow).toBe(c.callable ? 1 : 0);
    });
  }

  it('StateRules false: a Florida contact at 20:30 is handed out (federal hours only)', async () => {
    const skillNo = await skillWith(
      [{ externalId: 'E', state: 'FL', timeZone: NY, destinations: [{ phone: '+13055550100', state: 'FL' }] }],
      { StateRules: false },
    );
    expect(await wouldClaim(skillNo, local(NY, '2026-07-01T20:30'))).toHaveLength(1);
  });

  it("a closed number is passed over for the contact's next one that is open", async () => {
    const skillNo = await skillWith([
      {
        externalId: 'E',
        state: 'NY',
        timeZone: NY,
        destinations: [
          { phone: '+15045550100', state: 'LA', timeZone: CHI },
          { phone: '+12125550100', state: 'NY' },
        ],
      },
    ]);
    const [claim] = await wouldClaim(skillNo, local(NY, '2026-07-05T13:00'));
    expect(claim?.phoneNumber).toBe('+12125550100');
  });
});

describe('caps over rolling windows, lapsed claims included', () => {
  const T0 = new Date('2026-07-01T14:00:00Z'); // 10:00 in New York, a Wednesday
  const h = (n: number) => new Date(T0.getTime() + n * 3_600_000);
  let skillNo: number;

  async function claimAt(at: Date): Promise<number> {
    return (await claimCalls(db.pool, skillNo, 10, at)).length;
  }

  it('MaxAttemptsPerNumberPer24h: two lapsed claims hold the number until 24 hours after the first', async () => {
    skillNo = await skillWith([{ externalId: 'E', state: 'NY', timeZone: NY, destinations: [{ phone: '+12125550100', state: 'NY' }] }], {
      MaxAttemptsPerNumberPer24h: 2,
    });
    expect(await claimAt(T0)).toBe(1); // lapses after 15 minutes, no outcome
    expect(await claimAt(h(1))).toBe(1);
    expect(await claimAt(h(2))).toBe(0);
    expect((await callableCounts(db.pool, h(2), [skillNo]))[0]?.callableNow).toBe(0);
    expect(await claimAt(new Date(h(24).getTime() - 1000))).toBe(0);
    expect((await callableCounts(db.pool, h(24), [skillNo]))[0]?.callableNow).toBe(1);
    expect(await claimAt(h(24))).toBe(1);
  });

  it("MaxAttemptsPerNumberPer24h counts per number: the contact's other number is handed out", async () => {
    skillNo = await skillWith(
      [
        {
          externalId: 'E',
          state: 'NY',
          timeZone: NY,
          destinations: [
            { phone: '+12125550100', state: 'NY' },
            { phone: '+12125550101', state: 'NY' },
          ],
        },
      ],
      { MaxAttemptsPerNumberPer24h: 1 },
    );
    const first = await claimCalls(db.pool, skillNo, 1, T0);
    const second = await claimCalls(db.pool, skillNo, 1, h(1));
    expect([first[0]?.phoneNumber, second[0]?.phoneNumber]).toEqual(['+12125550100', '+12125550101']);
    expect(await claimAt(h(2))).toBe(0);
  });

  it('MaxAttemptsPerContactPer7Days (Regulation F): 7 claims in 7 days, then none until the first leaves the window', async () => {
    skillNo = await skillWith([{ externalId: 'E', state: 'NY', timeZone: NY, destinations: [{ phone: '+12125550100', state: 'NY' }] }], {
      MaxAttemptsPerContactPer7Days: 7,
    });
    for (let day = 0; day < 7; day++) expect(await claimAt(h(day * 24))).toBe(1);
    expect(await claimAt(h(6 * 24 + 1))).toBe(0);
    expect(await claimAt(new Date(h(168).getTime() - 1000))).toBe(0);
    expect(await claimAt(h(168))).toBe(1);
  });

  it("Florida's cap: 3 calls in 24 hours to a Florida contact, none to a New York one", async () => {
    skillNo = await skillWith([
      { externalId: 'FL', state: 'FL', timeZone: NY, destinations: [{ phone: '+13055550100', state: 'FL' }] },
      { externalId: 'NY', state: 'NY', timeZone: NY, destinations: [{ phone: '+12125550100', state: 'NY' }] },
    ]);
    for (let i = 0; i < 3; i++) expect(await claimAt(h(i))).toBe(2);
    const held = await claimCalls(db.pool, skillNo, 10, h(3));
    expect(held.map((c) => c.externalId)).toEqual(['NY']);
    const claim = await findClaim(db.pool, held[0]!.claimId);
    expect(claim).toMatchObject({ rulesVersion: callingRules.Version, caps: [] });
    const flClaims = await db.pool.query<{ claim_id: string }>(
      `SELECT claim_id FROM claims c JOIN prospects p USING (prospect_id) WHERE p.external_id = 'FL' AND p.skill_no = $1 LIMIT 1`,
      [skillNo],
    );
    expect((await findClaim(db.pool, flClaims.rows[0]!.claim_id))?.caps).toEqual([
      { Rule: 'State:FL', Calls: 3, WindowHours: 24, Scope: 'Contact' },
    ]);
  });

  it("Florida's cap follows a Florida contact to its New York number, in the claim and in CallableNow", async () => {
    skillNo = await skillWith([{ externalId: 'FL', state: 'FL', timeZone: NY, destinations: [{ phone: '+12125550100', state: 'NY' }] }]);
    for (let i = 0; i < 3; i++) expect(await claimAt(h(i))).toBe(1);
    expect((await callableCounts(db.pool, h(3), [skillNo]))[0]?.callableNow).toBe(0);
    expect(await claimAt(h(3))).toBe(0);
    expect((await callableCounts(db.pool, h(24), [skillNo]))[0]?.callableNow).toBe(1);
  });
});

describe('dial mode', () => {
  it("South Dakota's rule for automated calls holds Autodial claims and CallableNow on a Saturday, not Manual claims", async () => {
    const saturdayNoon = local(CHI, '2026-12-12T12:00');
    const skillNo = await skillWith([
      { externalId: 'SD', state: 'SD', timeZone: CHI, destinations: [{ phone: '+16055550100', state: 'SD', timeZone: CHI }] },
    ]);
    expect(await wouldClaim(skillNo, saturdayNoon, 'Autodial')).toEqual([]);
    expect((await callableCounts(db.pool, saturdayNoon, [skillNo]))[0]?.callableNow).toBe(0);
    const manual = await wouldClaim(skillNo, saturdayNoon, 'Manual');
    expect(manual.map((c) => [c.externalId, c.manualDialOnly])).toEqual([['SD', false]]);
    // Monday 08:59 is before South Dakota's 09:00 for an autodialer; a person may dial from 08:00.
    const mondayEarly = local(CHI, '2026-12-14T08:59');
    expect(await wouldClaim(skillNo, mondayEarly, 'Autodial')).toEqual([]);
    expect(await wouldClaim(skillNo, mondayEarly, 'Manual')).toHaveLength(1);
  });

  const AT = new Date('2026-07-01T16:00:00Z');
  it('a contact flagged Compliance goes only to Manual claims, which say ManualDialOnly', async () => {
    const skillNo = await skillWith([{ externalId: 'E', timeZone: NY, dialByHand: true, destinations: [{ phone: '+12125550100' }] }]);
    expect(await wouldClaim(skillNo, AT, 'Autodial')).toHaveLength(0);
    expect((await callableCounts(db.pool, AT, [skillNo]))[0]?.callableNow).toBe(0);
    const [manual] = await wouldClaim(skillNo, AT, 'Manual');
    expect(manual?.manualDialOnly).toBe(true);
  });

  it('with WirelessConsentRequired, a Mobile number without consent is Manual only; with consent or a landline it is autodialed', async () => {
    const skillNo = await skillWith(
      [
        { externalId: 'M', timeZone: NY, destinations: [{ phone: '+12125550100', type: 'Mobile' }] },
        { externalId: 'C', timeZone: NY, destinations: [{ phone: '+12125550101', type: 'Mobile', consent: true }] },
        { externalId: 'L', timeZone: NY, destinations: [{ phone: '+12125550102', type: 'Landline' }] },
      ],
      { WirelessConsentRequired: true },
    );
    expect((await wouldClaim(skillNo, AT)).map((c) => c.externalId).sort()).toEqual(['C', 'L']);
    const manual = await wouldClaim(skillNo, AT, 'Manual');
    expect(manual.map((c) => [c.externalId, c.manualDialOnly]).sort()).toEqual([
      ['C', false],
      ['L', false],
      ['M', true],
    ]);
  });

  it('without WirelessConsentRequired, a Mobile number without consent is autodialed', async () => {
    const skillNo = await skillWith([{ externalId: 'M', timeZone: NY, destinations: [{ phone: '+12125550100', type: 'Mobile' }] }]);
    expect(await wouldClaim(skillNo, AT)).toHaveLength(1);
  });
});

describe('the dashboard: what keeps contacts from being callable now', () => {
  it('counts each contact under the first reason that holds, and says when the closed ones next open', async () => {
    // Sunday 2026-07-05 20:30 in New York, 21:30 in Halifax, 19:30 in Chicago, 14:30 in Honolulu.
    const at = local(NY, '2026-07-05T20:30');
    const list = await makeList(db.pool, 'held-back-list');
    await addNumbers(db.pool, list, ['+12125550199']);
    const skillNo = await skillWith(
      [
        { externalId: 'window', timeZone: 'America/Halifax', destinations: [{ phone: '+19025550101' }] },
        { externalId: 'closed', state: 'LA', timeZone: CHI, destinations: [{ phone: '+15045550102', state: 'LA' }] },
        { externalId: 'state', state: 'FL', timeZone: NY, destinations: [{ phone: '+13055550103', state: 'FL' }] },
        { externalId: 'manual', timeZone: HNL, dialByHand: true, destinations: [{ phone: '+18085550104' }] },
        { externalId: 'capped', timeZone: HNL, destinations: [{ phone: '+18085550105' }] },
        { externalId: 'suppressed', timeZone: HNL, destinations: [{ phone: '+12125550199', timeZone: HNL }] },
        { externalId: 'callable', timeZone: HNL, destinations: [{ phone: '+18085550106' }] },
      ],
      { MaxAttemptsPerContactPer7Days: 1, SuppressionLists: ['held-back-list'] },
    );
    const { rows } = await db.pool.query<{ prospect_id: number }>(
      `SELECT prospect_id FROM prospects WHERE skill_no = $1 AND external_id = 'capped'`,
      [skillNo],
    );
    await db.pool.query(
      `INSERT INTO claims (claim_id, skill_no, prospect_id, position, attempt, claimed_at, expires_at, phone_number)
       VALUES (gen_random_uuid(), $1, $2, 0, 1, $3::timestamptz - interval '2 hours', $3::timestamptz - interval '105 minutes', '+18085550105')`,
      [skillNo, rows[0]!.prospect_id, at],
    );
    await db.pool.query(`UPDATE prospects SET last_claimed_at = $2::timestamptz - interval '2 hours' WHERE prospect_id = $1`, [
      rows[0]!.prospect_id,
      at,
    ]);

    const view = (await readHeldBack(db.pool, at)).find((v) => v.SkillNo === skillNo);
    expect(view?.HeldBack).toEqual({ Window: 1, ClosedDay: 1, StateRules: 1, ManualOnly: 1, Caps: 1, Suppression: 1 });
    expect((await callableCounts(db.pool, at, [skillNo]))[0]?.callableNow).toBe(1);
    // Halifax opens first: 08:00 on Monday there (11:00 UTC), before Florida (12:00) and Louisiana (13:00).
    expect(view?.NextOpensAt).toBe('2026-07-06T11:00:00.000Z');
  });
});

// Random instants biased to the edges: DST changes, Sundays, holidays, window edges.
const STATES = ['FL', 'LA', 'MS', 'AL', 'RI', 'WA', 'MA', 'UT', 'SD', 'NV', 'NY', 'TX', 'AZ', 'AK', 'HI', null] as const;
const ZONE_OF: Record<string, string> = {
  FL: NY,
  LA: CHI,
  MS: CHI,
  AL: CHI,
  RI: NY,
  WA: 'America/Los_Angeles',
  MA: NY,
  UT: 'America/Denver',
  SD: CHI,
  NV: 'America/Los_Angeles',
  NY,
  TX: CHI,
  AZ: PHX,
  AK: ANC,
  HI: HNL,
};
// Rhode Island's too: election day 2026-11-03, Saturday 2026-12-12, federal Christmas moved to
// Friday 2027-12-24 and the state's to Monday 2027-12-27, New Year 2028 (a Saturday) moved to 2027-12-31.
const EDGE_DAYS = [
  '2026-03-08',
  '2026-11-01',
  '2026-02-17',
  '2026-04-03',
  '2026-07-05',
  '2026-12-25',
  '2026-01-01',
  '2026-07-06',
  '2026-11-03',
  '2026-12-12',
  '2027-12-24',
  '2027-12-27',
  '2027-12-31',
  // Utah: Pioneer Day moved to Friday 2027-07-23, Juneteenth on Monday 2027-06-21.
  '2027-07-23',
  '2027-06-21',
];
const EDGE_CLOCKS = [
  '07:59',
  '08:00',
  '08:59',
  '09:00',
  '09:59',
  '10:00',
  '12:00',
  '16:59',
  '17:00',
  '17:59',
  '18:00',
  '19:59',
  '20:00',
  '20:59',
  '21:00',
  '21:01',
];
const zoneArb = fc.constantFrom(NY, CHI, PHX, ANC, HNL, 'America/Los_Angeles');
const instantArb = fc.oneof(
  fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }),
  fc.tuple(fc.constantFrom(...EDGE_DAYS), fc.constantFrom(...EDGE_CLOCKS), zoneArb).map(([d, c, z]) => local(z, `${d}T${c}`)),
);
const stateArb = fc.constantFrom(...STATES);
const partyArb = stateArb.chain((s) => fc.tuple(fc.constant(s), s === null ? zoneArb : fc.oneof(fc.constant(ZONE_OF[s]!), zoneArb)));
const windowArb = fc.option(fc.tuple(fc.constantFrom('08:00', '09:00', '10:30'), fc.constantFrom('17:00', '20:00', '21:00')), {
  nil: undefined,
});

const modeArb = fc.constantFrom<ClaimMode>('Autodial', 'Manual');

describe('properties', () => {
  beforeEach(() => undefined);

  it('the claim hands out a number exactly when GET /v1/calling-rules/check (the pure engine) says it is callable', async () => {
    await fc.assert(
      fc.asyncProperty(
        partyArb,
        partyArb,
        instantArb,
        windowArb,
        fc.boolean(),
        modeArb,
        async (contact, number, at, window, stateRules, mode) => {
          const skillNo = await skillWith(
            [
              {
                externalId: 'E',
                state: contact[0],
                timeZone: contact[1],
                destinations: [{ phone: '+12125550100', state: number[0], timeZone: number[1] }],
              },
            ],
            { StateRules: stateRules },
            window,
          );
          const engine = checkCall(rulesForDialMode(callingRules, mode), {
            number: { state: number[0], zone: number[1] },
            contact: { state: contact[0], zone: contact[1] },
            at,
            window: window ? { Start: window[0], End: window[1] } : null,
            stateRules,
          });
          expect((await wouldClaim(skillNo, at, mode)).length).toBe(engine.callable ? 1 : 0);
        },
      ),
      { numRuns: 150 },
    );
  });

  const contactArb = fc.record({
    contact: partyArb,
    dialByHand: fc.boolean(),
    numbers: fc.array(fc.record({ party: partyArb, mobile: fc.boolean(), consent: fc.boolean() }), { minLength: 1, maxLength: 3 }),
    // Claims handed out earlier (hours before the instant), lapsed or answered: they count toward caps.
    claimsHoursAgo: fc.array(fc.tuple(fc.double({ min: 0.1, max: 200, noNaN: true }), fc.nat(2)), { maxLength: 4 }),
  });

  it("the brain's CallableNow equals the number of contacts a large Autodial claim would hand out", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(contactArb, { minLength: 1, maxLength: 8 }),
        instantArb,
        windowArb,
        fc.record({
          StateRules: fc.boolean(),
          WirelessConsentRequired: fc.boolean(),
          MaxAttemptsPerNumberPer24h: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
          MaxAttemptsPerContactPer7Days: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
        }),
        async (contacts, at, window, compliance) => {
          const skillNo = await skillWith(
            contacts.map((c, i) => ({
              externalId: `E${i}`,
              state: c.contact[0],
              timeZone: c.contact[1],
              dialByHand: c.dialByHand,
              destinations: c.numbers.map((n, j) => ({
                phone: `+1212555${String(i * 10 + j).padStart(4, '0')}`,
                state: n.party[0],
                timeZone: n.party[1],
                type: n.mobile ? 'Mobile' : 'Landline',
                consent: n.consent,
              })),
            })),
            compliance,
            window,
          );
          // Earlier claims, as the claim statement writes them (its number, last_claimed_at).
          const past = contacts.flatMap((c, i) =>
            c.claimsHoursAgo.map(([hours, position]) => ({
              externalId: `E${i}`,
              position: Math.min(position, c.numbers.length - 1),
              at: new Date(at.getTime() - hours * 3_600_000).toISOString(),
            })),
          );
          await db.pool.query(
            `WITH x AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x("externalId" text, position int, at timestamptz)),
             c AS (
               INSERT INTO claims (claim_id, skill_no, prospect_id, position, attempt, claimed_at, expires_at, phone_number)
               SELECT gen_random_uuid(), $1, p.prospect_id, x.position, 1, x.at, x.at + interval '15 minutes', d.phone_number
               FROM x JOIN prospects p ON p.skill_no = $1 AND p.external_id = x."externalId"
               JOIN destinations d ON d.prospect_id = p.prospect_id AND d.position = x.position
               RETURNING prospect_id, claimed_at)
             UPDATE prospects p SET last_claimed_at = m.at FROM (SELECT prospect_id, max(claimed_at) AS at FROM c GROUP BY 1) m
             WHERE p.prospect_id = m.prospect_id`,
            [skillNo, JSON.stringify(past)],
          );
          const [count] = await callableCounts(db.pool, at, [skillNo]);
          expect(count?.callableNow).toBe((await wouldClaim(skillNo, at)).length);
        },
      ),
      { numRuns: 120 },
    );
  });
});
