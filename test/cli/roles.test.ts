import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { cliEnv, dropPrefix, runCli } from './cli-process';

/** The service roles as processes: start, stop on a signal within 15 s with 0, and refuse a bad environment with 2. */
describe('prospect-feeder roles', () => {
  let db: TestDb;
  const prefix = uniquePrefix('cli-roles');
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await freshSchema('cliroles');
    env = cliEnv(db, prefix, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await dropPrefix(db, prefix);
    await db.drop();
  });

  it('migrate reports what it applied and exits 0', async () => {
    const done = await runCli(['migrate'], env);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('migrations done');
    expect(done.stdout).toContain('"alreadyApplied"');
  }, 30_000);

  it('start serves the API, says it is open without API_KEYS, and exits 0 on SIGTERM within 15 s', async () => {
    let answered: unknown[] = [];
    let signalledAt = 0;
    const done = await runCli(['start'], { ...env, API_KEYS: '' }, (line, child) => {
      const up = /"address":"(http:[^"]+)"/.exec(line);
      if (!up) return;
      Promise.all([
        fetch(`${up[1]}/v1/skills`).then((res) => res.status),
        fetch(`${up[1]}/healthz`).then((res) => res.status),
        // The refill route needs this process's fetch queue: the role wires it.
        fetch(`${up[1]}/v1/skills/5/refill`, { method: 'POST' }).then(async (res) => [
          res.status,
          ((await res.json()) as { error: { code: string } }).error.code,
        ]),
      ])
        .then((statuses) => (answered = statuses))
        .catch(() => undefined)
        .finally(() => {
          signalledAt = Date.now();
          child.kill('SIGTERM');
        });
    });
    expect(answered).toEqual([200, 200, [404, 'UnknownSkill']]);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('API_KEYS is unset');
    expect(done.stdout).toContain('"msg":"worker stopped"');
    expect(done.stdout).toContain('"msg":"brain stopped"');
    expect(done.stdout).toContain('"msg":"stopped"');
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
  }, 60_000);

  for (const role of ['worker', 'brain'] as const) {
    it(`${role} serves /healthz and /readyz on PORT and exits 0 on SIGINT`, async () => {
      const probes: number[] = [];
      let signalledAt = 0;
      const done = await runCli([role], env, (line, child) => {
        const up = /"healthPort":(\d+)/.exec(line);
        if (!up) return;
        const base = `http://127.0.0.1:${up[1]}`;
        Promise.all([fetch(`${base}/healthz`), fetch(`${base}/readyz`), fetch(`${base}/metrics`)])
          .then((answers) => probes.push(...answers.map((a) => a.status)))
          .catch(() => undefined)
          .finally(() => {
            signalledAt = Date.now();
            child.kill('SIGINT');
          });
      });
      expect(probes).toEqual([200, 200, 200]);
      expect(done.code).toBe(0);
      expect(done.stdout).toContain(`"msg":"${role} stopped"`);
      expect(Date.now() - signalledAt).toBeLessThan(15_000);
      expect(done.stdout).not.toContain('API_KEYS is unset');
    }, 60_000);
  }

  it('demo-crm serves leads on its port and exits 0 on SIGTERM', async () => {
    let page: { records: unknown[]; nextCursor: string } | undefined;
    const done = await runCli(['demo-crm', '--port', '0', '--host', '127.0.0.1'], env, (line, child) => {
      const up = /"url":"(http:[^"]+)"/.exec(line);
      if (!up) return;
      fetch(`${up[1]}/leads?limit=3`)
        .then(async (res) => (page = (await res.json()) as typeof page))
        .catch(() => undefined)
        .finally(() => child.kill('SIGTERM'));
    });
    expect(done.code).toBe(0);
    expect(page?.records).toHaveLength(3);
    expect(page?.nextCursor).toBe('3');
  }, 30_000);

  it('exits 2 naming the variable when the configuration is bad', async () => {
    const done = await runCli(['start'], { ...env, PORT: 'eighty' });
    expect(done.code).toBe(2);
    expect(done.stderr).toContain('PORT');
    expect(done.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 30_000);

  it('exits 2 when API_KEYS is malformed, without echoing a key', async () => {
    const done = await runCli(['api'], { ...env, API_KEYS: 'operator:k1,wizard:secret-key' });
    expect(done.code).toBe(2);
    expect(done.stderr).toContain('unknown role "wizard"');
    expect(done.stderr).not.toContain('secret-key');
  }, 30_000);
});
