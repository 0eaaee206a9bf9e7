import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server';
import { createProspects } from '../../src/services/create-prospects';
import { putSkill } from '../../src/services/skills';
import { setSourceMap } from '../../src/services/set-source-map';
import { refillSkill } from '../../src/services/refill-skill';
import { csvCell, csvLine } from '../../src/services/csv';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { FakeCrm } from '../connectors/fake-crm';
import { dropPrefix, testDeps } from '../queue/queue-test-kit';

let db: TestDb;
let app: FastifyInstance;
let crm: FakeCrm;
let apiRun: number;
let refillRun: number;
const prefix = uniquePrefix('runsapi');

const RECORDS = [
  { id: 'C1', phone: '(212) 555-0100', note: '=HYPERLINK("http://evil.example")', city: 'New York, NY' },
  { id: 'C2', phone: '12345', note: 'line one\nline "two"' },
  'not an object',
  { id: 'C3', phone: '+1 212 555 0103', tags: ['a', 'b'], note: '@SUM(A1)' },
];

beforeAll(async () => {
  db = await freshSchema('runsapi');
  crm = new FakeCrm();
  const url = await crm.start();
  const deps = testDeps(db.pool, prefix);
  await setSourceMap(deps, 'crm', { ExternalID: 'id', PhoneNumber: 'phone' });
  await putSkill(deps, 801, { Name: 'Runs A' });
  await putSkill(deps, 802, {
    Name: 'Runs B',
    Refill: { Enabled: true, SourceName: 'crm', Connector: { Type: 'http', Url: `${url}/leads`, ResultsUrl: `${url}/results` } },
  });
  apiRun = (await createProspects(deps, { SkillNo: 801, SourceName: 'crm', Data: RECORDS })).runId;
  crm.records = [{ id: 'R1', phone: '(212) 555-0150' }];
  refillRun = (await refillSkill(deps, { skillNo: 802, count: 5 })).runId!;
  app = buildServer(deps);
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await crm.stop();
  await dropPrefix(prefix);
  await db.drop();
});

describe('GET /v1/runs', () => {
  it('lists runs newest first, filtered by SkillNo, with counts and publication state', async () => {
    const all = await app.inject({ url: '/v1/runs' });
    expect(all.statusCode).toBe(200);
    expect(all.json().Runs.map((r: { RunId: number }) => r.RunId)).toEqual([refillRun, apiRun]);

    const b = (await app.inject({ url: '/v1/runs?SkillNo=802' })).json().Runs;
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({
      RunId: refillRun,
      SkillNo: 802,
      SourceName: 'crm',
      Origin: 'Refill',
      Status: 'Completed',
      RecordCount: 1,
      Counts: { Created: 1 },
      CursorBefore: null,
      Publication: { PublishedAt: null, WriteBack: { Status: 'Pending', Attempts: 0 } },
    });
    expect((await app.inject({ url: '/v1/runs?SkillNo=801' })).json().Runs[0]).toMatchObject({ Origin: 'Api', Publication: null });
    expect((await app.inject({ url: `/v1/runs?Before=${refillRun}` })).json().Runs.map((r: { RunId: number }) => r.RunId)).toEqual([
      apiRun,
    ]);
    expect((await app.inject({ url: '/v1/runs?Limit=1' })).json().Runs).toHaveLength(1);
  });

  it('refuses a bad filter with InvalidData', async () => {
    const res = await app.inject({ url: '/v1/runs?SkillNo=abc' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('InvalidData');
  });
});

describe('GET /v1/runs/{RunId}', () => {
  it('reads one run, and answers 404 UnknownRun for another', async () => {
    const res = await app.inject({ url: `/v1/runs/${apiRun}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      RunId: apiRun,
      SkillNo: 801,
      RecordCount: 4,
      Counts: { Created: 2, InvalidPhoneNumber: 1, InvalidRecord: 1 },
    });
    const missing = await app.inject({ url: '/v1/runs/999999' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('UnknownRun');
  });
});

describe('GET /v1/runs/{RunId}/results', () => {
  it('answers in the CREATEPROSPECTS shape, each record once, as given plus ResultCode', async () => {
    const res = await app.inject({ url: `/v1/runs/${apiRun}/results` });
    expect(res.statusCode).toBe(200);
    const { RunId, Results } = res.json();
    expect(RunId).toBe(apiRun);
    expect(Results.SuccessfulRecords.map((r: { id: string }) => r.id)).toEqual(['C1', 'C3']);
    expect(Results.SuccessfulRecords[0]).toMatchObject({ ...(RECORDS[0] as object), ResultCode: 'Created' });
    expect(Results.FailedRecords.map((r: { ResultCode: string }) => r.ResultCode)).toEqual(['InvalidPhoneNumber', 'InvalidRecord']);
  });

  it('filters by ResultCode, with Failed and Successful as groups', async () => {
    const failed = (await app.inject({ url: `/v1/runs/${apiRun}/results?ResultCode=Failed` })).json().Results;
    expect(failed.SuccessfulRecords).toEqual([]);
    expect(failed.FailedRecords).toHaveLength(2);
    const one = (await app.inject({ url: `/v1/runs/${apiRun}/results?ResultCode=InvalidRecord` })).json().Results;
    expect(one.FailedRecords).toEqual([{ Record: 'not an object', ResultCode: 'InvalidRecord', ResultMessage: expect.any(String) }]);
    const bad = await app.inject({ url: `/v1/runs/${apiRun}/results?ResultCode=Bogus` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('InvalidData');
  });

  it("exports CSV with every record in input order, its fields in the CRM's order, quoted and safe for spreadsheets", async () => {
    const res = await app.inject({ url: `/v1/runs/${apiRun}/results?format=csv` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain(`run-${apiRun}-results.csv`);
    const lines = parseCsv(res.body);
    const header = lines[0]!;
    // The records' fields in the order the CRM sent them, each where it first appears.
    expect(header).toEqual(['RecordNo', 'ResultCode', 'ResultMessage', 'ExternalID', 'id', 'phone', 'note', 'city', 'Record', 'tags']);
    const rows = lines.slice(1).map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
    expect(rows.map((r) => r.RecordNo)).toEqual(['1', '2', '3', '4']);
    expect(rows[0]).toMatchObject({
      ResultCode: 'Created',
      ExternalID: 'C1',
      note: `'=HYPERLINK("http://evil.example")`,
      city: 'New York, NY',
    });
    expect(rows[1]).toMatchObject({ ResultCode: 'InvalidPhoneNumber', note: 'line one\nline "two"' });
    expect(rows[2]).toMatchObject({ ResultCode: 'InvalidRecord', Record: 'not an object', id: '' });
    expect(rows[3]).toMatchObject({ phone: "'+1 212 555 0103", tags: '["a","b"]', note: "'@SUM(A1)" });
  });

  it('answers CSV to Accept: text/csv, filtered too, and 404 for an unknown run', async () => {
    const res = await app.inject({ url: `/v1/runs/${apiRun}/results?ResultCode=InvalidPhoneNumber`, headers: { accept: 'text/csv' } });
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(parseCsv(res.body)).toHaveLength(2);
    const missing = await app.inject({ url: '/v1/runs/424242/results?format=csv' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('UnknownRun');
  });
});

describe('csvCell', () => {
  it('quotes by RFC 4180 and neutralizes formula starts', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('=A1,"x"')).toBe(`"'=A1,""x"""`);
    expect(csvCell(null)).toBe('');
    expect(csvCell(3.5)).toBe('3.5');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvLine(['a', 'b,c'])).toBe('a,"b,c"\r\n');
  });
});

/** A small RFC 4180 reader for the test (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}
