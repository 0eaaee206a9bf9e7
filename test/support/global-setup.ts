import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/cli/embedded-postgres';
import { pickBackends } from './backends';

/**
 * Once per `vitest run`, before any worker starts: the database the tests use. With
 * DATABASE_URL set (.ci/run, compose) that one; without it, a throwaway embedded PostgreSQL in
 * a temporary directory, its URL handed to the workers through the environment they inherit
 * (test/support/db.ts reads DATABASE_URL), stopped and removed when the run ends. Says which
 * database the run uses and which legs of the backend matrix run (and on which Redis).
 */
export default async function setup(): Promise<() => Promise<void>> {
  let embedded: EmbeddedPostgres | undefined;
  if (process.env.DATABASE_URL) {
    say(`database: DATABASE_URL=${withoutPassword(process.env.DATABASE_URL)}`);
  } else {
    const startedAt = Date.now();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pf-test-pg-'));
    embedded = await startEmbeddedPostgres({ dir, database: 'test', throwaway: true });
    process.env.DATABASE_URL = embedded.url;
    say(
      `database: embedded PostgreSQL ${embedded.version} at ${withoutPassword(embedded.url)} (DATABASE_URL not set; started in ${Date.now() - startedAt} ms)`,
    );
  }
  say(legsLine());
  return async () => {
    await embedded?.stop();
  };
}

/** Which legs of the backend matrix run, and on what Redis: none is looked for where REDIS_URL is unset. */
function legsLine(): string {
  const legs = pickBackends(process.env).join(' and ');
  if (process.env.REDIS_URL) return `queue backends: ${legs} (Redis: REDIS_URL=${withoutPassword(process.env.REDIS_URL)})`;
  return `queue backends: ${legs} (REDIS_URL not set: no test uses Redis; set it to run the redis leg too)`;
}

function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
