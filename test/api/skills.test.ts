import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './test-app';

describe('skills API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => t.close());

  const body = {
    Name: 'Renewals East',
    DefaultExpirationDays: 30,
    CallingWindow: { Start: '07:00', End: '20:00' },
    MaxAttempts: 4,
    MinRetryMinutes: 90,
    Refill: {
      Enabled: true,
      SourceName: 'crm',
      LowWaterMark: 50,
      TargetDepth: 200,
      MaxInventory: 1000,
      NoTimeZoneReject: 'Yes',
      TimeZone: 'America/New_York',
      Connector: { Type: 'demo', Seed: 3 },
    },
  };

  it('creates, then replaces, a skill and stores its typed columns', async () => {
    const created = await t.app.inject({ method: 'PUT', url: '/v1/skills/4100', payload: body });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ SkillNo: 4100, Name: 'Renewals East', Result: 'Created', MaxAttempts: 4 });
    expect(created.json().Refill).toMatchObject({ CheckIntervalSeconds: 5, Connector: { Type: 'demo', Seed: 3, BadRowRate: 0.1 } });

    const { rows } = await t.db.pool.query(
      `SELECT refill_enabled, window_start::text, window_end::text, max_attempts, min_retry_minutes FROM skills WHERE skill_no = 4100`,
    );
    // The window is narrowed to 08:00-21:00, never refused for being wider.
    expect(rows[0]).toEqual({
      refill_enabled: true,
      window_start: '08:00:00',
      window_end: '20:00:00',
      max_attempts: 4,
      min_retry_minutes: 90,
    });

    const replaced = await t.app.inject({ method: 'PUT', url: '/v1/skills/4100', payload: { Name: 'Renewals' } });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ SkillNo: 4100, Name: 'Renewals', Result: 'Updated', MaxAttempts: 3 });
    expect(replaced.json().Refill).toBeUndefined();
    const after = await t.db.pool.query('SELECT refill_enabled, max_attempts FROM skills WHERE skill_no = 4100');
    expect(after.rows[0]).toEqual({ refill_enabled: false, max_attempts: 3 });
  });

  it('reads one skill and lists them in SkillNo order', async () => {
    await t.app.inject({ method: 'PUT', url: '/v1/skills/12', payload: { Name: 'Twelve' } });
    const one = await t.app.inject({ method: 'GET', url: '/v1/skills/12' });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual({
      SkillNo: 12,
      Name: 'Twelve',
      CallingWindow: { Start: '08:00', End: '21:00' },
      MaxAttempts: 3,
      MinRetryMinutes: 60,
    });
    const list = await t.app.inject({ method: 'GET', url: '/v1/skills' });
    expect(list.json().Skills.map((s: { SkillNo: number }) => s.SkillNo)).toEqual([12, 4100]);
  });

  it('answers 404 UnknownSkill for a skill that does not exist', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/skills/999' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('UnknownSkill');
  });

  it.each(['0', '-1', 'abc', '1.5', '99999999999', '1e3'])('refuses SkillNo %s with 400 InvalidData', async (no) => {
    const res = await t.app.inject({ method: 'PUT', url: `/v1/skills/${no}`, payload: { Name: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('InvalidData');
    expect(res.json().error.message).toContain('SkillNo');
  });

  it.each([
    [{}, 'Name'],
    [{ Name: 5 }, 'Name'],
    [{ Name: 'x', MaxAttempts: 'three' }, 'MaxAttempts'],
    [{ Name: 'x', CallingWindow: { Start: '8am' } }, 'CallingWindow.Start'],
    [{ Name: 'x', CallingWindow: { Start: '21:00', End: '22:00' } }, 'CallingWindow'],
    [{ Name: 'x', Refill: { SourceName: 'crm', LowWaterMark: 300, TargetDepth: 200 } }, 'Refill.LowWaterMark'],
    [{ Name: 'x', Refill: { SourceName: 'crm', TargetDepth: 2000, MaxInventory: 1000 } }, 'Refill.TargetDepth'],
    [{ Name: 'x', Refill: { SourceName: 'crm', TimeZone: 'Mars/Olympus' } }, 'Refill.TimeZone'],
    [{ Name: 'x', Refill: { SourceName: 'crm', NoTimeZoneReject: 'Yes' } }, 'Refill.TimeZone'],
    [{ Name: 'x', Refill: { SourceName: 'crm', Connector: { Type: 'ftp' } } }, 'Refill.Connector'],
  ])('refuses a bad body %j naming %s', async (payload, property) => {
    const res = await t.app.inject({ method: 'PUT', url: '/v1/skills/77', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('InvalidData');
    expect(res.json().error.message).toContain(property);
    expect((await t.app.inject({ method: 'GET', url: '/v1/skills/77' })).statusCode).toBe(404);
  });

  it('answers a body that is not JSON with 400 InvalidData', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/v1/skills/5',
      headers: { 'content-type': 'application/json' },
      payload: '{"Name": "x",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('InvalidData');
  });

  it('answers an unknown route with 404 NotFound in the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/nothing-here?PhoneNumber=2125550100' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NotFound', message: 'no route GET /v1/nothing-here' } });
  });
});
