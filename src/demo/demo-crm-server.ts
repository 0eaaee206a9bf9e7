import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoPage } from '../connectors/demo-crm';

export interface DemoCrmServerOptions {
  port?: number;
  host?: string;
  seed?: number;
  badRowRate?: number;
}

/** A write-back as the demo CRM remembers it: counts only, never the records. */
export interface ReceivedWriteBack {
  RunId: unknown;
  SkillNo: unknown;
  Successful: number;
  Failed: number;
  At: string;
}

export interface DemoCrmServer {
  url: string;
  port: number;
  writeBacks: ReceivedWriteBack[];
  close(): Promise<void>;
}

const MAX_PAGE = 1_000;
const MAX_BODY = 50 * 1024 * 1024;
const KEEP = 100;

/**
 * The demo CRM over HTTP, for the `http` connector (docker compose, `prospect-feeder demo`):
 * `GET /leads?limit=&cursor=` answers `{ records, nextCursor }` from the endless demo stream;
 * `POST /results` takes a run's write-back; `GET /results` shows the last ones received.
 */
export async function startDemoCrmServer(opts: DemoCrmServerOptions = {}): Promise<DemoCrmServer> {
  const seed = opts.seed ?? 1;
  const badRowRate = opts.badRowRate ?? 0.1;
  const writeBacks: ReceivedWriteBack[] = [];
  let received = 0;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://demo-crm');
    const answer = (status: number, body?: unknown) => {
      res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/leads') {
      const limit = Number(url.searchParams.get('limit') ?? '100');
      if (!Number.isInteger(limit) || limit < 1) return answer(400, { error: 'limit must be a positive integer' });
      const page = demoPage(seed, url.searchParams.get('cursor'), Math.min(limit, MAX_PAGE), badRowRate);
      return answer(200, page);
    }
    if (req.method === 'POST' && url.pathname === '/results') {
      let size = 0;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      req.on('end', () => {
        if (size > MAX_BODY) return answer(413, { error: 'too large' });
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            RunId?: unknown;
            SkillNo?: unknown;
            Results?: { SuccessfulRecords?: unknown[]; FailedRecords?: unknown[] };
          };
          received++;
          writeBacks.push({
            RunId: body.RunId,
            SkillNo: body.SkillNo,
            Successful: body.Results?.SuccessfulRecords?.length ?? 0,
            Failed: body.Results?.FailedRecords?.length ?? 0,
            At: new Date().toISOString(),
          });
          if (writeBacks.length > KEEP) writeBacks.splice(0, writeBacks.length - KEEP);
          return answer(204);
        } catch {
          return answer(400, { error: 'body is not JSON' });
        }
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/results') return answer(200, { Received: received, Last: writeBacks.slice(-10) });
    if (req.method === 'GET' && url.pathname === '/healthz') return answer(200, { status: 'ok' });
    return answer(404, { error: 'not found' });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host && opts.host !== '0.0.0.0' && opts.host !== '::' ? opts.host : '127.0.0.1';
  return {
    url: `http://${host}:${port}`,
    port,
    writeBacks,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
