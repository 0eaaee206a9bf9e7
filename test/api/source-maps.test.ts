import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, testApp, type TestApp } from './test-app';

describe('source maps API (CREATESOURCEMAP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ env: { MAX_DESTINATIONS: '3' } });
  });
  afterAll(async () => t.close());

  const put = (name: string, payload: unknown) =>
    t.app.inject({ method: 'PUT', url: `/v1/source-maps/${encodeURIComponent(name)}`, payload: payload as object });

  it('creates version 1, answers NoChangesMade for the same map, and versions a change', async () => {
    const mapping = { ExternalID: 'id', PhoneNumber: 'phone', Zip: 'address.zip' };
    const created = await put('crm', { Mapping: mapping });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toEqual({ SourceName: 'crm', Version: 1, Result: 'Created' });

    // Same meaning in another form: key order and ["phone"] instead of "phone".
    const same = await put('crm', { Mapping: { Zip: 'address.zip', PhoneNumber: ['phone'], ExternalID: 'id' } });
    expect(same.json()).toEqual({ SourceName: 'crm', Version: 1, Result: 'NoChangesMade' });

    const changed = await put('crm', { Mapping: { ...mapping, FirstName: 'first' } });
    expect(changed.json()).toEqual({ SourceName: 'crm', Version: 2, Result: 'Updated' });

    const read = await t.app.inject({ method: 'GET', url: '/v1/source-maps/crm' });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({ SourceName: 'crm', Version: 2, Mapping: { ...mapping, FirstName: 'first' } });
    expect(await count(t.db, 'source_maps')).toBe(2);
  });

  it('gives concurrent PUTs of different maps distinct consecutive versions, never a 500', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => put('busy', { Mapping: { ExternalID: `id${i}`, PhoneNumber: 'phone' } })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(200));
    expect(answers.map((a) => a.json().Version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('gives concurrent PUTs of one map a single version', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => put('twins', { Mapping: { ExternalID: 'id', PhoneNumber: 'phone' } })),
    );
    expect(answers.map((a) => a.json().Version)).toEqual(Array(6).fill(1));
    expect(answers.filter((a) => a.json().Result === 'Created')).toHaveLength(1);
  });

  it.each([
    ['InvalidSource', 'bad name!', { Mapping: { ExternalID: 'id', PhoneNumber: 'p' } }],
    ['InvalidSource', 'x'.repeat(101), { Mapping: { ExternalID: 'id', PhoneNumber: 'p' } }],
    ['InvalidRootNode', 'src', { Mapping: ['id'] }],
    ['InvalidRootNode', 'src', { Mapping: 'id' }],
    ['InvalidRootNode', 'src', { Mapping: null }],
    ['InvalidRootNode', 'src', { ExternalID: 'id', PhoneNumber: 'p' }],
    ['InvalidRootNode', 'src', [1, 2]],
    ['InvalidFieldName', 'src', { Mapping: { ExternalID: 'id', PhoneNumber: 'p', Phone2: 'q' } }],
    ['InvalidFieldName', 'src', { Mapping: { ExternalID: 'a..b', PhoneNumber: 'p' } }],
    ['InvalidFieldName', 'src', { Mapping: { ExternalID: 5, PhoneNumber: 'p' } }],
    ['MissingRequiredField', 'src', { Mapping: { PhoneNumber: 'p' } }],
    ['MissingRequiredField', 'src', { Mapping: { ExternalID: 'id' } }],
    ['ExceededMaxDestinations', 'src', { Mapping: { ExternalID: 'id', PhoneNumber: ['a', 'b', 'c', 'd'] } }],
  ])('refuses with %s (%s)', async (code, name, payload) => {
    const res = await put(name, payload);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json().error.code).toBe(code);
    expect(typeof res.json().error.message).toBe('string');
    expect((await t.app.inject({ method: 'GET', url: `/v1/source-maps/src` })).statusCode).toBe(404);
  });

  it('answers an unknown source with 404 UnknownSource', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/source-maps/nobody' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('UnknownSource');
  });
});
