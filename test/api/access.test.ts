import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accessControl, KEY_COOKIE } from '../../src/api/access/access-plugin';
import { ApiKeysError, KeyRing, OPEN_ACCESS_WARNING, openAccessWarning } from '../../src/api/access/api-keys';

const KEYS = { operator: 'op-key-1111', dialer: 'dial-key-2222', viewer: 'view-key-3333' };
const API_KEYS = `operator:${KEYS.operator}, dialer:${KEYS.dialer},viewer:${KEYS.viewer}`;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
interface Route {
  method: Method;
  url: string;
  template: string;
  /** Roles that may call it; public routes need no key at all. */
  roles: 'public' | ReadonlyArray<'operator' | 'dialer' | 'viewer'>;
}

const ALL = ['operator', 'viewer'] as const;
const ROUTES: Route[] = [
  { method: 'GET', url: '/v1/skills', template: '/v1/skills', roles: ALL },
  { method: 'GET', url: '/v1/skills/4100', template: '/v1/skills/:SkillNo', roles: ALL },
  { method: 'PUT', url: '/v1/skills/4100', template: '/v1/skills/:SkillNo', roles: ['operator'] },
  { method: 'GET', url: '/v1/skills/4100/dial-queue', template: '/v1/skills/:SkillNo/dial-queue', roles: ['operator', 'viewer', 'dialer'] },
  {
    method: 'POST',
    url: '/v1/skills/4100/dial-queue/claim',
    template: '/v1/skills/:SkillNo/dial-queue/claim',
    roles: ['operator', 'dialer'],
  },
  { method: 'POST', url: '/v1/claims/abc/outcome', template: '/v1/claims/:ClaimId/outcome', roles: ['operator', 'dialer'] },
  { method: 'POST', url: '/v1/skills/4100/refill', template: '/v1/skills/:SkillNo/refill', roles: ['operator'] },
  { method: 'POST', url: '/v1/create-prospects', template: '/v1/create-prospects', roles: ['operator'] },
  { method: 'DELETE', url: '/v1/skills/4100', template: '/v1/skills/:SkillNo', roles: ['operator'] },
  { method: 'GET', url: '/v1/runs?SkillNo=4100', template: '/v1/runs', roles: ALL },
  { method: 'GET', url: '/dashboard', template: '/dashboard', roles: ALL },
  { method: 'GET', url: '/healthz', template: '/healthz', roles: 'public' },
  { method: 'GET', url: '/readyz', template: '/readyz', roles: 'public' },
  { method: 'GET', url: '/metrics', template: '/metrics', roles: 'public' },
];

/** Counts what reached a body parser or a handler: a refused call must reach neither. */
const reached = { parsed: 0, handled: 0 };

async function buildApp(keys: KeyRing | null, opts: { trustProxy?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({ trustProxy: opts.trustProxy ?? false });
  await app.register(accessControl, { keys });
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    reached.parsed++;
    done(null, body === '' ? {} : JSON.parse(body as string));
  });
  const registered = new Set<string>();
  for (const r of ROUTES) {
    const key = `${r.method} ${r.template}`;
    if (registered.has(key)) continue;
    registered.add(key);
    app.route({
      method: r.method,
      url: r.template,
      handler: async (request) => {
        reached.handled++;
        return { ok: true, role: request.accessRole };
      },
    });
  }
  await app.ready();
  return app;
}

function bearer(key: string) {
  return { authorization: `Bearer ${key}` };
}

describe('API_KEYS', () => {
  it('parses role:key pairs and finds each key role', () => {
    const ring = KeyRing.parse(API_KEYS)!;
    expect(ring.size).toBe(3);
    expect(ring.roleOf(KEYS.operator)).toBe('operator');
    expect(ring.roleOf(KEYS.dialer)).toBe('dialer');
    expect(ring.roleOf(KEYS.viewer)).toBe('viewer');
    expect(ring.roleOf('nope')).toBeNull();
    expect(ring.roleOf(`${KEYS.operator}x`)).toBeNull();
    expect(ring.roleOf('')).toBeNull();
    expect(KeyRing.parse('operator:k1,dialer:k2,viewer:k3')!.roleOf('k2')).toBe('dialer');
  });

  it('refuses a bad entry with a message naming it but never the key', () => {
    const cases: Array<[string, RegExp]> = [
      ['operator', /entry 1 has no role/],
      ['admin:secret-admin', /entry 1 has an unknown role "admin"/],
      ['operator:secret-a,,viewer:secret-b', /entry 2 is empty/],
      ['viewer:', /entry 1 \(viewer\) has an empty key/],
      ['operator:secret-a,viewer:secret-a', /entry 2 \(viewer\) repeats a key/],
      ['operator:has space', /whitespace/],
    ];
    for (const [raw, message] of cases) {
      let caught: unknown;
      try {
        KeyRing.parse(raw);
      } catch (err) {
        caught = err;
      }
      expect(caught, raw).toBeInstanceOf(ApiKeysError);
      expect((caught as Error).message).toMatch(message);
      expect((caught as Error).message).not.toMatch(/secret/);
    }
  });

  it('is open, with the start warning, when unset or blank', () => {
    expect(KeyRing.parse(undefined)).toBeNull();
    expect(KeyRing.parse('  ')).toBeNull();
    expect(openAccessWarning(null)).toBe(OPEN_ACCESS_WARNING);
    expect(OPEN_ACCESS_WARNING).toBe('API_KEYS is unset: the API is open to anyone who can reach it');
    expect(openAccessWarning(KeyRing.parse(API_KEYS))).toBeNull();
  });

  it('compares SHA-256 digests with timingSafeEqual, against every key, whatever the length presented', () => {
    const ring = KeyRing.parse(API_KEYS)!;
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    try {
      for (const presented of [KEYS.operator, 'x', 'a-much-longer-guess-than-any-key-configured-here']) {
        spy.mockClear();
        ring.roleOf(presented);
        expect(spy).toHaveBeenCalledTimes(3);
        for (const [a, b] of spy.mock.calls) {
          expect((a as Buffer).length).toBe(32);
          expect((b as Buffer).length).toBe(32);
        }
      }
    } finally {
      spy.mockRestore();
    }
  });
});

describe('access matrix', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(KeyRing.parse(API_KEYS));
  });
  afterAll(() => app.close());

  const send = (r: Route, headers: Record<string, string> = {}) =>
    app.inject({
      method: r.method,
      url: r.url,
      headers: { ...headers, ...(r.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
      ...(r.method === 'GET' ? {} : { payload: JSON.stringify({ Limit: 1 }) }),
    });

  for (const r of ROUTES) {
    it(`${r.method} ${r.url}`, async () => {
      if (r.roles === 'public') {
        expect((await send(r)).statusCode).toBe(200);
        expect((await send(r, bearer('wrong-key'))).statusCode).toBe(200);
        return;
      }
      const before = { ...reached };
      const none = await send(r);
      expect(none.statusCode).toBe(401);
      expect(none.json()).toEqual({ error: { code: 'Unauthorized', message: expect.any(String) } });
      expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
      const wrong = await send(r, bearer('wrong-key'));
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error.code).toBe('Unauthorized');
      const malformed = await send(r, { authorization: `Basic ${KEYS.operator}` });
      expect(malformed.statusCode).toBe(401);
      for (const role of ['operator', 'dialer', 'viewer'] as const) {
        const res = await send(r, bearer(KEYS[role]));
        if (r.roles.includes(role)) {
          expect(res.statusCode, role).toBe(200);
          expect(res.json().role).toBe(role);
        } else {
          expect(res.statusCode, role).toBe(403);
          expect(res.json()).toEqual({ error: { code: 'Forbidden', message: expect.stringContaining(role) } });
        }
      }
      // Refused calls reached neither the body parser nor the handler.
      const allowed = r.roles.length;
      expect(reached.handled - before.handled).toBe(allowed);
      const bodies = r.method === 'GET' ? 0 : allowed;
      expect(reached.parsed - before.parsed).toBe(bodies);
    });
  }

  it('answers an unknown route 401 without a key and 404 with one', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/nothing' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/v1/nothing', headers: bearer(KEYS.operator) })).statusCode).toBe(404);
  });
});

describe('browser pages and the key cookie', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(KeyRing.parse(API_KEYS), { trustProxy: true });
  });
  afterAll(() => app.close());

  function cookieOf(setCookie: string | string[] | undefined): string {
    const all = Array.isArray(setCookie) ? setCookie : [setCookie ?? ''];
    const line = all.find((c) => c.startsWith(`${KEY_COOKIE}=`));
    if (!line) throw new Error('no key cookie set');
    return line;
  }

  it('answers a browser 401 with a form asking for the key', async () => {
    const res = await app.inject({ method: 'GET', url: '/dashboard', headers: { accept: 'text/html,*/*' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('<form method="post" action="/login">');
    expect(res.body).toContain('name="next" value="/dashboard"');
    const login = await app.inject({ method: 'GET', url: '/login?next=/admin/queues' });
    expect(login.statusCode).toBe(200);
    expect(login.body).toContain('value="/admin/queues"');
  });

  it('signs in with the form, keeps the key in an HttpOnly SameSite=Strict cookie that counts as the header, signs out', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:80' },
      payload: new URLSearchParams({ key: KEYS.viewer, next: '/dashboard' }).toString(),
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/dashboard');
    const cookie = cookieOf(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);

    const value = cookie.split(';')[0]!;
    const page = await app.inject({ method: 'GET', url: '/dashboard', headers: { cookie: value, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.json().role).toBe('viewer');
    // A viewer's cookie does not allow a change.
    const put = await app.inject({
      method: 'PUT',
      url: '/v1/skills/4100',
      headers: { cookie: value, origin: 'http://localhost:80', 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(put.statusCode).toBe(403);

    const out = await app.inject({ method: 'POST', url: '/logout', headers: { cookie: value } });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/login');
    expect(cookieOf(out.headers['set-cookie'])).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/);
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' },
      payload: new URLSearchParams({ key: KEYS.operator, next: '/admin/queues' }).toString(),
    });
    expect(res.statusCode).toBe(303);
    expect(cookieOf(res.headers['set-cookie'])).toMatch(/Secure/);
  });

  it('refuses a wrong key, a dialer key and an off-site next', async () => {
    const form = (key: string, next = '/dashboard') => ({
      method: 'POST' as const,
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ key, next }).toString(),
    });
    const wrong = await app.inject(form('wrong-key'));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.body).toContain('not valid');
    const dialer = await app.inject(form(KEYS.dialer));
    expect(dialer.statusCode).toBe(403);
    expect(dialer.headers['set-cookie']).toBeUndefined();
    const offsite = await app.inject(form(KEYS.operator, '//evil.example/x'));
    expect(offsite.headers.location).toBe('/dashboard');
    const absolute = await app.inject(form(KEYS.operator, 'https://evil.example/x'));
    expect(absolute.headers.location).toBe('/dashboard');
  });

  it('refuses a state change carried by the cookie from another site (CSRF), not one carried by the header', async () => {
    const cookie = `${KEY_COOKIE}=${KEYS.operator}`;
    const refill = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/v1/skills/4100/refill',
        headers: { 'content-type': 'application/json', ...headers },
        payload: '{}',
      });
    const before = reached.handled;
    expect((await refill({ cookie, origin: 'http://evil.example' })).statusCode).toBe(403);
    expect((await refill({ cookie })).statusCode).toBe(403);
    expect((await refill({ cookie, 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect(reached.handled).toBe(before);
    expect((await refill({ cookie, origin: 'http://localhost:80' })).statusCode).toBe(200);
    expect((await refill({ cookie, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    expect((await refill({ ...bearer(KEYS.operator), origin: 'http://evil.example' })).statusCode).toBe(200);
    // A cross-site sign-in is refused too.
    const login = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
      payload: new URLSearchParams({ key: KEYS.operator }).toString(),
    });
    expect(login.statusCode).toBe(403);
    expect(login.headers['set-cookie']).toBeUndefined();
  });

  it('clears a cookie whose key is no longer valid', async () => {
    const res = await app.inject({ method: 'GET', url: '/dashboard', headers: { cookie: `${KEY_COOKIE}=stale-key`, accept: 'text/html' } });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('no longer valid');
    expect(cookieOf(res.headers['set-cookie'])).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/);
  });
});

describe('without API_KEYS', () => {
  it('lets everyone do everything', async () => {
    const app = await buildApp(null);
    for (const r of ROUTES) {
      const res = await app.inject({
        method: r.method,
        url: r.url,
        ...(r.method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, payload: '{}' }),
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(200);
    }
    await app.close();
  });
});
