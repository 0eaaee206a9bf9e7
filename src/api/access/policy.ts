import type { Role } from './api-keys';

/** Paths anyone may reach: probes, metrics, and the key form itself. */
const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/login', '/logout']);

/** Paths a person opens in a browser: without a key they answer with a form, not JSON. */
const BROWSER_PAGES = [/^\/dashboard\/?$/, /^\/admin\/queues(?:\/(?!api\/|static\/).*)?$/, /^\/docs\/?$/];

/**
 * What a `dialer` key may do. Matched against the route template (`/v1/skills/:SkillNo/...`)
 * when the request was routed, else against the path, so either form fits.
 */
const DIALER_ROUTES: ReadonlyArray<{ methods: ReadonlySet<string>; path: RegExp }> = [
  { methods: new Set(['GET', 'HEAD']), path: /^\/v1\/skills\/[^/]+\/dial-queue$/ },
  { methods: new Set(['POST']), path: /^\/v1\/skills\/[^/]+\/dial-queue\/claim$/ },
  { methods: new Set(['POST']), path: /^\/v1\/claims\/[^/]+\/outcome$/ },
  // A dialer reads back the claims it was handed (their numbers it was given already).
  { methods: new Set(['GET', 'HEAD']), path: /^\/v1\/claims\/[^/]+$/ },
  // "When may I call back?": a dialer or an agent asks the calling rules.
  { methods: new Set(['GET', 'HEAD']), path: /^\/v1\/calling-rules\/check$/ },
  // Is this number suppressed: a dialer may ask before it dials (contract section 8).
  { methods: new Set(['GET', 'HEAD']), path: /^\/v1\/suppression$/ },
];

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.has(path);
}

export function isBrowserPage(path: string): boolean {
  return BROWSER_PAGES.some((p) => p.test(path));
}

export function isReadMethod(method: string): boolean {
  return READ_METHODS.has(method.toUpperCase());
}

/** May `role` call `method path`? (The key has already been found valid.) */
export function roleMay(role: Role, method: string, path: string): boolean {
  const m = method.toUpperCase();
  switch (role) {
    case 'operator':
      return true;
    case 'viewer':
      return READ_METHODS.has(m);
    case 'dialer':
      return DIALER_ROUTES.some((r) => r.methods.has(m) && r.path.test(path));
  }
}

/** The roles that may open the dashboards (they read everything). */
export function mayOpenDashboards(role: Role): boolean {
  return role === 'operator' || role === 'viewer';
}

/**
 * Where to go after the key form: only a path on this site (`/dashboard`), never `//host` or a
 * full URL, so the form cannot be used to send someone elsewhere.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return '/dashboard';
  }
  return /^[\x21-\x7e]*$/.test(next) ? next : '/dashboard';
}
