import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/domain/json-depth';
import { nestedText } from '../support/json-text';
import { count, testApp, type TestApp } from './test-app';

describe('caller input that Postgres or the stack cannot take', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await t.app.inject({ method: 'PUT', url: '/v1/skills/4100', payload: { Name: 'S' } });
    const mapped = await t.app.inject({
      method: 'PUT',
      url: '/v1/source-maps/crm',
      payload: { Mapping: { ExternalID: 'id', PhoneNumber: 'phone', FirstName: 'first', 'Custom.X': 'x' } },
    });
    expect(mapped.statusCode).toBe(200);
  });
  afterAll(async () => t.close());

  const send = (method: 'GET' | 'PUT' | 'POST', url: string, body?: string) =>
    t.app.inject({ method, url, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { payload: body } : {}) });

  async function written() {
    return { runs: await count(t.db, 'runs'), results: await count(t.db, 'run_results'), prospects: await count(t.db, 'prospects') };
  }

  it.each([
    ['GET', '/v1/skills/4100/prospects?SourceName=crm&ExternalID=%00', 'query parameter "ExternalID"'],
    ['GET', '/v1/skills/4100/prospects?SourceName=%00&ExternalID=A', 'query parameter "SourceName"'],
    ['GET', '/v1/skills/4100/prospects?PhoneNumber=212%00', 'query parameter "PhoneNumber"'],
    ['GET', '/v1/source-maps/cr%00m', 'path parameter "SourceName"'],
    ['POST', '/v1/claims/%00/outcome', 'path parameter "ClaimId"'],
    ['GET', '/v1/runs/1/results?ResultCode=Created&ResultCode=%00', 'query parameter "ResultCode"'],
  ] as const)('refuses NUL in the URL: %s %s', async (method, url, named) => {
    const res = await send(method, url, method === 'POST' ? '{"Outcome":"Busy"}' : undefined);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('InvalidData');
    expect(res.json().error.message).toContain(named);
  });

  it.each(['/v1/create-prospects', '/v1/remove-prospects'])('%s refuses a SourceName holding NUL, writing nothing', async (url) => {
    const before = await written();
    const res = await send(
      'POST',
      url,
      JSON.stringify({ SkillNo: 4100, SourceName: 'crm\u0000', Data: [{ id: 'A', phone: '2125550100' }] }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'InvalidData', message: 'SourceName: must not hold the NUL character' } });
    expect(await written()).toEqual(before);
  });

  it('stores records whose values and keys hold NUL or lone surrogates, one result each', async () => {
    const data = [
      { id: 'N1', phone: '2125550100', first: 'A\u0000nn', x: 'q\ud800' },
      { id: 'N2', phone: '2125550101', extra: { 'k\u0000': 'v\udc00' } },
      { id: 'N1\u0000', phone: '2125550102' },
    ];
    const res = await send('POST', '/v1/create-prospects', JSON.stringify({ SkillNo: 4100, SourceName: 'crm', Data: data }));
    expect(res.statusCode).toBe(200);
    const { SuccessfulRecords, FailedRecords } = res.json().Results;
    expect(SuccessfulRecords.map((r: { ResultCode: string }) => r.ResultCode)).toEqual(['Created', 'Created']);
    // The ID is read as cleaned text, so "N1\u0000" is the same contact as "N1".
    expect(FailedRecords.map((r: { ResultCode: string }) => r.ResultCode)).toEqual(['DuplicateExternalId']);
    const read = await send('GET', '/v1/skills/4100/prospects?SourceName=crm&ExternalID=N1');
    expect(read.json().Prospects[0]).toMatchObject({ FirstName: 'Ann', Fields: { 'Custom.X': 'q\ufffd' } });
  });

  it.each([
    [
      'POST',
      '/v1/create-prospects',
      `{"SkillNo":4100,"SourceName":"crm","Data":[{"id":"D1","phone":"2125550103","deep":${nestedText(10_000)}}]}`,
    ],
    ['POST', '/v1/create-prospects', `{"SkillNo":4100,"SourceName":"crm","Data":[${nestedText(10_000)}]}`],
    ['POST', '/v1/remove-prospects', `{"SkillNo":4100,"SourceName":"crm","Data":[{"id":"N1"},${nestedText(10_000)}]}`],
    ['PUT', '/v1/source-maps/crm', `{"Mapping":${nestedText(10_000)}}`],
    ['PUT', '/v1/skills/4100', nestedText(100_000)],
  ] as const)('refuses a body nested 10,000 levels deep before writing: %s %s', async (method, url, body) => {
    const before = await written();
    const res = await send(method, url, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({
      code: 'InvalidData',
      message: `the body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep`,
    });
    expect(await written()).toEqual(before);
  });

  it('takes a record nested as deep as the limit allows', async () => {
    // body 1, Data 2, record 3, so the record's own value may nest MAX_JSON_DEPTH - 3 levels.
    const body = `{"SkillNo":4100,"SourceName":"crm","Data":[{"id":"D2","phone":"2125550104","deep":${nestedText(MAX_JSON_DEPTH - 3)}}]}`;
    const res = await send('POST', '/v1/create-prospects', body);
    expect(res.statusCode).toBe(200);
    expect(res.json().Results.SuccessfulRecords).toHaveLength(1);
    const over = body.replace(nestedText(MAX_JSON_DEPTH - 3), nestedText(MAX_JSON_DEPTH - 2));
    expect((await send('POST', '/v1/create-prospects', over)).statusCode).toBe(400);
  });
});
