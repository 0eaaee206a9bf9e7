import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { DEFAULT_BACKEND } from '../support/backends';
import { DATABASE_URL, REDIS_URL, type TestDb } from '../support/db';

export const BIN = path.resolve(__dirname, '..', '..', 'bin', 'prospect-feeder.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** DATABASE_URL naming the test's schema: the CLI reads the same environment as the service. */
export function schemaUrl(db: TestDb): string {
  const sep = DATABASE_URL.includes('?') ? '&' : '?';
  return `${DATABASE_URL}${sep}options=${encodeURIComponent(`-c search_path=${db.schema}`)}`;
}

/** The CLI's environment for a test: its schema, its queue prefix, no LOG_LEVEL unless given. */
export function cliEnv(db: TestDb, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: schemaUrl(db), REDIS_URL, QUEUE_BACKEND: DEFAULT_BACKEND, QUEUE_PREFIX: prefix, ...extra };
}

/**
 * Runs `prospect-feeder ARGS` as a child process. `onLine` sees each line of either stream as it
 * comes (to probe a running role or signal it). A variable given as `undefined` is removed from
 * the child's environment (a role on QUEUE_BACKEND=postgres runs with no REDIS_URL at all).
 */
export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  onLine?: (line: string, child: ChildProcess) => void,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const base = { ...process.env };
    delete base.LOG_LEVEL;
    const merged: NodeJS.ProcessEnv = { ...base, ...env };
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
    const child = spawn(process.execPath, [BIN, ...args], { env: merged });
    let stdout = '';
    let stderr = '';
    const lines = (append: (s: string) => void) => {
      let partial = '';
      return (chunk: Buffer) => {
        const text = String(chunk);
        append(text);
        const parts = (partial + text).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) onLine?.(line, child);
      };
    };
    child.stdout.on(
      'data',
      lines((s) => (stdout += s)),
    );
    child.stderr.on(
      'data',
      lines((s) => (stderr += s)),
    );
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** Removes every Redis key of a test's queue prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
