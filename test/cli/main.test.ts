import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_URL, freshSchema, type TestDb } from '../support/db';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'prospect-feeder.js');

interface Exited {
  code: number | null;
  output: string;
}

/** Runs the CLI; `onLine` may act on each output line (and send signals). */
function run(args: string[], env: Record<string, string>, onLine?: (line: string, send: (s: NodeJS.Signals) => void) => void): Promise<Exited> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'info', ...env } });
    let output = '';
    const take = (chunk: Buffer) => {
      for (const line of String(chunk).split('\n')) {
        if (line) {
          output += `${line}\n`;
          onLine?.(line, (s) => child.kill(s));
        }
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('prospect-feeder CLI', () => {
  let db: TestDb;
  let url: string;
  beforeAll(async () => {
    db = await freshSchema('cli');
    url = `${DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${db.schema}`)}`;
  });
  afterAll(async () => db.drop());

  it('migrate reports what it applied and exits 0', async () => {
    const done = await run(['migrate'], { DATABASE_URL: url });
    expect(done.code).toBe(0);
    expect(done.output).toContain('migrations done');
    expect(done.output).toContain('"alreadyApplied"');
  }, 30_000);

  it('start serves the API, says it is open without API_KEYS, and stops with 0 on SIGTERM', async () => {
    let answered = 0;
    const started = Date.now();
    const done = await run(['start'], { DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', API_KEYS: '' }, (line, send) => {
      const up = /"address":"(http:[^"]+)"/.exec(line);
      if (!up) return;
      fetch(`${up[1]}/v1/skills`).then(
        (res) => {
          answered = res.status;
          send('SIGTERM');
        },
        () => send('SIGTERM'),
      );
    });
    expect(answered).toBe(200);
    expect(done.code).toBe(0);
    expect(done.output).toContain('API_KEYS is unset');
    expect(done.output).toContain('"msg":"stopped"');
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it('exits 2 naming the variable when the configuration is bad', async () => {
    const done = await run(['start'], { DATABASE_URL: url, PORT: 'eighty' });
    expect(done.code).toBe(2);
    expect(done.output).toContain('PORT');
  }, 30_000);
});
