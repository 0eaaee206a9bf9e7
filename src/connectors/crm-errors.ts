/**
 * Errors of a CRM source, each with a stable code. The fetch worker retries `CrmUnavailable` with
 * backoff, postpones the job on `CrmRateLimited` without spending an attempt, and gives up at once
 * on `CrmMisconfigured`.
 */
export class CrmUnavailable extends Error {
  readonly code = 'CrmUnavailable';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CrmUnavailable';
  }
}

export class CrmRateLimited extends Error {
  readonly code = 'CrmRateLimited';
  constructor(
    message: string,
    readonly retryAfterMs: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CrmRateLimited';
  }
}

export class CrmMisconfigured extends Error {
  readonly code = 'CrmMisconfigured';
  constructor(message: string) {
    super(message);
    this.name = 'CrmMisconfigured';
  }
}

/**
 * A URL fit for a log line or an error message: scheme, host and path only. A query may carry
 * phone numbers or keys, so it never leaves this function.
 */
export function redactUrl(url: string | URL): string {
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return '(unparseable url)';
  }
}
