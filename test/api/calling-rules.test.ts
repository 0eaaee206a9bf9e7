import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server';
import { putSkill } from '../../src/services/skills';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { dropPrefix, testDeps } from '../queue/queue-test-kit';

let db: TestDb;
let app: FastifyInstance;
const prefix = uniquePrefix('rulesapi');

beforeAll(async () => {
  db = await freshSchema('rulesapi');
  const deps = testDeps(db.pool, prefix);
  await putSkill(deps, 901, { Name: 'Mornings', CallingWindow: { Start: '09:00', End: '12:00' } });
  app = buildServer(deps);
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await dropPrefix(prefix);
  await db.drop();
});

const check = (q: string) => app.inject({ url: `/v1/calling-rules/check?${q}` });

describe('GET /v1/calling-rules', () => {
  it("answers the file's version and its cited rules", async () => {
    const res = await app.inject({ url: '/v1/calling-rules' });
    expect(res.statusCode).toBe(200);
    expect(res.json().Version).toMatch(/\S/);
    expect(res.json().States.FL.Rules[0]).toMatchObject({ Kind: 'Hours', End: '20:00', EffectiveDate: '2021-07-01' });
  });
});

describe('GET /v1/calling-rules/check', () => {
  it('a Florida contact with a New York number at 20:30 Eastern waits for 08:00', async () => {
    const res = await check('PhoneNumber=%2B12125550123&State=FL&At=2026-07-01T20:30:00-04:00');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ Callable: false, NextCallableAt: '2026-07-02T12:00:00.000Z', Reasons: ['StateHours:FL'] });
  });
  it('a Louisiana ZIP on a Sunday; the skill window on a weekday', async () => {
    const la = (await check('PhoneNumber=5045550123&Zip=70112&At=2026-07-05T12:00:00-05:00')).json();
    expect(la).toEqual({ Callable: false, NextCallableAt: '2026-07-06T13:00:00.000Z', Reasons: ['ClosedDay:LA-Sunday'] });
    const w = (await check('PhoneNumber=2125550123&At=2026-07-01T13:00:00-04:00&SkillNo=901')).json();
    expect(w).toEqual({ Callable: false, NextCallableAt: '2026-07-02T13:00:00.000Z', Reasons: ['Window'] });
  });
  it('holds an autodialed call to South Dakota on a Saturday, not a Manual one (Mode)', async () => {
    const q = 'PhoneNumber=%2B16055550100&Zip=57104&At=2026-12-12T12:00:00-06:00'; // Sioux Falls: Central time
    expect((await check(q)).json()).toEqual({
      Callable: false,
      NextCallableAt: '2026-12-14T15:00:00.000Z',
      Reasons: ['ClosedDay:SD-Saturday'],
    });
    expect((await check(`${q}&Mode=Manual`)).json()).toMatchObject({ Callable: true, Reasons: [] });
    expect((await check(`${q}&Mode=Robot`)).statusCode).toBe(400);
  });
  it('refuses a bad number, instant, state or skill', async () => {
    expect((await check('PhoneNumber=12345')).statusCode).toBe(400);
    expect((await check('PhoneNumber=2125550123&At=2026-07-01T20:30:00')).statusCode).toBe(400);
    expect((await check('PhoneNumber=2125550123&At=yesterday')).statusCode).toBe(400);
    expect((await check('PhoneNumber=2125550123&State=Narnia')).statusCode).toBe(400);
    expect((await check('PhoneNumber=2125550123&SkillNo=999999')).statusCode).toBe(404);
    expect((await check('PhoneNumber=12345')).json().error.code).toBe('InvalidPhoneNumber');
  });
});
