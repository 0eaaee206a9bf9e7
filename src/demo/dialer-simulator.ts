import type { Logger } from 'pino';

/** Outcomes and how often the simulated agents report them. */
const OUTCOMES: ReadonlyArray<[outcome: string, weight: number]> = [
  ['RightParty', 25],
  ['NoAnswer', 30],
  ['Machine', 15],
  ['Busy', 10],
  ['WrongParty', 10],
  ['Invalid', 5],
  ['DoNotCall', 5],
];
const TOTAL = OUTCOMES.reduce((s, [, w]) => s + w, 0);

export interface DialerSimulatorOptions {
  /** The API's base URL, e.g. http://127.0.0.1:3000. */
  apiUrl: string;
  skillNo: number;
  /** A dialer (or operator) key when the API has keys. */
  apiKey?: string;
  /** Contacts claimed per second. */
  claimsPerSecond?: number;
  logger: Logger;
  random?: () => number;
}

export interface DialerStats {
  claimed: number;
  reported: number;
  errors: number;
  outcomes: Record<string, number>;
}

export interface DialerSimulator {
  stats: DialerStats;
  close(): Promise<void>;
}

/**
 * A dialer for the demo: once a second it claims a few destinations of the skill through the
 * public API and reports a random outcome for each, so the dialing queue drains and the brain
 * refills it, as in a contact center.
 */
export function startDialerSimulator(opts: DialerSimulatorOptions): DialerSimulator {
  const random = opts.random ?? Math.random;
  const perTick = Math.max(1, opts.claimsPerSecond ?? 5);
  const stats: DialerStats = { claimed: 0, reported: 0, errors: 0, outcomes: {} };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
  let stopped = false;
  let lastError = 0;

  const call = async (path: string, body: unknown): Promise<unknown> => {
    const res = await fetch(`${opts.apiUrl}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${path.replace(/\/[0-9a-f-]{36}\//, '/{ClaimId}/')} answered ${res.status}`);
    return text ? (JSON.parse(text) as unknown) : null;
  };

  const tick = async () => {
    const answer = (await call(`/v1/skills/${opts.skillNo}/dial-queue/claim`, { Limit: perTick })) as {
      Claims?: Array<{ ClaimId: string }>;
    };
    const claims = answer?.Claims ?? [];
    stats.claimed += claims.length;
    await Promise.all(
      claims.map(async (c) => {
        const outcome = pickOutcome(random());
        await call(`/v1/claims/${c.ClaimId}/outcome`, { Outcome: outcome });
        stats.reported++;
        stats.outcomes[outcome] = (stats.outcomes[outcome] ?? 0) + 1;
      }),
    );
  };

  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      try {
        await tick();
      } catch (err) {
        stats.errors++;
        // Once every 10 s at most: an API that is still starting must not flood the log.
        if (Date.now() - lastError > 10_000) {
          lastError = Date.now();
          opts.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'dialer simulator: call failed');
        }
      }
      await sleep(Math.max(0, 1_000 - (Date.now() - started)), () => stopped);
    }
  })();

  return {
    stats,
    async close() {
      stopped = true;
      await loop;
    },
  };
}

export function pickOutcome(roll: number): string {
  let left = roll * TOTAL;
  for (const [outcome, weight] of OUTCOMES) {
    if (left < weight) return outcome;
    left -= weight;
  }
  return OUTCOMES[0]![0];
}

/** Sleeps up to `ms`, waking early once `stop()` says so. */
async function sleep(ms: number, stop: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (!stop() && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
}
