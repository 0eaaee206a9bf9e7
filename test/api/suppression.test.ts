import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, metricSample, testApp, type TestApp } from './test-app';

type Rec = Record<string, unknown>;
let t: TestApp;
let clock = new Date('2026-03-02T15:00:00Z');

beforeAll(async () => {
  t = await testApp({ now: () => clock });
});
afterAll(async () => t.close());

async function call(method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: unknown) {
  const res = await t.app.inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.json() };
}

const check = async (number: string, skill?: number) =>
  (await call('GET', `/v1/suppression?PhoneNumber=${encodeURIComponent(number)}${skill ? `&SkillNo=${skill}` : ''}`)).body;

describe('suppression lists (contract section 8)', () => {
  it('creates, updates, reads and lists lists with their entry counts and rules', async () => {
    expect((await call('PUT', '/v1/suppression-lists/internal', { Description: 'ours' })).body).toMatchObject({
      ListName: 'internal',
      Result: 'Created',
      AllSkills: false,
      Entries: 0,
    });
    expect((await call('PUT', '/v1/suppression-lists/internal', { AllSkills: false })).body).toMatchObject({
      Result: 'Updated',
      Description: 'ours',
    });
    const all = (await call('GET', '/v1/suppression-lists')).body;
    expect(all.Lists.map((l: Rec) => l.ListName)).toEqual(['Revocations', 'internal']);
    expect(all.Rules.map((r: Rec) => r.Name)).toContain('RevocationHonoured');
    expect((await call('GET', '/v1/suppression-lists/nope')).body.error.code).toBe('UnknownList');
    expect((await call('GET', '/v1/suppression-lists/nope')).status).toBe(404);
    expect((await call('PUT', '/v1/suppression-lists/Revocations', { AllSkills: false })).status).toBe(409);
  });

  it('answers every entry once, in order, and writes the valid ones', async () => {
    const data = [
      { PhoneNumber: '(212) 555-0100', Reason: 'asked' },
      { PhoneNumber: '12345' },
      { Prefix: '+1646555' },
      { Prefix: '1212' },
      'not an object',
      { PhoneNumber: '+1 212 555 0100' },
      { PhoneNumber: '+12125550101', ExpiresAt: 'soon' },
      { PhoneNumber: '+12125550101', Prefix: '+1212' },
    ];
    const { status, body } = await call('POST', '/v1/suppression-lists/internal/entries', { Data: data });
    expect(status).toBe(200);
    const ok = body.Results.SuccessfulRecords;
    const failed = body.Results.FailedRecords;
    expect(ok.map((r: Rec) => r.ResultCode)).toEqual(['Added', 'Added', 'Added']);
    expect(ok[2].ResultMessage).toMatch(/Data\[0\]/);
    expect(failed.map((r: Rec) => r.ResultCode)).toEqual([
      'InvalidPhoneNumber',
      'InvalidFieldValue',
      'InvalidFieldValue',
      'InvalidFieldValue',
      'InvalidFieldValue',
    ]);
    expect(ok.length + failed.length).toBe(data.length);
    expect((await call('GET', '/v1/suppression-lists/internal')).body.Entries).toBe(2);
    const again = await call('POST', '/v1/suppression-lists/internal/entries', { Data: [{ PhoneNumber: '2125550100', Reason: 'again' }] });
    expect(again.body.Results.SuccessfulRecords[0].ResultCode).toBe('Updated');
    expect((await call('GET', '/v1/suppression-lists/internal')).body.Entries).toBe(2);
  });

  it('refuses a call-level problem before writing anything', async () => {
    const before = await count(t.db, 'suppression_batches');
    expect((await call('POST', '/v1/suppression-lists/nope/entries', { Data: [{ PhoneNumber: '+12125550199' }] })).status).toBe(404);
    expect((await call('POST', '/v1/suppression-lists/internal/entries', { Data: 'x' })).status).toBe(400);
    expect((await call('POST', '/v1/suppression-lists/internal/entries', {})).status).toBe(400);
    const huge = Array.from({ length: 50_001 }, () => ({ PhoneNumber: '+12125550199' }));
    expect((await call('POST', '/v1/suppression-lists/internal/entries', { Data: huge })).body.error.code).toBe('BatchTooLarge');
    expect((await call('POST', '/v1/suppression-lists/Revocations/entries', { Data: [{ PhoneNumber: '+12125550199' }] })).status).toBe(409);
    expect(await count(t.db, 'suppression_batches')).toBe(before);
    expect((await check('+12125550199')).Suppressed).toBe(false);
    const empty = await call('POST', '/v1/suppression-lists/internal/entries', { Data: [] });
    expect(empty.body.Results).toEqual({ SuccessfulRecords: [], FailedRecords: [] });
  });

  it('checks a number by its entry and by the prefixes over it', async () => {
    const byNumber = await check('212-555-0100');
    expect(byNumber).toMatchObject({ PhoneNumber: '+12125550100', Suppressed: true });
    expect(byNumber.Matches).toEqual([expect.objectContaining({ ListName: 'internal', PhoneNumber: '+12125550100', Reason: 'again' })]);
    const byPrefix = await check('+16465550123');
    expect(byPrefix.Matches).toEqual([expect.objectContaining({ ListName: 'internal', Prefix: '+1646555' })]);
    expect((await check('+16465560123')).Suppressed).toBe(false);
    expect((await call('GET', '/v1/suppression?PhoneNumber=123')).body.error.code).toBe('InvalidPhoneNumber');
    expect((await call('GET', '/v1/suppression?PhoneNumber=%2B12125550100&SkillNo=999')).body.error.code).toBe('UnknownSkill');
  });

  it('an entry stops suppressing exactly at its ExpiresAt', async () => {
    await call('POST', '/v1/suppression-lists/internal/entries', {
      Data: [{ PhoneNumber: '+13125550100', ExpiresAt: '2026-03-02T16:00:00Z' }],
    });
    expect((await check('+13125550100')).Suppressed).toBe(true);
    clock = new Date('2026-03-02T15:59:59.999Z');
    expect((await check('+13125550100')).Suppressed).toBe(true);
    clock = new Date('2026-03-02T16:00:00Z');
    expect((await check('+13125550100')).Suppressed).toBe(false);
    clock = new Date('2026-03-02T15:00:00Z');
  });

  it('keeps every add and removal in the history, oldest first', async () => {
    const list = '/v1/suppression-lists/internal';
    const n = '+14155550100';
    clock = new Date('2026-03-03T10:00:00Z');
    await call('POST', `${list}/entries`, { Data: [{ PhoneNumber: n, Reason: 'first' }] });
    clock = new Date('2026-03-03T11:00:00Z');
    const removed = await call('POST', `${list}/remove-entries`, {
      Data: [{ PhoneNumber: n }, { PhoneNumber: n }, { PhoneNumber: '+14155550111' }, { Prefix: 'x' }],
      Reason: 'consent given',
    });
    expect(removed.body.Results.SuccessfulRecords.map((r: Rec) => r.ResultCode)).toEqual(['Removed']);
    expect(removed.body.Results.FailedRecords.map((r: Rec) => r.ResultCode)).toEqual(['NotFound', 'NotFound', 'InvalidFieldValue']);
    expect((await check(n)).Suppressed).toBe(false);
    clock = new Date('2026-03-03T12:00:00Z');
    await call('POST', `${list}/entries`, { Data: [{ PhoneNumber: n, Reason: 'asked again' }] });
    const history = (await call('GET', `${list}/history?PhoneNumber=${encodeURIComponent(n)}`)).body;
    expect(history.PhoneNumber).toBe(n);
    expect(history.History.map((h: Rec) => [h.Action, h.At, h.Reason, h.Source, h.Role, h.Current])).toEqual([
      ['Added', '2026-03-03T10:00:00.000Z', 'first', 'Api', null, false],
      ['Removed', '2026-03-03T11:00:00.000Z', 'consent given', 'Api', null, false],
      ['Added', '2026-03-03T12:00:00.000Z', 'asked again', 'Api', null, true],
    ]);
    clock = new Date('2026-03-02T15:00:00Z');
  });

  it('records revocations as list Revocations, for every skill', async () => {
    await call('PUT', '/v1/skills/4100', { Name: 'Sales' });
    const res = await call('POST', '/v1/consent/revocations', {
      Data: [
        { PhoneNumber: '+17185550100', At: '2026-03-01T09:30:00Z', Channel: 'SMS STOP' },
        { PhoneNumber: 'x' },
        { PhoneNumber: '+17185550101', At: 'yesterday' },
      ],
    });
    expect(res.body.Results.SuccessfulRecords).toEqual([expect.objectContaining({ PhoneNumber: '+17185550100', ResultCode: 'Added' })]);
    expect(res.body.Results.FailedRecords.map((r: Rec) => r.ResultCode)).toEqual(['InvalidPhoneNumber', 'InvalidFieldValue']);
    const answer = await check('+17185550100', 4100);
    expect(answer.Matches).toEqual([
      expect.objectContaining({
        ListName: 'Revocations',
        PhoneNumber: '+17185550100',
        Reason: 'consent revoked at 2026-03-01T09:30:00.000Z via SMS STOP',
      }),
    ]);
    // The skill names no list: internal does not apply to it, Revocations does.
    expect((await check('+12125550100', 4100)).Suppressed).toBe(false);
    expect(
      (await call('POST', '/v1/suppression-lists/Revocations/remove-entries', { Data: [{ PhoneNumber: '+17185550100' }] })).status,
    ).toBe(409);
    const history = (await call('GET', '/v1/suppression-lists/Revocations/history?PhoneNumber=%2B17185550100')).body;
    expect(history.History).toEqual([expect.objectContaining({ Action: 'Added', Source: 'Revocation' })]);
  });

  it("applies a skill's named lists and every AllSkills list", async () => {
    await t.db.pool.query(`UPDATE skills SET body = body || '{"Compliance":{"SuppressionLists":["internal"]}}' WHERE skill_no = 4100`);
    expect((await check('+12125550100', 4100)).Matches.map((m: Rec) => m.ListName)).toEqual(['internal']);
    await call('PUT', '/v1/suppression-lists/everyone', { AllSkills: true });
    await call('POST', '/v1/suppression-lists/everyone/entries', { Data: [{ PhoneNumber: '+12125550100' }] });
    await call('PUT', '/v1/suppression-lists/other', {});
    await call('POST', '/v1/suppression-lists/other/entries', { Data: [{ PhoneNumber: '+12125550100' }] });
    expect((await check('+12125550100', 4100)).Matches.map((m: Rec) => m.ListName)).toEqual(['everyone', 'internal']);
    expect((await check('+12125550100')).Matches.map((m: Rec) => m.ListName)).toEqual(['everyone', 'internal', 'other']);
  });

  it("counts the skill's DoNotCallList among its lists, as its claims and loads do", async () => {
    await call('PUT', '/v1/suppression-lists/outcomes', {});
    await call('POST', '/v1/suppression-lists/outcomes/entries', { Data: [{ PhoneNumber: '+13055550100' }] });
    expect((await check('+13055550100', 4100)).Suppressed).toBe(false);
    await t.db.pool.query(`UPDATE skills SET body = jsonb_set(body, '{Compliance,DoNotCallList}', '"outcomes"') WHERE skill_no = 4100`);
    expect((await check('+13055550100', 4100)).Matches).toEqual([
      expect.objectContaining({ ListName: 'outcomes', PhoneNumber: '+13055550100' }),
    ]);
    await call('PUT', '/v1/skills/4101', { Name: 'No lists' });
    expect((await check('+13055550100', 4101)).Suppressed).toBe(false);
    expect((await check('+13055550100', 4102)).error.code).toBe('UnknownSkill');
  });

  it('shows entries per list as a gauge labelled by list name, never by a number', async () => {
    const { body } = await call('GET', '/v1/suppression-lists/internal');
    expect(await metricSample(t.app, 'prospect_feeder_suppression_list_entries{list="internal"}')).toBe(body.Entries);
    await call('PUT', '/v1/suppression-lists/2125550100', {});
    await call('POST', '/v1/suppression-lists/2125550100/entries', { Data: [{ PhoneNumber: '+12125550100' }] });
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).not.toContain('2125550100');
    expect(text).toMatch(/prospect_feeder_suppression_list_entries\{list="list_\d+"\} 1/);
  });

  it('deletes a list no skill names, keeping its entries and history; refuses one a skill names, and Revocations', async () => {
    await call('PUT', '/v1/suppression-lists/seasonal', {});
    await call('POST', '/v1/suppression-lists/seasonal/entries', { Data: [{ PhoneNumber: '+15035550100', Reason: 'asked' }] });
    await call('PUT', '/v1/skills/4200', { Name: 'Seasonal', Compliance: { DoNotCallList: 'seasonal' } });
    expect((await check('+15035550100', 4200)).Suppressed).toBe(true);

    const inUse = await call('DELETE', '/v1/suppression-lists/seasonal');
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toMatchObject({ code: 'ListInUse', message: expect.stringContaining('4200') });
    expect((await check('+15035550100', 4200)).Suppressed).toBe(true);

    await call('PUT', '/v1/skills/4200', { Name: 'Seasonal' });
    const { rows } = await t.db.pool.query<{ list_id: number }>("SELECT list_id FROM suppression_lists WHERE name = 'seasonal'");
    const deleted = await call('DELETE', '/v1/suppression-lists/seasonal');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ ListName: 'seasonal', Result: 'Deleted', Entries: 1 });
    expect((await call('GET', '/v1/suppression-lists/seasonal')).status).toBe(404);
    expect((await call('DELETE', '/v1/suppression-lists/seasonal')).status).toBe(404);
    expect((await check('+15035550100')).Suppressed).toBe(false);
    // Kept on record: the entry and its add, under the deleted list's id.
    const kept = await t.db.pool.query(
      'SELECT (SELECT count(*) FROM suppression_numbers WHERE list_id = $1)::int AS entries, (SELECT count(*) FROM suppression_batches WHERE list_id = $1)::int AS batches',
      [rows[0]!.list_id],
    );
    expect(kept.rows[0]).toEqual({ entries: 1, batches: 1 });
    // The name is free again: a new, empty list.
    expect((await call('PUT', '/v1/suppression-lists/seasonal', {})).body).toMatchObject({ Result: 'Created', Entries: 0 });

    expect((await call('DELETE', '/v1/suppression-lists/Revocations')).body.error.code).toBe('ListReadOnly');
  });
});
