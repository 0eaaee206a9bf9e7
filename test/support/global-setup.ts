import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/cli/embedded-postgres';

/**
 * Once per `vitest run`, before any worker starts: the database the tests use. With
 * DATABASE_URL set (.ci/run, compose) that one; without it, a throwaway embedded PostgreSQL in
 * a temporary directory, its URL handed to the workers through the environment they inherit
 * (test/support/db.ts reads DATABASE_URL), stopped and removed when the run ends. Says which
 * database and which Redis the run uses, so the output tells which legs ran.
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
  say(await redisLine());
  return async () => {
    await embedded?.stop();
  };
}

async function redisLine(): Promise<string> {
  if (process.env.REDIS_URL) return `Redis: REDIS_URL=${withoutPassword(process.env.REDIS_URL)}`;
  const answers = await answersAt('127.0.0.1', 6379);
  return answers
    ? 'Redis: REDIS_URL not set; files that use Redis take redis://127.0.0.1:6379, which answers'
    : 'Redis: REDIS_URL not set and nothing answers at 127.0.0.1:6379: files that use Redis fail (set REDIS_URL for the redis leg)';
}

function answersAt(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 500 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
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
