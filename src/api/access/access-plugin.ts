import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { type KeyRing, openAccessWarning, type Role } from './api-keys';
import { loginPage } from './login-page';
import { pathOf } from '../../web/path-of';
import { isBrowserPage, isPublicPath, isReadMethod, mayOpenDashboards, roleMay, safeNext } from './policy';

export const KEY_COOKIE = 'pf_api_key';
const COOKIE_MAX_AGE_SECONDS = 12 * 3600;

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's role; `open` when the API runs without keys. Set before anything else runs. */
    accessRole: Role | 'open' | null;
  }
}

export interface AccessOptions {
  /** Parsed keys; `null` (or absent) leaves the API open. */
  keys: KeyRing | null;
}

/**
 * Access control (contract section 7), in one onRequest hook on the root instance: it runs after
 * routing and before the body is read, so a refused call changes nothing and costs nothing.
 * Also serves the key form (`/login`, `/logout`) and keeps a browser's key in a cookie.
 */
const plugin: FastifyPluginAsync<AccessOptions> = async (app, opts) => {
  const keys = opts.keys ?? null;
  if (!app.hasRequestDecorator('cookies')) await app.register(fastifyCookie);
  app.decorateRequest('accessRole', null);

  app.addHook('onRequest', async (request, reply) => {
    const path = request.routeOptions.url ?? pathOf(request.url);
    if (keys === null) {
      request.accessRole = 'open';
      return;
    }
    if (isPublicPath(path)) return;

    const presented = presentedKey(request);
    if (presented.kind === 'malformed') {
      return refuse(request, reply, 401, 'Unauthorized', 'Authorization must be "Bearer <key>"');
    }
    if (presented.kind === 'none') {
      return refuse(request, reply, 401, 'Unauthorized', 'An API key is required (Authorization: Bearer <key>)');
    }
    const role = keys.roleOf(presented.key);
    if (role === null) {
      if (presented.via === 'cookie') reply.clearCookie(KEY_COOKIE, { path: '/' });
      return refuse(request, reply, 401, 'Unauthorized', 'The API key is not valid');
    }
    if (!roleMay(role, request.method, path)) {
      return refuse(request, reply, 403, 'Forbidden', `A ${role} key may not ${request.method} ${path}`);
    }
    // A cookie rides along on any request the browser makes, so a state change it authorizes
    // must come from a page of this site (SameSite=Strict already stops most cross-site sends).
    if (presented.via === 'cookie' && !isReadMethod(request.method) && !fromThisSite(request)) {
      return refuse(request, reply, 403, 'Forbidden', 'Cross-site request refused: send the key in the Authorization header');
    }
    request.accessRole = role;
  });

  await app.register(async (forms) => {
    forms.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    forms.get('/login', { schema: { hide: true } }, async (request, reply) => {
      const next = safeNext((request.query as Record<string, unknown>).next);
      return reply.type('text/html; charset=utf-8').send(loginPage({ next, open: keys === null }));
    });

    forms.post('/login', { schema: { hide: true } }, async (request, reply) => {
      const form = (request.body ?? {}) as Record<string, unknown>;
      const next = safeNext(form.next);
      if (keys === null) return reply.redirect(next, 303);
      if (request.headers.origin !== undefined && !fromThisSite(request)) {
        return reply
          .code(403)
          .type('text/html; charset=utf-8')
          .send(loginPage({ next, message: 'Cross-site sign-in refused.' }));
      }
      const key = typeof form.key === 'string' ? form.key.trim() : '';
      const role = key === '' ? null : keys.roleOf(key);
      if (role === null) {
        return reply
          .code(401)
          .type('text/html; charset=utf-8')
          .send(loginPage({ next, message: 'That key is not valid.' }));
      }
      if (!mayOpenDashboards(role)) {
        return reply
          .code(403)
          .type('text/html; charset=utf-8')
          .send(loginPage({ next, message: `A ${role} key cannot open the dashboards.` }));
      }
      reply.setCookie(KEY_COOKIE, key, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        maxAge: COOKIE_MAX_AGE_SECONDS,
      });
      return reply.redirect(next, 303);
    });

    const logout = async (_request: FastifyRequest, reply: FastifyReply) => {
      reply.clearCookie(KEY_COOKIE, { path: '/' });
      return reply.redirect('/login', 303);
    };
    forms.post('/logout', { schema: { hide: true } }, logout);
    forms.get('/logout', { schema: { hide: true } }, logout);
  });
};
(plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

/** Register on the root instance, before the routes. */
export const accessControl = plugin;

/** Logs the open-access warning at start when there are no keys. */
export function warnIfOpen(app: FastifyInstance, keys: KeyRing | null): void {
  const warning = openAccessWarning(keys);
  if (warning) app.log.warn(warning);
}

type Presented = { kind: 'none' } | { kind: 'malformed' } | { kind: 'key'; key: string; via: 'header' | 'cookie' };

function presentedKey(request: FastifyRequest): Presented {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    return m ? { kind: 'key', key: m[1]!, via: 'header' } : { kind: 'malformed' };
  }
  const cookie = request.cookies[KEY_COOKIE];
  return cookie ? { kind: 'key', key: cookie, via: 'cookie' } : { kind: 'none' };
}

function fromThisSite(request: FastifyRequest): boolean {
  const host = request.headers.host;
  const origin = request.headers.origin ?? request.headers.referer;
  if (origin !== undefined && host !== undefined) {
    try {
      const from = new URL(origin);
      // Parsed with the origin's own scheme, so a default port written in Host (":80") still matches.
      return new URL(`${from.protocol}//${host}`).host === from.host;
    } catch {
      return false;
    }
  }
  return request.headers['sec-fetch-site'] === 'same-origin';
}

function refuse(request: FastifyRequest, reply: FastifyReply, status: 401 | 403, code: 'Unauthorized' | 'Forbidden', message: string) {
  const path = pathOf(request.url);
  const wantsHtml = isReadMethod(request.method) && isBrowserPage(path) && /text\/html/.test(request.headers.accept ?? '');
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="prospect-feeder"');
  if (wantsHtml) {
    const text = status === 401 ? (request.cookies[KEY_COOKIE] ? 'Your key is no longer valid.' : undefined) : message;
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(loginPage({ next: safeNext(request.url), ...(text ? { message: text } : {}) }));
  }
  return reply.code(status).send({ error: { code, message } });
}
