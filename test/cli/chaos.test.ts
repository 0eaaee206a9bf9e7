import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInstallationId } from '../../src/db/installation';
import { newQueue } from '../../src/queue/queue-backend';
import { QUEUE_NAMES } from '../../src/queue/queue-settings';
import { installationPrefix } from '../../src/services/installation-scope';
import { setSourceMap } from '../../src/services/set-source-map';
import { putSkill } from '../../src/services/skills';
import { FakeCrm } from '../connectors/fake-crm';
import { eventually, testDeps } from '../queue/queue-test-kit';
import { backendConfig, QUEUE_BACKENDS } from '../support/backends';
import { freshSchema, uniquePrefix, type TestDb } from '../support/db';
import { zoneAtHours } from '../support/prospect-fixtures';
import { cliEnv, dropPrefix, runCli, type CliRun } from './cli-process';

/**
 * The refill loop under chaos, with the roles as the processes an operator runs: two brains, a
 * worker killed with SIGKILL while it holds every skill's fetch (its CRM read hanging), and a
 * second worker, with the service's real timings (a dead worker's job comes back within 45 s).
 * Each skill must be fetched one page at a time, every page stored once and written back once:
 * counted in Postgres and at the CRM. On `postgres` the roles run with no REDIS_URL at all.
 */
const SKILLS = [31, 32, 33];
const PAGE = 30;
const PAGES = 3;

interface Role {
  child: ChildProcess;
  done: Promise<CliRun>;
  /** The health server's port (worker and brain log it when up). */
  port: Promise<number>;
}

function startRole(role: 'worker' | 'brain', env: Record<string, string | undefined>): Role {
  let child!: ChildProcess;
  let up!: (port: number) => void;
  const port = new Promise<number>((resolve) => (up = resolve));
  const done = runCli([role], env, (line, c) => {
    child = c;
    const m = /"healthPort":(\d+)/.exec(line);
    if (m) up(Number(m[1]));
  });
  return {
    get child() {
      return child;
    },
    done,
    port: Promise.race([port, done.then((run) => Promise.reject(new Error(`${role} exited ${run.code}: ${run.stderr.slice(-500)}`)))]),
  };
}

describe.each(QUEUE_BACKENDS)('chaos on %s: two brains, a worker killed mid-fetch', (backend) => {
  let db: TestDb;
  const prefix = uniquePrefix('chaos');
  const crms = new Map<number, FakeCrm>();
  const roles: Role[] = [];

  beforeAll(async () => {
    db = await freshSchema('chaos');
    const deps = testDeps(db.pool, prefix, {}, backend);
    await setSourceMap(deps, 'crm', { ExternalID: 'id', PhoneNumber: 'phone', TimeZone: 'tz' });
    // The middle of the night: nothing is callable, so the brains fill each skill to MaxInventory.
    const tz = zoneAtHours(new Date(), 1, 4);
    for (const skillNo of SKILLS) {
      const crm = new FakeCrm();
      const url = await crm.start();
      crm.records = Array.from({ length: 200 }, (_, i) => ({
        id: `${skillNo}-${i}`,
        phone: `(212) 555-01${String(i % 100).padStart(2, '0')}`,
        tz,
      }));
      // The first page read of each skill hangs: the worker that takes it is killed holding it.
      crm.script.push({ status: 200, delayMs: 110_000, body: '{}' });
      crms.set(skillNo, crm);
      await putSkill(deps, skillNo, {
        Name: `Chaos ${skillNo}`,
        Refill: {
          Enabled: true,
          SourceName: 'crm',
          LowWaterMark: 10,
          TargetDepth: PAGE,
          MaxInventory: PAGE * PAGES,
          CheckIntervalSeconds: 1,
          Connector: { Type: 'http', Url: `${url}/leads`, ResultsUrl: `${url}/results`, TimeoutMs: 120_000 },
        },
      });
    }
  });

  afterAll(async () => {
    for (const r of roles) if (r.child && r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await Promise.all(roles.map((r) => r.done));
    for (const crm of crms.values()) await crm.stop();
    await dropPrefix(db, prefix, backend);
    await db.drop();
  });

  it('fetches each skill one page at a time, stores and writes back every page once, and needs no Redis on postgres', async () => {
    const env: Record<string, string | undefined> = {
      ...cliEnv(db, prefix, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', QUEUE_BACKEND: backend }),
      ...(backend === 'postgres' ? { REDIS_URL: undefined } : {}),
    };
    const start = (role: 'worker' | 'brain') => {
      const r = startRole(role, env);
      roles.push(r);
      return r;
    };
    const brains = [start('brain'), start('brain')];
    const doomed = start('worker');
    await Promise.all([...brains, doomed].map((r) => r.port));

    // Every skill's first read is hanging in the doomed worker (the only one so far).
    await eventually(async () => SKILLS.every((n) => crms.get(n)!.requests.length === 1), 20_000, 'each skill fetching');
    // The fetch jobs the doomed worker holds: they must end completed, run again elsewhere.
    const fetchQueue = newQueue(QUEUE_NAMES.fetch, backendConfig(backend, installationPrefix(prefix, await readInstallationId(db.pool))));
    const held = await fetchQueue.getJobs(['active']);
    expect(held.map((j) => (j.data as { skillNo: number }).skillNo).sort()).toEqual(SKILLS);
    const survivor = start('worker');
    await survivor.port;
    await new Promise((r) => setTimeout(r, 300));
    doomed.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect((await doomed.done).code).toBeNull();

    const prospects = async (skillNo: number) =>
      (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM prospects WHERE skill_no = $1', [skillNo])).rows[0]!.n;
    // The contract: a job whose worker died runs again on another worker within a minute.
    await eventually(async () => (await Promise.all(SKILLS.map(prospects))).every((n) => n > 0), 60_000, 'the killed fetches run again');
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    await eventually(
      async () => {
        const { rows } = await db.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM run_publications p JOIN runs r USING (run_id) WHERE p.writeback_status = 'Delivered'`,
        );
        return rows[0]!.n === SKILLS.length * PAGES;
      },
      30_000,
      'every page stored and written back',
    );
    // Two more seconds of both brains ticking: nothing more is fetched for a full skill.
    await new Promise((r) => setTimeout(r, 2_000));
    try {
      for (const job of held) expect(await fetchQueue.getJobState(job.id!)).toBe('completed');
      // One fetch job per page of each skill, the recovered one included.
      expect(await fetchQueue.getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed')).toMatchObject({
        completed: SKILLS.length * PAGES,
        failed: 0,
        active: 0,
        waiting: 0,
        delayed: 0,
      });
    } finally {
      await fetchQueue.close();
    }

    for (const skillNo of SKILLS) {
      const crm = crms.get(skillNo)!;
      const { rows: runs } = await db.pool.query<{
        run_id: number;
        cursor_before: string | null;
        cursor_after: string;
        record_count: number;
      }>('SELECT run_id, cursor_before, cursor_after, record_count FROM runs WHERE skill_no = $1 ORDER BY run_id', [skillNo]);
      // One page after another: each run starts where the one before ended, none read twice.
      expect(runs.map((r) => [r.cursor_before, r.cursor_after, r.record_count])).toEqual([
        [null, '30', 30],
        ['30', '60', 30],
        ['60', '90', 30],
      ]);
      const { rows: ids } = await db.pool.query<{ id: string }>(
        'SELECT external_id AS id FROM prospects WHERE skill_no = $1 ORDER BY external_id',
        [skillNo],
      );
      expect(ids.map((r) => r.id)).toEqual(Array.from({ length: PAGE * PAGES }, (_, i) => `${skillNo}-${i}`).sort());
      // The CRM saw the killed read and one read per page: no fetch of the skill ran twice.
      expect(crm.requests.filter((r) => r.method === 'GET')).toHaveLength(1 + PAGES);
      const posted = crm.requests.filter((r) => r.method === 'POST').map((r) => (JSON.parse(r.body) as { RunId: number }).RunId);
      expect(posted.sort((a, b) => a - b)).toEqual(runs.map((r) => r.run_id));
    }

    // What the roles check and use: Postgres alone on postgres, Postgres and Redis on redis.
    const ready = (await (await fetch(`http://127.0.0.1:${await brains[0]!.port}/readyz`)).json()) as Record<string, string>;
    expect(ready).toEqual(backend === 'postgres' ? { status: 'ready', postgres: 'ok' } : { status: 'ready', postgres: 'ok', redis: 'ok' });

    for (const r of [...brains, survivor]) r.child.kill('SIGTERM');
    for (const r of [...brains, survivor]) expect((await r.done).code).toBe(0);
  }, 150_000);
});
