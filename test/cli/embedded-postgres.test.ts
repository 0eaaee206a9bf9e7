import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/cli/embedded-postgres';
import { NO_REDIS_URL } from '../support/backends';
import { uniquePrefix } from '../support/db';
import { BIN } from './cli-process';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pf-embedded-'));
  // As root the cluster runs as the postgres OS user, which must reach a demo's ./.prospect-feeder/.
  await fs.chmod(dir, 0o755);
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function serverPid(dir: string): Promise<number> {
  return Number((await fs.readFile(path.join(dir, 'pgdata', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

/** A zombie (exited, not yet reaped by whoever adopted it) is not alive. */
function alive(pid: number): boolean {
  try {
    const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return state !== '' && !state.startsWith('Z');
  } catch {
    return false; // ps exits 1 when there is no such process
  }
}

describe('embedded PostgreSQL', () => {
  it('keeps its data between runs, stops the orphan of a killed run, and ignores a stale pid file', async () => {
    const dir = await tempDir();
    const first = await startEmbeddedPostgres({ dir, database: 'demo' });
    expect(first.created).toBe(true);
    expect(first.version).toMatch(/^\d+\.\d+/);
    await query(first.url, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');

    // A run killed with -9 never calls stop: its server is still up when the next run starts.
    const orphan = await serverPid(dir);
    const second = await startEmbeddedPostgres({ dir, database: 'demo' });
    expect(second.created).toBe(false);
    expect(alive(orphan)).toBe(false);
    expect(await query(second.url, 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
    await second.stop();
    expect(alive(await serverPid(dir).catch(() => orphan))).toBe(false);

    // A pid file naming a live process that is not postgres (a reused PID): this test's own.
    // (As root the server runs as another user and Postgres itself takes such a PID for stale;
    // as an ordinary user only our removal of the file lets it start.)
    await fs.writeFile(path.join(dir, 'pgdata', 'postmaster.pid'), `${process.pid}\n${dir}/pgdata\n0\n5432\n`);
    const third = await startEmbeddedPostgres({ dir, database: 'demo' });
    expect(await query(third.url, 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
    await third.stop();
    await expect(fs.access(path.join(dir, 'pgdata', 'postmaster.pid'))).rejects.toThrow();
  }, 60_000);

  it('removes a throwaway cluster when it stops', async () => {
    const dir = await tempDir();
    const db: EmbeddedPostgres = await startEmbeddedPostgres({ dir, database: 'scratch', throwaway: true });
    expect(await query(db.url, 'SELECT current_database() AS name')).toEqual([{ name: 'scratch' }]);
    await db.stop();
    await expect(fs.access(dir)).rejects.toThrow();
  }, 60_000);
});

interface DemoRun {
  code: number | null;
  lines: Array<Record<string, unknown>>;
  stderr: string;
  stopMs: number;
}

/**
 * `prospect-feeder demo` with DATABASE_URL unset, in `cwd` (its ./.prospect-feeder/), until it
 * says it is up; `whileUp` runs then, and SIGINT stops it.
 */
function runDemo(cwd: string, whileUp: (dashboard: string) => Promise<void>): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    // The demo needs nothing but its embedded database: REDIS_URL names no Redis.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      QUEUE_PREFIX: uniquePrefix('demo'),
      REDIS_URL: NO_REDIS_URL,
    };
    delete env.DATABASE_URL;
    delete env.QUEUE_BACKEND;
    delete env.LOG_FORMAT;
    delete env.LOG_LEVEL;
    const child = spawn(process.execPath, [BIN, 'demo'], { cwd, env });
    const lines: Array<Record<string, unknown>> = [];
    let partial = '';
    let signalledAt = 0;
    let failure: unknown;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    child.stdout.on('data', (chunk: Buffer) => {
      const parts = (partial + String(chunk)).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) {
        // Stdout is a pipe, not a terminal: every line is JSON.
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        if (typeof line.dashboard === 'string' && String(line.msg).startsWith('prospect-feeder is up')) {
          void whileUp(line.dashboard)
            .catch((err: unknown) => (failure = err))
            .finally(() => {
              signalledAt = Date.now();
              child.kill('SIGINT');
            });
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      // What it said before an early exit (an error is a JSON line on stdout) explains a failure.
      stderr += lines
        .slice(-5)
        .map((l) => JSON.stringify(l))
        .join('\n');
      if (failure) reject(failure);
      else resolve({ code, lines, stderr, stopMs: Date.now() - signalledAt });
    });
  });
}

describe('prospect-feeder demo without DATABASE_URL', () => {
  it('runs on an embedded PostgreSQL in ./.prospect-feeder/, stops on SIGINT with 0, and reuses the data', async () => {
    const cwd = await tempDir();
    let demoSkill: unknown;
    const first = await runDemo(cwd, async (dashboard) => {
      expect((await fetch(dashboard)).status).toBe(200);
      demoSkill = await (await fetch(dashboard.replace('/dashboard', '/v1/skills/9001'))).json();
    });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stopMs).toBeLessThan(15_000);
    expect(demoSkill).toMatchObject({ SkillNo: 9001 });
    expect(first.lines.find((l) => String(l.msg).startsWith('database: embedded PostgreSQL'))).toMatchObject({ reused: false });
    // The server stopped with the demo.
    await expect(fs.access(path.join(cwd, '.prospect-feeder', 'pgdata', 'postmaster.pid'))).rejects.toThrow();

    const second = await runDemo(cwd, async () => undefined);
    expect(second.code, second.stderr).toBe(0);
    expect(second.lines.find((l) => String(l.msg).startsWith('database: embedded PostgreSQL'))).toMatchObject({ reused: true });
  }, 120_000);
});
