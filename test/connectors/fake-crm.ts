import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What the fake answers for one request before it falls back to paging its records. */
export type Scripted = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number };

/**
 * A small CRM on 127.0.0.1 for connector and worker tests: pages `records` by an index cursor
 * under configurable names, records every request, and answers scripted statuses first.
 */
export class FakeCrm {
  readonly requests: SeenRequest[] = [];
  readonly script: Scripted[] = [];
  readonly writeBacks: unknown[] = [];
  records: unknown[] = [];
  /** Give no next cursor with the last page (the contract's "nothing more now"). */
  nullCursorAtEnd = true;
  /**
   * When set, page reads are held until this many have arrived, then all answered: two fetches
   * then surely read the same page, however loaded the machine (a race a test means to have).
   */
  holdPageReadsUntil = 0;
  private held: (() => void)[] = [];
  private server = http.createServer((req, res) => void this.answer(req, res));

  constructor(
    private readonly names: { records: string; next: string; limit: string; cursor: string } = {
      records: 'records',
      next: 'nextCursor',
      limit: 'limit',
      cursor: 'cursor',
    },
  ) {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push({ method: req.method ?? 'GET', url, headers: req.headers, body });
    const scripted = this.script.shift();
    if (scripted) {
      if (scripted.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs));
      res.writeHead(scripted.status, scripted.headers ?? {});
      res.end(scripted.body ?? '');
      return;
    }
    if (req.method === 'POST') {
      this.writeBacks.push(JSON.parse(body));
      res.writeHead(204).end();
      return;
    }
    if (this.holdPageReadsUntil > 0) {
      await new Promise<void>((release) => {
        this.held.push(release);
        if (this.held.length >= this.holdPageReadsUntil) {
          this.holdPageReadsUntil = 0;
          for (const r of this.held.splice(0)) r();
        }
      });
    }
    const limit = Number(url.searchParams.get(this.names.limit) ?? '10');
    const from = Number(url.searchParams.get(this.names.cursor) ?? '0');
    const page = this.records.slice(from, from + limit);
    const end = from + page.length;
    const next = end >= this.records.length && this.nullCursorAtEnd ? null : String(end);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(nest({}, this.names.records, page, this.names.next, next)));
  }
}

function nest(into: Record<string, unknown>, recordsPath: string, records: unknown, nextPath: string, next: unknown) {
  set(into, recordsPath, records);
  set(into, nextPath, next);
  return into;
}

function set(obj: Record<string, unknown>, path: string, value: unknown): void {
  const steps = path.split('.');
  let here = obj;
  for (const step of steps.slice(0, -1)) {
    here[step] ??= {};
    here = here[step] as Record<string, unknown>;
  }
  here[steps[steps.length - 1] as string] = value;
}
