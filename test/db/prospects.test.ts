import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as prospects from '../../src/db/prospects';
import { inTransaction } from '../../src/db/pool';
import { upsertSkill } from '../../src/db/skills';
import type { ProspectRow } from '../../src/domain/prospect';
import { SkillBodySchema } from '../../src/domain/skill';
import { freshSchema, type TestDb } from '../support/db';
import { prospectRow } from '../support/prospect-fixtures';

describe('prospects store', () => {
  let db: TestDb;
  const ctx = { skillNo: 1, sourceName: 'crm', sourceMapVersion: 1, runId: null };

  beforeAll(async () => {
    db = await freshSchema('dbp');
    await upsertSkill(db.pool, 1, SkillBodySchema.parse({ Name: 'One' }));
  });
  afterAll(async () => db.drop());

  async function store(rows: ProspectRow[]) {
    return inTransaction(db.pool, async (c) => {
      const up = await prospects.upsertProspects(c, ctx, rows);
      const byId = new Map(up.map((u) => [u.externalId, u]));
      await prospects.replaceDestinations(
        c,
        up.filter((u) => !u.created).map((u) => u.prospectId),
        rows.flatMap((r) => r.destinations.map((d, position) => ({ ...d, position, prospectId: byId.get(r.externalId)!.prospectId }))),
      );
      return up;
    });
  }

  it('tells created from updated rows and never duplicates a contact', async () => {
    const first = await store([prospectRow('A', ['+12125550100']), prospectRow('B', ['+12125550101'])]);
    expect(first.map((u) => [u.externalId, u.created]).sort()).toEqual([
      ['A', true],
      ['B', true],
    ]);
    const second = await store([prospectRow('B', ['+12125550101'], { firstName: 'Bea' }), prospectRow('C', ['+12125550102'])]);
    expect(second.map((u) => [u.externalId, u.created]).sort()).toEqual([
      ['B', false],
      ['C', true],
    ]);
    const { rows } = await db.pool.query(`SELECT external_id, first_name FROM prospects ORDER BY external_id`);
    expect(rows).toEqual([
      { external_id: 'A', first_name: 'Ann' },
      { external_id: 'B', first_name: 'Bea' },
      { external_id: 'C', first_name: 'Ann' },
    ]);
  });

  it('keeps the status of numbers that stay, drops numbers no longer sent, keeps a finalized contact finalized', async () => {
    const [d] = await store([prospectRow('D', ['+12125550110', '+12125550111', '+12125550112'])]);
    await db.pool.query(
      `UPDATE destinations SET status = 'Finalized', final_reason = 'WrongParty' WHERE prospect_id = $1 AND phone_number = '+12125550111'`,
      [d!.prospectId],
    );
    await db.pool.query(`UPDATE prospects SET status = 'Finalized', final_reason = 'RightParty' WHERE prospect_id = $1`, [d!.prospectId]);

    // 0111 moves to the front, 0110 stays, 0112 is gone, 0113 is new.
    await store([prospectRow('D', ['+12125550111', '+12125550110', '+12125550113'], { priority: 5 })]);
    const dests = await db.pool.query(
      `SELECT position, phone_number, status, final_reason FROM destinations WHERE prospect_id = $1 ORDER BY position`,
      [d!.prospectId],
    );
    expect(dests.rows).toEqual([
      { position: 0, phone_number: '+12125550111', status: 'Finalized', final_reason: 'WrongParty' },
      { position: 1, phone_number: '+12125550110', status: 'Active', final_reason: null },
      { position: 2, phone_number: '+12125550113', status: 'Active', final_reason: null },
    ]);
    const p = await db.pool.query(`SELECT status, priority FROM prospects WHERE prospect_id = $1`, [d!.prospectId]);
    expect(p.rows[0]).toEqual({ status: 'Finalized', priority: 5 });
  });

  it('stores text Postgres would refuse (NUL, lone surrogates) in names and fields', async () => {
    await store([prospectRow('E', ['+12125550120'], { firstName: 'A\u0000B', fields: { 'Notes\u0000': 'x\ud800y', Custom: ['\u0000'] } })]);
    const { rows } = await db.pool.query(`SELECT first_name, fields FROM prospects WHERE external_id = 'E'`);
    expect(rows[0]).toEqual({ first_name: 'AB', fields: { Notes: 'x\ufffdy', Custom: [''] } });
  });

  it('finds by ExternalID or by E.164 number, with destinations in order', async () => {
    const byId = await prospects.findProspects(db.pool, { skillNo: 1, sourceName: 'crm', externalId: 'D', limit: 10 });
    expect(byId).toHaveLength(1);
    expect(byId[0]!.destinations.map((x) => x.phoneNumber)).toEqual(['+12125550111', '+12125550110', '+12125550113']);
    const byPhone = await prospects.findProspects(db.pool, { skillNo: 1, phoneNumber: '+12125550101', limit: 10 });
    expect(byPhone.map((x) => x.externalId)).toEqual(['B']);
    expect(await prospects.findProspects(db.pool, { skillNo: 2, phoneNumber: '+12125550101', limit: 10 })).toEqual([]);
  });

  it('removes by ExternalID with destinations, answering which existed', async () => {
    const gone = await prospects.removeProspects(db.pool, 1, 'crm', ['A', 'Z']);
    expect([...gone]).toEqual(['A']);
    const left = await db.pool.query(`SELECT count(*)::int AS n FROM destinations WHERE phone_number = '+12125550100'`);
    expect(left.rows[0].n).toBe(0);
  });

  it('remembers zones once', async () => {
    await prospects.rememberTimeZones(db.pool, ['America/Chicago', 'America/New_York', 'America/Chicago']);
    await prospects.rememberTimeZones(db.pool, ['America/New_York']);
    const { rows } = await db.pool.query('SELECT name FROM time_zones ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(['America/Chicago', 'America/New_York']);
  });
});
