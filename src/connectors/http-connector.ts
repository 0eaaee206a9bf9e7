import type { Connector } from '../domain/skill';
import { readAnswerPath } from './answer-path';
import type { CrmConnector, CrmPage, RunResultsPayload } from './crm-connector';
import { CrmMisconfigured, CrmRateLimited, CrmUnavailable, redactUrl } from './crm-errors';
import { retryAfterMs } from './retry-after';

export type HttpConnectorSettings = Extract<Connector, { Type: 'http' }>;

/** A CRM that pages in small steps is read page after page up to the asked limit, within reason. */
const MAX_PAGES_PER_FETCH = 50;

/**
 * The contract's `http` connector: GET `Url` with `LimitParam=<n>` and, once a cursor is known,
 * `CursorParam=<cursor>`; records at `RecordsPath`, the next cursor at `NextCursorPath`.
 */
export class HttpConnector implements CrmConnector {
  constructor(
    private readonly settings: HttpConnectorSettings,
    private readonly clock: () => number = Date.now,
  ) {}

  async fetch(cursor: string | null, limit: number, signal?: AbortSignal): Promise<CrmPage> {
    const records: unknown[] = [];
    let stored = cursor;
    for (let page = 0; page < MAX_PAGES_PER_FETCH && records.length < limit; page++) {
      let answer: { records: unknown[]; next: string | null };
      try {
        answer = await this.page(stored, limit - records.length, signal);
      } catch (err) {
        // Pages already read are kept: storing them with their cursor is progress, and the
        // failing page is asked again by the next fetch.
        if (records.length > 0 && (err instanceof CrmUnavailable || err instanceof CrmRateLimited)) break;
        throw err;
      }
      records.push(...answer.records);
      const exhausted = answer.next === null || answer.next === stored || answer.records.length === 0;
      if (answer.next !== null) stored = answer.next;
      if (exhausted) break;
    }
    return { records, nextCursor: stored };
  }

  async writeBack(payload: RunResultsPayload, signal?: AbortSignal): Promise<{ status: number }> {
    const url = this.settings.ResultsUrl;
    if (!url) throw new CrmMisconfigured('the connector has no ResultsUrl');
    const res = await this.send(url, {
      method: 'POST',
      headers: { ...this.settings.Headers, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(payload),
      signal: this.withTimeout(signal),
    });
    // The body is not needed; draining it lets undici reuse the connection.
    await res.arrayBuffer().catch(() => undefined);
    this.raiseForStatus(res, url);
    return { status: res.status };
  }

  private async page(cursor: string | null, limit: number, signal?: AbortSignal) {
    const url = new URL(this.settings.Url);
    url.searchParams.set(this.settings.LimitParam, String(limit));
    if (cursor !== null) url.searchParams.set(this.settings.CursorParam, cursor);
    const res = await this.send(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...this.settings.Headers },
      signal: this.withTimeout(signal),
    });
    if (!res.ok) {
      await res.arrayBuffer().catch(() => undefined);
      this.raiseForStatus(res, url);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new CrmUnavailable(`CRM answer from ${redactUrl(url)} is not JSON`, res.status);
    }
    const records = readAnswerPath(body, this.settings.RecordsPath);
    if (records === undefined || records === null) return { records: [], next: null };
    if (!Array.isArray(records)) {
      throw new CrmUnavailable(`CRM answer from ${redactUrl(url)} has no array at ${this.settings.RecordsPath}`);
    }
    const next = readAnswerPath(body, this.settings.NextCursorPath);
    return {
      records,
      next: next === undefined || next === null || next === '' ? null : String(next),
    };
  }

  private async send(url: string | URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (err) {
      const why = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'failed';
      throw new CrmUnavailable(`${init.method} ${redactUrl(url)} ${why}: ${causeOf(err)}`);
    }
  }

  private raiseForStatus(res: Response, url: string | URL): void {
    if (res.ok) return;
    const retryAfter = res.headers.get('retry-after');
    if (res.status === 429 || retryAfter !== null) {
      throw new CrmRateLimited(`${redactUrl(url)} answered ${res.status}`, retryAfterMs(retryAfter, this.clock()), res.status);
    }
    throw new CrmUnavailable(`${redactUrl(url)} answered ${res.status}`, res.status);
  }

  private withTimeout(signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.settings.TimeoutMs);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }
}

function causeOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  // undici puts the useful part (ECONNREFUSED, ...) in `cause`; neither carries the query.
  if (cause instanceof Error) return (cause as Error & { code?: string }).code ?? cause.message;
  return err.name === 'TimeoutError' ? 'timeout' : err.message;
}
