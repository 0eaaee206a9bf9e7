import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimCalls } from '../../src/db/claims';
import { callableCounts, callableUpToMarks } from '../../src/db/dial-queue';
import { inTransaction } from '../../src/db/pool';
import * as prospects from '../../src/db/prospects';
import { recordOutcome } from '../../src/services/record-outcome';
import { freshSchema, type TestDb } from '../support/db';
import { insertSkills, prospectRow } from '../support/prospect-fixtures';

// prospects.number_zones must always be the zones of the contact's active numbers: the dialing
// queue's counts read it instead of destinations.
const CHICAGO = 'America/Chicago';
const NY = 'America/New_York';
const LA = 'America/Los_Angeles';
const CLAIMED_AT = new Date('2026-03-10T18:00:00Z'); // Chicago 12:00, New York 13:00, Los Angeles 10:00
const MORNING = new Date('2026-03-11T14:30:00Z'); // Chicago 08:30 and New York 09:30 open, Los Angeles 06:30 not

let db: TestDb;
const SKILL = 7;
const ctx = { skillNo: SKILL, sourceName: 'crm', sourceMapVersion: 1, runId: null };

beforeAll(async () => {
  db = await freshSchema('nzones');
  await insertSkills(db.pool, [{ skillNo: SKILL }]);
  await prospects.rememberTimeZones(
    db.pool,
    [CHICAGO, NY, LA],
    [prospects.contactPlace(contact), ...contact.destinations.map(prospects.numberPlace)],
  );
});
afterAll(async () => db.drop());

// Its numbers' own zones differ from the contact's.
const contact = prospectRow('C1', [], {
  timeZone: CHICAGO,
  destinations: [
    { phoneNumber: '+12125550100', type: 'Mobile', timeZone: NY, state: null, consent: false },
    { phoneNumber: '+13105550100', type: 'Mobile', timeZone: LA, state: null, consent: false },
  ],
});

/** Stores the contact as a load does: upsert, then its numbers. */
async function load(): Promise<void> {
  await inTransaction(db.pool, async (client) => {
    const [u] = await prospects.upsertProspects(client, ctx, [contact]);
    await prospects.replaceDestinations(
      client,
      u!.created ? [] : [u!.prospectId],
      contact.destinations.map((d, position) => ({ prospectId: u!.prospectId, position, ...d })),
    );
  });
}

async function zones(): Promise<{ stored: string[]; actual: string[] }> {
  const { rows } = await db.pool.query<{ stored: string[]; actual: string[] }>(
    `SELECT p.number_zones AS stored,
            ARRAY(SELECT DISTINCT d.time_zone FROM destinations d
                  WHERE d.prospect_id = p.prospect_id AND d.status = 'Active' ORDER BY 1) AS actual
     FROM prospects p WHERE p.skill_no = $1`,
    [SKILL],
  );
  return rows[0]!;
}

const callableInTheMorning = async () => (await callableCounts(db.pool, MORNING, [SKILL]))[0]!.callableNow;

describe('number_zones', () => {
  it('is written by a load, by the outcome that finalizes a number, and kept right by a re-post', async () => {
    await load();
    expect(await zones()).toEqual({ stored: [LA, NY], actual: [LA, NY] });
    expect(await callableInTheMorning()).toBe(1); // the New York number is open

    const [claim] = await claimCalls(db.pool, SKILL, 1, CLAIMED_AT);
    expect(claim?.phoneNumber).toBe('+12125550100');
    await recordOutcome({ pool: db.pool, now: () => new Date(CLAIMED_AT.getTime() + 60_000) }, claim!.claimId, { Outcome: 'WrongParty' });
    expect(await zones()).toEqual({ stored: [LA], actual: [LA] });
    // Only the Los Angeles number is left, and it is 06:30 there.
    expect(await callableInTheMorning()).toBe(0);
    expect(await callableUpToMarks(db.pool, MORNING, [{ skillNo: SKILL, lowWaterMark: 5 }])).toEqual([
      { skillNo: SKILL, callableUpToMark: 0, activeTotal: 1 },
    ]);

    // The CRM sends the same numbers again: the wrong number stays finalized, and out of the zones.
    await load();
    expect(await zones()).toEqual({ stored: [LA], actual: [LA] });
    expect(await callableInTheMorning()).toBe(0);
  });

  it('is an array literal of the zones, sorted and each once', () => {
    expect(prospects.numberZones([{ timeZone: NY }])).toBe(`{${NY}}`);
    expect(prospects.numberZones([{ timeZone: NY }, { timeZone: LA }, { timeZone: NY }])).toBe(`{${LA},${NY}}`);
    expect(prospects.numberZones([])).toBe('{}');
  });
});
