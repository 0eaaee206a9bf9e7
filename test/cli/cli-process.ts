import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { QueueBackendName } from '../../src/config';
import { readInstallationId } from '../../src/db/installation';
import { installationPrefix } from '../../src/services/installation-scope';
import { DEFAULT_BACKEND, backendConfig, dropQueues } from '../support/backends';
import { DATABASE_URL, type TestDb } from '../support/db';

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

/**
 * The CLI's environment for a test: its schema, its queue prefix, no LOG_LEVEL unless given. The
 * backend is DEFAULT_BACKEND; on `postgres` REDIS_URL names no Redis at all.
 */
export function cliEnv(db: TestDb, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  const { redisUrl } = backendConfig(DEFAULT_BACKEND, prefix);
  return { DATABASE_URL: schemaUrl(db), REDIS_URL: redisUrl, QUEUE_BACKEND: DEFAULT_BACKEND, QUEUE_PREFIX: prefix, ...extra };
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

/**
 * Removes the queues the CLI made under a test's prefix (scoped to the database's installation, as
 * every role scopes it). Before the schema is dropped: the id is read from it.
 */
export async function dropPrefix(db: TestDb, prefix: string, backend: QueueBackendName = DEFAULT_BACKEND): Promise<void> {
  await dropQueues(backend, installationPrefix(prefix, await readInstallationId(db.pool)));
}
