import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger';
import { echoRequestId, loggingServerOptions } from '../../src/observability/request-id';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((l: string) => l !== ''),
      );
      done();
    },
  });
  return { stream, lines };
}

/** Every way the test number 212-555-0100 could show in full. */
const FULL_NUMBER = /2125550100|212\)? ?[-. ]?555[-. ]?0100|%2B12125550100/;

describe('createLogger', () => {
  it('never writes a full phone number: messages, format args, objects, errors, bindings, URLs', async () => {
    const { stream, lines } = capture();
    const log = createLogger({ level: 'debug', destination: stream });
    log.info('calling +12125550100 now');
    log.info('format %s and %o', '(212) 555-0100', { phone: '212.555.0100' });
    log.info({ record: { id: 'A1', phone: '+1 212 555 0100', asNumber: 2125550100 } }, 'record loaded');
    log.error(new Error('InvalidPhoneNumber: 2125550100'));
    log.error({ err: new Error('connector sent +12125550100') }, 'fetch failed');
    log.child({ phone: '+12125550100' }).warn('child binding');
    log.info({ url: '/v1/skills/1/prospects?PhoneNumber=%2B12125550100' }, 'url');
    log.info({ headers: { authorization: 'Bearer secret-key-1', cookie: 'pf_api_key=secret-key-1' } }, 'headers');
    await new Promise((r) => setImmediate(r));

    expect(lines.length).toBe(8);
    const text = lines.join('\n');
    expect(text).not.toMatch(FULL_NUMBER);
    expect(text).not.toContain('secret-key-1');
    for (const line of lines) {
      const parsed = JSON.parse(line);
      expect(typeof parsed.time).toBe('number');
      expect(typeof parsed.level).toBe('number');
    }
    expect(JSON.parse(lines[0]!).msg).toBe('calling +1******0100 now');
    expect(JSON.parse(lines[2]!).record).toEqual({ id: 'A1', phone: '+1******0100', asNumber: '******0100' });
    expect(JSON.parse(lines[3]!).err.message).toBe('InvalidPhoneNumber: ******0100');
    expect(JSON.parse(lines[3]!).err.stack).toContain('******0100');
    expect(JSON.parse(lines[4]!).err.message).toBe('connector sent +1******0100');
    expect(JSON.parse(lines[5]!).phone).toBe('+1******0100');
    expect(JSON.parse(lines[7]!).headers).toEqual({ authorization: '[Redacted]', cookie: '[Redacted]' });
  });

  it('honours the level', async () => {
    const { stream, lines } = capture();
    const log = createLogger({ level: 'warn', destination: stream });
    log.info('hidden');
    log.warn('shown');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['shown']);
  });
});

describe('createLogger, pretty format (a terminal)', () => {
  it('prints readable lines with the same masking: no full phone number, no credential', async () => {
    const { stream, lines } = capture();
    const log = createLogger({ level: 'debug', destination: stream, format: 'pretty', role: 'demo' });
    log.info('calling +12125550100 now');
    log.info({ record: { id: 'A1', phone: '+1 212 555 0100', asNumber: 2125550100 } }, 'record loaded');
    log.error({ err: new Error('connector sent (212) 555-0100') }, 'fetch failed');
    log.child({ phone: '+12125550100' }).warn('child binding');
    log.info({ headers: { authorization: 'Bearer secret-key-3' } }, 'headers');
    await new Promise((r) => setImmediate(r));

    const text = lines.join('\n');
    expect(() => JSON.parse(lines[0]!)).toThrow();
    expect(lines[0]).toMatch(/INFO.*demo: calling \+1\*{6}0100 now$/);
    expect(text).toContain('"phone":"+1******0100"');
    expect(text).not.toMatch(FULL_NUMBER);
    expect(text).not.toContain('secret-key-3');
  });

  it('writes a successful request line only at debug; refused ones and every JSON line stay', async () => {
    const request = (statusCode: number) => ({ method: 'GET', path: '/v1/skills', statusCode, ms: 1 });
    const seen = async (format: 'pretty' | 'json', level: 'info' | 'debug') => {
      const { stream, lines } = capture();
      const log = createLogger({ level, destination: stream, format });
      log.info(request(200), 'request completed');
      log.info(request(404), 'request completed');
      await new Promise((r) => setImmediate(r));
      return lines.filter((l) => l.includes('request completed')).length;
    };
    expect(await seen('pretty', 'info')).toBe(1);
    expect(await seen('pretty', 'debug')).toBe(2);
    expect(await seen('json', 'info')).toBe(2);
  });
});

describe('request logging through fastify', () => {
  async function app() {
    const { stream, lines } = capture();
    const logger = createLogger({ level: 'info', destination: stream });
    const server = Fastify(loggingServerOptions(logger));
    echoRequestId(server);
    server.get('/v1/skills/:SkillNo/prospects', async (request) => {
      request.log.info({ query: request.query }, 'looking up');
      throw new Error(`no prospect with ${(request.query as { PhoneNumber: string }).PhoneNumber}`);
    });
    await server.ready();
    return { server, lines };
  }

  it('puts the request id on every line, echoes it, and masks numbers in URLs, queries and errors', async () => {
    const { server, lines } = await app();
    const res = await server.inject({
      method: 'GET',
      url: '/v1/skills/4100/prospects?SourceName=crm&PhoneNumber=%2B12125550100',
      headers: { 'x-request-id': 'trace-abc.123', authorization: 'Bearer secret-key-2' },
    });
    expect(res.statusCode).toBe(500);
    expect(res.headers['x-request-id']).toBe('trace-abc.123');
    await server.close();

    const text = lines.join('\n');
    expect(text).not.toMatch(FULL_NUMBER);
    expect(text).not.toContain('secret-key-2');
    const requestLines = lines.map((l) => JSON.parse(l)).filter((l) => l.reqId !== undefined);
    expect(requestLines.length).toBeGreaterThanOrEqual(3); // incoming, looking up, error / completed
    for (const l of requestLines) expect(l.reqId).toBe('trace-abc.123');
    const incoming = requestLines.find((l) => l.req);
    expect(incoming.req.url).toBe('/v1/skills/4100/prospects?SourceName=crm&PhoneNumber=+1******0100');
  });

  it('replaces an insane incoming request id with a fresh one', async () => {
    const { server } = await app();
    const res = await server.inject({
      method: 'GET',
      url: '/v1/skills/1/prospects?PhoneNumber=1',
      headers: { 'x-request-id': 'bad id\twith spaces <script>' },
    });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const again = await server.inject({ method: 'GET', url: '/v1/skills/1/prospects?PhoneNumber=1' });
    expect(again.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.headers['x-request-id']).not.toBe(res.headers['x-request-id']);
    await server.close();
  });
});
