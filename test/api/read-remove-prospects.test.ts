import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server';
import { count, testApp, type TestApp } from './test-app';

describe('reading back and removing prospects', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await t.app.inject({ method: 'PUT', url: '/v1/skills/7', payload: { Name: 'Seven' } });
    await t.app.inject({
      method: 'PUT',
      url: '/v1/source-maps/crm',
      payload: {
        Mapping: {
          ExternalID: 'contact.id',
          FirstName: 'contact.first',
          PhoneNumber: ['contact.phones', { Path: 'contact.cell', Type: 'Mobile' }],
          Zip: 'contact.zip',
          ExpirationDate: 'until',
          Priority: 'prio',
          Score: 'score',
          'Custom.Plan': 'plan',
        },
      },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/create-prospects',
      payload: {
        SkillNo: 7,
        SourceName: 'crm',
        Data: [
          {
            contact: { id: 'P1', first: 'Pat', phones: ['(212) 555-0100', '212-555-0101'], cell: '312 555 0142', zip: '10001' },
            prio: 3,
            score: 0.5,
            plan: 'gold',
            until: '2026-12-31',
          },
          { contact: { id: 'P2', first: 'Sam', phones: ['212 555 0100'], zip: '60601' } },
          { contact: { id: 'P3', first: 'Old', phones: ['2125550102'], zip: '10001' }, until: '2026-03-03' },
          { contact: { id: 'P4', phones: ['2125550103'], zip: '10001' } },
        ],
      },
    });
    expect(res.json().Results.FailedRecords).toEqual([]);
  });
  afterAll(async () => t.close());

  const get = (query: string, skill = 7) => t.app.inject({ method: 'GET', url: `/v1/skills/${skill}/prospects?${query}` });

  it('answers the contract shape by ExternalID', async () => {
    const res = await get('SourceName=crm&ExternalID=P1');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      Prospects: [
        {
          ExternalID: 'P1',
          SourceName: 'crm',
          FirstName: 'Pat',
          LastName: null,
          TimeZone: 'America/New_York',
          TimeZoneSource: 'Zip',
          ExpirationDate: '2026-12-31',
          Priority: 3,
          Score: 0.5,
          Fields: expect.objectContaining({ 'Custom.Plan': 'gold' }),
          Status: 'Active',
          Destinations: [
            { PhoneNumber: '+12125550100', Type: expect.any(String), TimeZone: 'America/New_York' },
            { PhoneNumber: '+12125550101', Type: expect.any(String), TimeZone: 'America/New_York' },
            { PhoneNumber: '+13125550142', Type: 'Mobile', TimeZone: 'America/Chicago' },
          ],
        },
      ],
    });
  });

  it('finds by PhoneNumber written any way, normalized with DEFAULT_COUNTRY', async () => {
    for (const written of ['2125550100', '(212) 555-0100', '+1 212.555.0100']) {
      const res = await get(`PhoneNumber=${encodeURIComponent(written)}`);
      expect(res.json().Prospects.map((p: { ExternalID: string }) => p.ExternalID)).toEqual(['P1', 'P2']);
    }
    expect((await get('PhoneNumber=2125550100&Limit=1')).json().Prospects).toHaveLength(1);
    expect((await get('PhoneNumber=2125559999')).json()).toEqual({ Prospects: [] });
  });

  it('shows expired and finalized prospects with their Status', async () => {
    const later = await testAppClock(t, new Date('2026-03-10T12:00:00Z'));
    expect((await later('SourceName=crm&ExternalID=P3')).json().Prospects[0].Status).toBe('Expired');
    await t.db.pool.query(`UPDATE prospects SET status = 'Finalized' WHERE external_id = 'P4'`);
    expect((await get('SourceName=crm&ExternalID=P4')).json().Prospects[0].Status).toBe('Finalized');
  });

  it.each([
    [400, 'InvalidData', 'SourceName=crm'],
    [400, 'InvalidPhoneNumber', 'PhoneNumber=12345'],
    [400, 'InvalidData', 'ExternalID=P1&Limit=0'],
    [400, 'InvalidData', 'ExternalID=P1&Limit=abc'],
  ])('answers %i %s for ?%s', async (status, code, query) => {
    const res = await get(query);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it('answers 404 UnknownSkill for an unknown skill', async () => {
    const res = await get('ExternalID=P1', 99);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('UnknownSkill');
  });

  it('removes by mapped ExternalID, ExternalID property or bare id, answering each record', async () => {
    const data = [{ contact: { id: 'P1' } }, { ExternalID: 'P2' }, 'P3', { contact: { id: 'nobody' } }, { other: 1 }, 'P2'];
    const res = await t.app.inject({ method: 'POST', url: '/v1/remove-prospects', payload: { SkillNo: 7, SourceName: 'crm', Data: data } });
    expect(res.statusCode).toBe(200);
    const { Results } = res.json();
    expect(Results.SuccessfulRecords).toEqual([
      { contact: { id: 'P1' }, ResultCode: 'Removed' },
      { ExternalID: 'P2', ResultCode: 'Removed' },
      expect.objectContaining({ ResultCode: 'Removed' }),
    ]);
    expect(Results.FailedRecords.map((r: { ResultCode: string }) => r.ResultCode)).toEqual([
      'NotFound',
      'MissingExternalId',
      'DuplicateExternalId',
    ]);
    expect(await count(t.db, 'prospects')).toBe(1);
    const left = await t.db.pool.query(`SELECT count(*)::int AS n FROM destinations d JOIN prospects p USING (prospect_id)`);
    expect(left.rows[0].n).toBe(await count(t.db, 'destinations'));
  });

  it.each([
    [404, 'UnknownSkill', { SkillNo: 99, SourceName: 'crm', Data: [] }],
    [400, 'InvalidData', { SkillNo: 7, SourceName: 'crm', Data: 'P1' }],
    [400, 'InvalidData', { SkillNo: 7, Data: [] }],
  ])('refuses a bad remove call with %i %s', async (status, code, payload) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/remove-prospects', payload });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });
});

/** Reads prospects through the same database with a later clock. */
async function testAppClock(t: TestApp, now: Date) {
  const app = buildServer({ ...t.deps, now: () => now });
  await app.ready();
  return async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/v1/skills/7/prospects?${query}` });
    return res;
  };
}
