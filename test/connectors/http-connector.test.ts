import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpConnector, type HttpConnectorSettings } from '../../src/connectors/http-connector';
import { CrmRateLimited, CrmUnavailable } from '../../src/connectors/crm-errors';
import { retryAfterMs } from '../../src/connectors/retry-after';
import { FakeCrm } from './fake-crm';

function settings(base: string, over: Partial<HttpConnectorSettings> = {}): HttpConnectorSettings {
  return {
    Type: 'http',
    Url: `${base}/leads`,
    RecordsPath: 'records',
    LimitParam: 'limit',
    CursorParam: 'cursor',
    NextCursorPath: 'nextCursor',
    TimeoutMs: 2000,
    ...over,
  };
}

const leads = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `L${i}`, phone: `(212) 555-01${String(i % 100).padStart(2, '0')}` }));

describe('http connector', () => {
  let crm: FakeCrm;
  let base: string;

  afterEach(async () => {
    await crm.stop();
  });

  describe('with the default names', () => {
    beforeEach(async () => {
      crm = new FakeCrm();
      base = await crm.start();
    });

    it('asks the first page without a cursor and later pages with the cursor it was given', async () => {
      crm.records = leads(5);
      crm.nullCursorAtEnd = false;
      const c = new HttpConnector(settings(base));
      const first = await c.fetch(null, 2);
      expect(first.records).toEqual(leads(5).slice(0, 2));
      expect(first.nextCursor).toBe('2');
      expect(crm.requests[0]?.url.searchParams.has('cursor')).toBe(false);
      expect(crm.requests[0]?.url.searchParams.get('limit')).toBe('2');
      const second = await c.fetch(first.nextCursor, 2);
      expect(second.records).toEqual(leads(5).slice(2, 4));
      expect(crm.requests[1]?.url.searchParams.get('cursor')).toBe('2');
    });

    it('keeps the cursor it was asked with when the CRM gives no next cursor, so the page is read again', async () => {
      crm.records = leads(3);
      const c = new HttpConnector(settings(base));
      const first = await c.fetch(null, 2);
      expect(first.nextCursor).toBe('2');
      const last = await c.fetch('2', 5);
      expect(last.records).toEqual(leads(3).slice(2));
      expect(last.nextCursor).toBe('2');
      const again = await c.fetch(last.nextCursor, 5);
      expect(again.records).toEqual(last.records);
    });

    it('reads page after page up to the limit when the CRM pages in smaller steps', async () => {
      crm.records = leads(10);
      crm.nullCursorAtEnd = false;
      // A CRM that never gives more than 3 per page, whatever it is asked.
      crm.script.push(
        ...[0, 3, 6].map((from) => ({
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ records: leads(10).slice(from, from + 3), nextCursor: String(from + 3) }),
        })),
      );
      const page = await new HttpConnector(settings(base)).fetch(null, 7);
      expect(page.records).toHaveLength(9);
      expect(page.nextCursor).toBe('9');
      expect(crm.requests.map((r) => r.url.searchParams.get('limit'))).toEqual(['7', '4', '1']);
    });

    it('keeps the pages it read when a later page fails', async () => {
      crm.script.push(
        { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: leads(2), nextCursor: 'c2' }) },
        { status: 503 },
      );
      const page = await new HttpConnector(settings(base)).fetch(null, 5);
      expect(page).toEqual({ records: leads(2), nextCursor: 'c2' });
    });

    it('turns a 5xx into a retryable CrmUnavailable and then succeeds', async () => {
      crm.records = leads(1);
      crm.script.push({ status: 500, body: 'boom' });
      const c = new HttpConnector(settings(base));
      await expect(c.fetch(null, 5)).rejects.toBeInstanceOf(CrmUnavailable);
      await expect(c.fetch(null, 5)).resolves.toEqual({ records: leads(1), nextCursor: null });
    });

    it('turns a 429 with Retry-After into CrmRateLimited carrying the wait', async () => {
      crm.script.push({ status: 429, headers: { 'retry-after': '3' } });
      const err = await new HttpConnector(settings(base)).fetch(null, 5).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CrmRateLimited);
      expect((err as CrmRateLimited).retryAfterMs).toBe(3000);
    });

    it('treats a 503 with Retry-After as rate limiting too', async () => {
      crm.script.push({ status: 503, headers: { 'retry-after': '2' } });
      const err = await new HttpConnector(settings(base)).fetch(null, 5).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CrmRateLimited);
    });

    it('times out a CRM that does not answer, without the query in the message', async () => {
      crm.script.push({ status: 200, delayMs: 1500, body: '{}' });
      const c = new HttpConnector(settings(base, { Url: `${base}/leads?phone=2125550100`, TimeoutMs: 200 }));
      const err = await c.fetch(null, 5).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CrmUnavailable);
      expect((err as Error).message).toMatch(/timed out/);
      expect((err as Error).message).not.toContain('2125550100');
    });

    it('never puts the query of a URL in an error message', async () => {
      crm.script.push({ status: 500 });
      const c = new HttpConnector(settings(base, { Url: `${base}/leads?phone=%2B12125550100&key=secret` }));
      const err = (await c.fetch(null, 5).catch((e: unknown) => e)) as Error;
      expect(err.message).toContain('/leads');
      expect(err.message).not.toMatch(/2125550100|secret/);
    });

    it('says so when the answer is not JSON or has no array at RecordsPath', async () => {
      crm.script.push({ status: 200, body: '<html>' }, { status: 200, body: '{"records": 5}' });
      const c = new HttpConnector(settings(base));
      await expect(c.fetch(null, 5)).rejects.toThrow(/not JSON/);
      await expect(c.fetch(null, 5)).rejects.toThrow(/no array at records/);
    });

    it('posts run results to ResultsUrl with the connector headers', async () => {
      const c = new HttpConnector(settings(base, { ResultsUrl: `${base}/results`, Headers: { authorization: 'Bearer t' } }));
      const payload = { RunId: 7, SkillNo: 1, SourceName: 'crm', Results: { SuccessfulRecords: [{ id: 'A' }], FailedRecords: [] } };
      await c.writeBack(payload);
      expect(crm.writeBacks).toEqual([payload]);
      expect(crm.requests[0]?.headers.authorization).toBe('Bearer t');
      crm.script.push({ status: 502 });
      await expect(c.writeBack(payload)).rejects.toBeInstanceOf(CrmUnavailable);
    });
  });

  it('follows configured paths and parameter names, keeps the Url query and sends Headers', async () => {
    crm = new FakeCrm({ records: 'data.items', next: 'paging.after', limit: 'size', cursor: 'after' });
    base = await crm.start();
    crm.records = leads(4);
    crm.nullCursorAtEnd = false;
    const c = new HttpConnector(
      settings(base, {
        Url: `${base}/v2/contacts?list=7&active=true`,
        RecordsPath: 'data.items',
        NextCursorPath: 'paging.after',
        LimitParam: 'size',
        CursorParam: 'after',
        Headers: { 'x-api-key': 'k1' },
      }),
    );
    const first = await c.fetch(null, 3);
    const second = await c.fetch(first.nextCursor, 3);
    expect([...first.records, ...second.records]).toEqual(leads(4));
    const seen = crm.requests.map((r) => r.url);
    expect(seen[0]?.pathname).toBe('/v2/contacts');
    expect(seen[0]?.searchParams.get('list')).toBe('7');
    expect(seen[0]?.searchParams.get('active')).toBe('true');
    expect(seen[0]?.searchParams.get('size')).toBe('3');
    expect(seen[1]?.searchParams.get('after')).toBe('3');
    expect(crm.requests[0]?.headers['x-api-key']).toBe('k1');
  });
});

describe('retryAfterMs', () => {
  it('reads delta seconds and HTTP dates, bounded to 1 s .. 10 min', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('0', now)).toBe(1000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('999999', now)).toBe(600_000);
    expect(retryAfterMs(null, now)).toBe(10_000);
    expect(retryAfterMs('soon', now)).toBe(10_000);
  });
});
