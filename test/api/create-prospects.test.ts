import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, metricSample, testApp, type TestApp } from './test-app';

type Results = { SuccessfulRecords: Record<string, unknown>[]; FailedRecords: Record<string, unknown>[] };

describe('POST /v1/create-prospects (CREATEPROSPECTS v2)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // 2026-03-02T15:00Z: 10:00 in New York.
    t = await testApp();
    await t.app.inject({ method: 'PUT', url: '/v1/skills/4100', payload: { Name: 'Renewals', DefaultExpirationDays: 30 } });
    await t.app.inject({ method: 'PUT', url: '/v1/skills/4200', payload: { Name: 'Other' } });
    const mapped = await t.app.inject({
      method: 'PUT',
      url: '/v1/source-maps/crm',
      payload: {
        Mapping: {
          ExternalID: 'id',
          FirstName: 'first',
          LastName: 'last',
          PhoneNumber: ['phone', { Path: 'mobile', Type: 'Mobile' }],
          Zip: 'zip',
          State: 'state',
          TimeZone: 'tz',
          ExpirationDate: 'expires',
          Priority: 'prio',
          'Custom.Plan': 'plan',
        },
      },
    });
    expect(mapped.statusCode).toBe(200);
  });
  afterAll(async () => t.close());

  const post = (payload: unknown) => t.app.inject({ method: 'POST', url: '/v1/create-prospects', payload: payload as object });

  async function tableCounts() {
    return {
      runs: await count(t.db, 'runs'),
      runResults: await count(t.db, 'run_results'),
      prospects: await count(t.db, 'prospects'),
      destinations: await count(t.db, 'destinations'),
    };
  }

  it('answers a messy batch record by record, in input order within each group', async () => {
    const data = [
      { id: 'A1', first: 'Ann', last: 'Lee', phone: '(212) 555-0100', zip: '10001', plan: 'gold' },
      'not an object',
      { first: 'NoId', phone: '2125550101' },
      { id: 'A1', phone: '2125550102' },
      { id: 'A4', first: 'NoPhone' },
      { id: 'A5', phone: '12345' },
      { id: 'A6', phone: '(800) 555-0100' },
      { id: 'A7', phone: '2125550107', zip: '10001', expires: 'someday' },
      { id: 'A8', phone: '2125550108', zip: '10001', expires: '2020-01-01' },
      { id: 'A9', phone: '2125550109', zip: '10001', prio: 'high' },
      { id: 'A10', phone: '12345', mobile: '312-555-0142', state: 'IL' },
      null,
      { id: 12, phone: 3125550143, tz: 'CST' },
    ];
    const createdBefore = await metricSample(t.app, 'prospect_feeder_records_total{result_code="Created"}');
    const invalidBefore = await metricSample(t.app, 'prospect_feeder_records_total{result_code="InvalidRecord"}');
    const res = await post({ SkillNo: 4100, SourceName: 'crm', Data: data });
    expect(res.statusCode).toBe(200);
    const { Results } = res.json() as { Results: Results };
    expect(Results.SuccessfulRecords.length + Results.FailedRecords.length).toBe(data.length);
    // The call's records are counted on /metrics by ResultCode, as a refill's are.
    expect(await metricSample(t.app, 'prospect_feeder_records_total{result_code="Created"}')).toBe(createdBefore + 3);
    expect(await metricSample(t.app, 'prospect_feeder_records_total{result_code="InvalidRecord"}')).toBe(invalidBefore + 2);

    expect(Results.SuccessfulRecords.map((r) => [r.id, r.ResultCode])).toEqual([
      ['A1', 'Created'],
      ['A10', 'Created'],
      [12, 'Created'],
    ]);
    expect(Results.FailedRecords.map((r) => r.ResultCode)).toEqual([
      'InvalidRecord',
      'MissingExternalId',
      'DuplicateExternalId',
      'MissingPhoneNumber',
      'InvalidPhoneNumber',
      'TimeZoneNotFound',
      'InvalidExpirationDate',
      'Expired',
      'InvalidFieldValue',
      'InvalidRecord',
    ]);
    // Records come back as given, plus the answer.
    expect(Results.SuccessfulRecords[0]).toMatchObject(data[0] as object);
    expect(Results.FailedRecords[2]).toMatchObject({ id: 'A1', phone: '2125550102' });
    for (const r of Results.FailedRecords) expect(typeof r.ResultMessage).toBe('string');
    // The invalid number beside a valid one is named, masked.
    expect(String(Results.SuccessfulRecords[1]!.ResultMessage)).toContain('2345');
    expect(JSON.stringify(res.json())).not.toContain('+13125550142');

    const runId = Number(res.headers['x-run-id']);
    const run = await t.db.pool.query('SELECT origin, record_count, counts, source_map_version FROM runs WHERE run_id = $1', [runId]);
    expect(run.rows[0]).toMatchObject({ origin: 'Api', record_count: data.length, source_map_version: 1 });
    expect(run.rows[0].counts).toMatchObject({ Created: 3, InvalidRecord: 2, DuplicateExternalId: 1 });
    const stored = await t.db.pool.query('SELECT seq, result_code, external_id FROM run_results WHERE run_id = $1 ORDER BY seq', [runId]);
    expect(stored.rows.map((r) => r.seq)).toEqual(data.map((_, i) => i));
    expect(stored.rows[0]).toEqual({ seq: 0, result_code: 'Created', external_id: 'A1' });
    expect(stored.rows[3].result_code).toBe('DuplicateExternalId');

    const a10 = await t.app.inject({ method: 'GET', url: '/v1/skills/4100/prospects?SourceName=crm&ExternalID=A10' });
    expect(a10.json().Prospects[0]).toMatchObject({
      TimeZone: 'America/Chicago',
      TimeZoneSource: 'State',
      Destinations: [{ PhoneNumber: '+13125550142', Type: 'Mobile', TimeZone: 'America/Chicago' }],
    });
    const zones = await t.db.pool.query('SELECT name FROM time_zones ORDER BY name');
    expect(zones.rows.map((r) => r.name)).toEqual(expect.arrayContaining(['America/Chicago', 'America/New_York']));
  });

  it('updates a re-posted contact in place: Updated, no duplicate prospect or destination', async () => {
    const first = await post({
      SkillNo: 4100,
      SourceName: 'crm',
      Data: [{ id: 'R1', first: 'Rae', phone: '2125550150', mobile: '2125550151', zip: '10001' }],
    });
    expect(first.json().Results.SuccessfulRecords[0].ResultCode).toBe('Created');
    const before = await tableCounts();
    const again = await post({
      SkillNo: 4100,
      SourceName: 'crm',
      Data: [{ id: 'R1', first: 'Ray', phone: '2125550151', mobile: '2125550152', zip: '10001' }],
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().Results.SuccessfulRecords[0].ResultCode).toBe('Updated');
    const after = await tableCounts();
    expect(after.prospects).toBe(before.prospects);
    expect(after.destinations).toBe(before.destinations);
    const read = await t.app.inject({ method: 'GET', url: '/v1/skills/4100/prospects?SourceName=crm&ExternalID=R1' });
    expect(read.json().Prospects).toHaveLength(1);
    expect(read.json().Prospects[0].FirstName).toBe('Ray');
    expect(read.json().Prospects[0].Destinations.map((d: { PhoneNumber: string }) => d.PhoneNumber)).toEqual([
      '+12125550151',
      '+12125550152',
    ]);

    // The same ExternalID under another skill is another prospect.
    const other = await post({ SkillNo: 4200, SourceName: 'crm', Data: [{ id: 'R1', phone: '2125550151', zip: '10001' }] });
    expect(other.json().Results.SuccessfulRecords[0].ResultCode).toBe('Created');
  });

  it('uses the call defaults: TimeZone where none is found, DefaultExpirationDate where a row has none', async () => {
    const res = await post({
      SkillNo: 4200,
      SourceName: 'crm',
      NoTimeZoneReject: 'Yes',
      TimeZone: 'america/denver',
      DefaultExpirationDate: '2026-12-31',
      Data: [{ id: 'D1', phone: '(800) 555-0100' }],
    });
    expect(res.json().Results.SuccessfulRecords[0].ResultCode).toBe('Created');
    const read = await t.app.inject({ method: 'GET', url: '/v1/skills/4200/prospects?SourceName=crm&ExternalID=D1' });
    expect(read.json().Prospects[0]).toMatchObject({ TimeZone: 'America/Denver', TimeZoneSource: 'Default', ExpirationDate: '2026-12-31' });
  });

  it('answers an empty Data with two empty groups, and a single object as one record', async () => {
    const empty = await post({ SkillNo: 4100, SourceName: 'crm', Data: [] });
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ Results: { SuccessfulRecords: [], FailedRecords: [] } });
    const one = await post({ SkillNo: 4100, SourceName: 'crm', Data: { id: 'S1', phone: '2125550160', zip: '10001' } });
    expect(one.json().Results.SuccessfulRecords).toEqual([{ id: 'S1', phone: '2125550160', zip: '10001', ResultCode: 'Created' }]);
  });

  describe('call-level errors answer 4xx in the error shape and load nothing', () => {
    const good = { SkillNo: 4100, SourceName: 'crm', Data: [{ id: 'X1', phone: '2125550170', zip: '10001' }] };
    it.each([
      [404, 'UnknownSkill', { ...good, SkillNo: 999 }],
      [400, 'MissingExternalId', { ...good, SourceName: 'nomap' }],
      [400, 'InvalidTimeZone', { ...good, TimeZone: 'Mars/Olympus' }],
      [400, 'InvalidTimeZone', { ...good, NoTimeZoneReject: 'Yes' }],
      [400, 'InvalidExpirationDate', { ...good, DefaultExpirationDate: 'next tuesday' }],
      [400, 'InvalidData', { ...good, Data: 'records' }],
      [400, 'InvalidData', { ...good, Data: 42 }],
      [400, 'InvalidData', { ...good, Data: null }],
      [400, 'InvalidData', { SkillNo: 4100, SourceName: 'crm' }],
      [400, 'InvalidData', { ...good, SkillNo: '4100' }],
      [400, 'InvalidData', { ...good, SkillNo: 4100.5 }],
      [400, 'InvalidData', { ...good, SkillNo: -1 }],
      [400, 'InvalidData', { ...good, SkillNo: null }],
      [400, 'InvalidData', { ...good, SourceName: 7 }],
      [400, 'InvalidData', { ...good, SourceName: '' }],
      [400, 'InvalidData', { ...good, NoTimeZoneReject: 'maybe' }],
      [400, 'InvalidData', { ...good, NoTimeZoneReject: true }],
      [400, 'InvalidData', { ...good, TimeZone: 5 }],
      [400, 'InvalidData', { ...good, DefaultExpirationDate: 20261231 }],
      [400, 'InvalidData', [good]],
      [400, 'InvalidData', 'just text'],
    ])('%i %s for %j', async (status, code, payload) => {
      const before = await tableCounts();
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/create-prospects',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
      expect(res.statusCode).toBe(status);
      expect(res.json().error.code).toBe(code);
      expect(res.json().error.message.length).toBeGreaterThan(0);
      expect(await tableCounts()).toEqual(before);
    });

    it.each([
      ['a body that is not JSON', '{"SkillNo": 4100,', 'application/json'],
      ['an empty body', '', 'application/json'],
      ['a body that is not JSON at all', 'SkillNo=4100', 'text/plain'],
    ])('InvalidData for %s', async (_what, payload, contentType) => {
      const before = await tableCounts();
      const res = await t.app.inject({ method: 'POST', url: '/v1/create-prospects', headers: { 'content-type': contentType }, payload });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json().error.code).toBe('InvalidData');
      expect(await tableCounts()).toEqual(before);
    });

    it('names the bad property in the message', async () => {
      const res = await post({ ...good, NoTimeZoneReject: 'maybe' });
      expect(res.json().error.message).toContain('NoTimeZoneReject');
    });
  });

  describe('hostile records are answered, never a 5xx', () => {
    it('survives wrong types, huge strings, SQL-looking text, unicode and NUL characters', async () => {
      const huge = 'x'.repeat(100_000);
      const data: unknown[] = [
        { id: huge, phone: '2125550180', zip: '10001' },
        { id: 'H2', first: huge, last: huge, plan: huge, phone: '2125550181', zip: '10001' },
        { id: "H3'); DROP TABLE prospects; --", first: "Robert'); DROP TABLE skills;--", phone: '2125550182', zip: '10001' },
        { id: 'Ĥ4-日本-🙂', first: 'Zoë 🙂', last: 'Ñúñez', phone: '2125550183', zip: '10001' },
        { id: 'H5\u0000', phone: '2125550184', zip: '10001' },
        { id: 'H6', first: 'A\u0000B\ud800', plan: 'p\u0000lan', phone: '2125550185', zip: '10001' },
        { id: ['H7'], phone: '2125550186' },
        { id: { x: 1 }, phone: '2125550187' },
        { id: 'H9', phone: { number: '2125550188' } },
        { id: 'H10', phone: true, mobile: [] },
        { id: 'H11', phone: '2125550189', zip: 10001, state: ['NY'], tz: 42, expires: { y: 2026 }, prio: [1] },
        { id: 'H12', phone: huge },
        { id: 'H13', phone: '2125550190', prio: 1e300, zip: '10001' },
        { id: true, phone: '2125550191' },
        [],
        42,
        { id: 'H17', phone: '2125550192', zip: '10001', constructor: { prototype: { bad: 1 } } },
      ];
      const body = JSON.stringify({ SkillNo: 4100, SourceName: 'crm', Data: data }).replace(
        /\]\}$/,
        ',{"id":"H18","phone":"2125550193","zip":"10001","__proto__":{"polluted":true}}]}',
      );
      data.push({ id: 'H18' });
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/create-prospects',
        headers: { 'content-type': 'application/json' },
        payload: body,
      });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      const { Results } = res.json() as { Results: Results };
      expect(Results.SuccessfulRecords.length + Results.FailedRecords.length).toBe(data.length);
      const ok = Results.SuccessfulRecords.map((r) => r.id);
      expect(ok).toEqual(expect.arrayContaining(["H3'); DROP TABLE prospects; --", 'Ĥ4-日本-🙂', 'H6', 'H17', 'H18']));
      expect(ok).not.toContain(huge);
      // Names and custom text have length limits: a 100 KB value is a bad value, not a 5xx.
      expect(Results.FailedRecords.find((r) => r.id === 'H2')?.ResultCode).toBe('InvalidFieldValue');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Results.FailedRecords.map((r) => r.ResultCode)).not.toContain('Created');
      expect(await count(t.db, 'skills')).toBe(2);
      const unicode = await t.app.inject({
        method: 'GET',
        url: `/v1/skills/4100/prospects?SourceName=crm&ExternalID=${encodeURIComponent('Ĥ4-日本-🙂')}`,
      });
      expect(unicode.json().Prospects[0]).toMatchObject({ FirstName: 'Zoë 🙂', LastName: 'Ñúñez' });
    });

    it('answers any JSON records with exactly one result each (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.jsonValue({ maxDepth: 3 }),
              fc.record({
                id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
                phone: fc.oneof(fc.string(), fc.constant('2125550199')),
                zip: fc.string(),
                prio: fc.jsonValue({ maxDepth: 1 }),
              }),
            ),
            { maxLength: 12 },
          ),
          async (data) => {
            const res = await post({ SkillNo: 4100, SourceName: 'crm', Data: data });
            expect(res.statusCode).toBe(200);
            const { Results } = res.json() as { Results: Results };
            expect(Results.SuccessfulRecords.length + Results.FailedRecords.length).toBe(data.length);
          },
        ),
        { numRuns: 25 },
      );
    });
  });

  describe('batch size', () => {
    it('takes 50,000 records in one call and refuses 50,001 with BatchTooLarge', async () => {
      const records = Array.from({ length: 50_000 }, (_, i) => ({
        id: `B${i}`,
        first: `First${i}`,
        last: 'Bulk',
        phone: `+1212555${String(i % 10_000).padStart(4, '0')}`,
        mobile: `+1312555${String((i * 7) % 10_000).padStart(4, '0')}`,
        zip: '10001',
        plan: 'silver',
      }));
      const started = Date.now();
      const res = await post({ SkillNo: 4200, SourceName: 'crm', Data: records });
      const ms = Date.now() - started;
      expect(res.statusCode).toBe(200);
      const { Results } = res.json() as { Results: Results };
      expect(Results.SuccessfulRecords).toHaveLength(50_000);
      expect(Results.FailedRecords).toHaveLength(0);
      expect(Results.SuccessfulRecords[49_999]).toMatchObject({ id: 'B49999', ResultCode: 'Created' });
      console.log(`50,000 records stored in ${ms} ms`);

      const before = await tableCounts();
      const tooMany = await post({ SkillNo: 4200, SourceName: 'crm', Data: [...records, { id: 'one more', phone: '2125550100' }] });
      expect(tooMany.statusCode).toBe(413);
      expect(tooMany.json().error.code).toBe('BatchTooLarge');
      expect(await tableCounts()).toEqual(before);
    }, 120_000);
  });
});
