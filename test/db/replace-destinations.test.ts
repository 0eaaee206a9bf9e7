import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/pool';
import * as prospects from '../../src/db/prospects';
import { upsertSkill } from '../../src/db/skills';
import type { PhoneType } from '../../src/domain/prospect';
import { SkillBodySchema } from '../../src/domain/skill';
import { freshSchema, type TestDb } from '../support/db';
import { prospectRow } from '../support/prospect-fixtures';

describe('replaceDestinations of updated prospects', () => {
  let db: TestDb;
  let prospectId: number;
  const ctx = { skillNo: 1, sourceName: 'crm', sourceMapVersion: 1, runId: null };

  beforeAll(async () => {
    db = await freshSchema('dest');
    await upsertSkill(db.pool, 1, SkillBodySchema.parse({ Name: 'One' }));
    const [p] = await prospects.upsertProspects(db.pool, ctx, [prospectRow('A', [])]);
    prospectId = p!.prospectId;
  });
  afterAll(async () => db.drop());

  interface Sent {
    phone: string;
    type: PhoneType;
    zone: string;
  }
  const send = (numbers: Sent[], replaced = true) =>
    inTransaction(db.pool, (c) =>
      prospects.replaceDestinations(
        c,
        replaced ? [prospectId] : [],
        numbers.map((n, position) => ({
          prospectId,
          position,
          phoneNumber: n.phone,
          type: n.type,
          timeZone: n.zone,
          state: null,
          consent: false,
        })),
      ),
    );
  const stored = async () =>
    (
      await db.pool.query<{
        position: number;
        phone_number: string;
        type: string;
        time_zone: string;
        status: string;
        final_reason: string | null;
        ctid: string;
      }>(
        'SELECT position, phone_number, type, time_zone, status, final_reason, ctid::text FROM destinations WHERE prospect_id = $1 ORDER BY position',
        [prospectId],
      )
    ).rows;

  it('leaves rows that did not change where they are, and rewrites only the ones that did', async () => {
    const ny = 'America/New_York';
    await send(
      [
        { phone: '+12125550100', type: 'Mobile', zone: ny },
        { phone: '+12125550101', type: 'Unknown', zone: ny },
      ],
      false,
    );
    const before = await stored();
    await send([
      { phone: '+12125550100', type: 'Mobile', zone: ny },
      { phone: '+12125550101', type: 'Landline', zone: ny },
    ]);
    const after = await stored();
    expect(after[0]!.ctid).toBe(before[0]!.ctid);
    expect(after[1]!.ctid).not.toBe(before[1]!.ctid);
    expect(after.map((r) => [r.phone_number, r.type])).toEqual([
      ['+12125550100', 'Mobile'],
      ['+12125550101', 'Landline'],
    ]);
  });

  it("ends with exactly the numbers sent, keeping each kept number's status wherever it moves (property)", async () => {
    const phones = ['+12125550110', '+12125550111', '+12125550112', '+12125550113', '+12125550114'];
    const numberArb = fc.record({
      phone: fc.constantFrom(...phones),
      type: fc.constantFrom<PhoneType>('Mobile', 'Unknown'),
      zone: fc.constantFrom('America/New_York', 'America/Chicago'),
    });
    const listArb = fc.uniqueArray(numberArb, { selector: (n) => n.phone, minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(listArb, listArb, fc.subarray(phones), async (first, second, finalized) => {
        await db.pool.query('DELETE FROM destinations WHERE prospect_id = $1', [prospectId]);
        await send(first, false);
        await db.pool.query(
          `UPDATE destinations SET status = 'Finalized', final_reason = 'WrongParty' WHERE prospect_id = $1 AND phone_number = ANY($2)`,
          [prospectId, finalized],
        );
        await send(second);
        const rows = await stored();
        expect(rows.map((r) => [r.position, r.phone_number, r.type, r.time_zone])).toEqual(
          second.map((n, position) => [position, n.phone, n.type, n.zone]),
        );
        const wasFinalized = (phone: string) => finalized.includes(phone) && first.some((n) => n.phone === phone);
        expect(rows.map((r) => [r.status, r.final_reason])).toEqual(
          second.map((n) => (wasFinalized(n.phone) ? ['Finalized', 'WrongParty'] : ['Active', null])),
        );
      }),
      { numRuns: 40 },
    );
  });
});
