import { isValidPhoneNumber } from 'libphonenumber-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoConnector } from '../../src/connectors/demo-connector';
import { HttpConnector } from '../../src/connectors/http-connector';
import { demoLead, demoPage } from '../../src/connectors/demo-crm';
import { startDemoCrmServer, type DemoCrmServer } from '../../src/demo/demo-crm-server';

describe('demo CRM', () => {
  it('is deterministic: a seed and a sequence number always give the same lead', () => {
    expect(demoPage(7, '40', 25)).toEqual(demoPage(7, '40', 25));
    expect(demoLead(7, 41)).toEqual(demoPage(7, '40', 25).records[1]);
    expect(demoLead(8, 41)).not.toEqual(demoLead(7, 41));
  });

  it('pages by sequence number, endlessly', () => {
    const page = demoPage(1, null, 10);
    expect(page.nextCursor).toBe('10');
    expect(demoPage(1, '999990', 10).nextCursor).toBe('1000000');
  });

  it('spoils about the asked share of rows, and the good ones are realistic US leads', () => {
    const leads = demoPage(3, null, 2000, 0.1).records;
    const good = leads.filter(
      (l): l is Record<string, unknown> =>
        typeof l === 'object' &&
        typeof l.id === 'string' &&
        l.id !== '' &&
        Array.isArray(l.phones) &&
        (l.phones as string[]).length > 0 &&
        (l.phones as string[]).every((p) => isValidPhoneNumber(p, 'US')) &&
        typeof l.priority === 'number' &&
        (l.expires === undefined || /^20(3\d)-12-31$/.test(String(l.expires))),
    );
    const badShare = 1 - good.length / leads.length;
    expect(badShare).toBeGreaterThan(0.06);
    expect(badShare).toBeLessThan(0.14);
    const areas = new Set(good.flatMap((l) => (l.phones as string[]).map((p) => p.replace(/\D/g, '').slice(-10, -7))));
    // Hawaii, Alaska, Arizona and Puerto Rico among the area codes.
    for (const area of ['808', '907', '602', '787']) expect(areas.has(area)).toBe(true);
    const states = new Set(good.map((l) => (l.address as { state: string }).state));
    for (const st of ['HI', 'AK', 'AZ', 'PR', 'NY', 'CA']) expect(states.has(st)).toBe(true);
    expect(demoPage(3, null, 200, 0).records.every((l) => typeof l === 'object' && (l as { id?: string }).id)).toBe(true);
  });

  it('is a connector in process and over HTTP, with the same leads', async () => {
    const inProcess = await new DemoConnector({ Type: 'demo', Seed: 5, BadRowRate: 0.1 }).fetch('100', 20);
    const server = await startDemoCrmServer({ seed: 5, badRowRate: 0.1 });
    try {
      const overHttp = await new HttpConnector({
        Type: 'http',
        Url: `${server.url}/leads`,
        RecordsPath: 'records',
        NextCursorPath: 'nextCursor',
        LimitParam: 'limit',
        CursorParam: 'cursor',
        TimeoutMs: 2000,
      }).fetch('100', 20);
      expect(overHttp).toEqual(inProcess);
      expect(overHttp.nextCursor).toBe('120');
    } finally {
      await server.close();
    }
  });
});

describe('demo CRM server', () => {
  let server: DemoCrmServer;
  beforeAll(async () => {
    server = await startDemoCrmServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('takes write-backs and keeps only their counts', async () => {
    const res = await fetch(`${server.url}/results`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        RunId: 3,
        SkillNo: 9001,
        SourceName: 'demo-crm',
        Results: { SuccessfulRecords: [{}, {}], FailedRecords: [{}] },
      }),
    });
    expect(res.status).toBe(204);
    const seen = (await (await fetch(`${server.url}/results`)).json()) as { Received: number; Last: unknown[] };
    expect(seen.Received).toBe(1);
    expect(seen.Last[0]).toMatchObject({ RunId: 3, SkillNo: 9001, Successful: 2, Failed: 1 });
  });

  it('refuses a bad limit and unknown paths', async () => {
    expect((await fetch(`${server.url}/leads?limit=zero`)).status).toBe(400);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const capped = (await (await fetch(`${server.url}/leads?limit=5000`)).json()) as { records: unknown[] };
    expect(capped.records).toHaveLength(1000);
  });
});
