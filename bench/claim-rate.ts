/**
 * Claims per second with several dialers at once, straight on claimCalls (one pg client per
 * dialer) and through the HTTP API (the real `prospect-feeder api` process on 127.0.0.1, fetch
 * with keep-alive, a dialer key), Limit 1 and Limit 10, each on a queue of its own, until the
 * queue is drained or the time is up. Every run checks that no contact and no number was handed
 * out twice, from the answers and from the claims table. Baselines: `SELECT 1` round trips and
 * `GET /healthz` calls per second with as many clients.
 *
 * The API process reads the real clock, so the contacts live in the zone (of a fixed list) whose
 * local time is now nearest mid-window: the bench runs at any hour.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { claimCalls } from '../src/db/claims';
import { readInstallationId } from '../src/db/installation';
import { createPool } from '../src/db/pool';
import { installationPrefix } from '../src/services/installation-scope';
import type { QueueBackendName } from '../src/config';
import { dropPrefix } from '../test/queue/queue-test-kit';
import { uniquePrefix } from '../test/support/db';
import { seedDialQueue } from './dial-queue-rows';
import { benchSection, fmt, median, type BenchContext, type SummaryLine } from './section';

const DIALERS = 8;
const GOAL_PER_S = 1_000;
const API_KEY = 'bench-dialer-key';
const BIN = path.resolve(__dirname, '..', 'bin', 'prospect-feeder.js');
/** Candidates 2 to 5 hours apart round the world: one is always within ~2 h of 14:30. */
const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Pacific/Honolulu',
  'Pacific/Guam',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Europe/Berlin',
  'Europe/London',
  'Atlantic/Azores',
  'America/Sao_Paulo',
];

/** One number handed out, as the run's check needs it. */
interface Handed {
  contact: string;
  phone: string;
}

interface Run {
  label: string;
  limit: number;
  claims: number;
  calls: number;
  ms: number;
  drained: boolean;
  /** Milliseconds of each claim call. */
  latency: number[];
  /** Claims handed out in each whole second of the run. */
  perSecond: number[];
  check: { ok: boolean; text: string };
}

export const claimRateBench = benchSection('claim-rate', async (ctx) => {
  const contacts = ctx.quick ? 5_000 : 50_000;
  const seconds = ctx.quick ? 2 : 10;
  const zone = zoneNearMidWindow(new Date());
  const schema = await ctx.freshSchema('claims');
  const prefix = uniquePrefix('bench-claims');
  const clients = createPool(ctx.databaseUrl, { schema: schema.name, max: DIALERS });
  // `noFlushWait`: the dialers' sessions commit without waiting for the WAL flush, to show what
  // the flush at every claim's commit costs (not a setting the service uses).
  // The HTTP runs once per queue backend: the API process's queues (and, on postgres, BullMQ's
  // pools) share the machine and, on postgres, the database with the claims.
  const modes = [
    { skillNo: 1, via: 'direct', limit: 1, noFlushWait: false },
    { skillNo: 2, via: 'direct', limit: 10, noFlushWait: false },
    { skillNo: 3, via: 'direct', limit: 1, noFlushWait: true },
    { skillNo: 4, via: 'HTTP', backend: 'redis', limit: 1, noFlushWait: false },
    { skillNo: 5, via: 'HTTP', backend: 'redis', limit: 10, noFlushWait: false },
    { skillNo: 6, via: 'HTTP', backend: 'postgres', limit: 1, noFlushWait: false },
    { skillNo: 7, via: 'HTTP', backend: 'postgres', limit: 10, noFlushWait: false },
  ] as const;
  const backends = ['redis', 'postgres'] as const;
  let api: ApiProcess | undefined;
  try {
    const seeding = performance.now();
    await seedDialQueue(schema.pool, { skillNos: modes.map((m) => m.skillNo), perSkill: contacts, zones: [zone] });
    ctx.print(
      `${DIALERS} concurrent dialers; a queue of ${fmt.int(contacts)} contacts (2 numbers, priorities 0-9) per run, in ${zone} ` +
        `(local ${localTime(zone, new Date())}); each run until drained or ${seconds} s (seeded in ${fmt.ms(performance.now() - seeding)})`,
    );
    ctx.print(
      `the machine: ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} before the runs (absolute rates follow the load)`,
    );
    ctx.print();
    const dialers = await Promise.all(Array.from({ length: DIALERS }, () => clients.connect()));
    const runs: Run[] = [];
    let sqlTrips = 0;
    try {
      sqlTrips = await perSecond(
        ctx.quick ? 0.5 : 1,
        dialers.map((c) => () => c.query('SELECT 1')),
      );
      for (const m of modes.filter((m) => m.via === 'direct')) {
        const label = `direct, Limit ${m.limit}${m.noFlushWait ? ', synchronous_commit off' : ''}`;
        if (m.noFlushWait) await Promise.all(dialers.map((c) => c.query('SET synchronous_commit = off')));
        const run = await drive(
          label,
          m.limit,
          seconds,
          dialers.map(
            (c) => async () =>
              (await claimCalls(c, m.skillNo, m.limit, new Date())).map((x) => ({ contact: x.externalId, phone: x.phoneNumber })),
          ),
        );
        if (m.noFlushWait) await Promise.all(dialers.map((c) => c.query('RESET synchronous_commit')));
        runs.push(await checked(run, schema.pool, m.skillNo));
        printRun(ctx, runs[runs.length - 1]!);
      }
    } finally {
      for (const c of dialers) c.release();
    }

    const httpTrips: Record<QueueBackendName, number> = { redis: 0, postgres: 0 };
    for (const backend of backends) {
      api = await startApi(ctx, schema.name, prefix, backend);
      const base = api.url;
      httpTrips[backend] = await perSecond(
        ctx.quick ? 0.5 : 1,
        Array.from({ length: DIALERS }, () => async () => {
          const res = await fetch(`${base}/healthz`);
          await res.arrayBuffer();
        }),
      );
      for (const m of modes.filter((m) => m.via === 'HTTP' && m.backend === backend)) {
        const claim = async (): Promise<Handed[]> => {
          const res = await fetch(`${base}/v1/skills/${m.skillNo}/dial-queue/claim`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
            body: JSON.stringify({ Limit: m.limit }),
          });
          if (res.status !== 200) throw new Error(`claim answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
          const body = (await res.json()) as { Claims: { ExternalID: string; PhoneNumber: string }[] };
          return body.Claims.map((c) => ({ contact: c.ExternalID, phone: c.PhoneNumber }));
        };
        const run = await drive(
          httpLabel(backend, m.limit),
          m.limit,
          seconds,
          Array.from({ length: DIALERS }, () => claim),
        );
        runs.push(await checked(run, schema.pool, m.skillNo));
        printRun(ctx, runs[runs.length - 1]!);
      }
      await api.stop();
      api = undefined;
    }

    const rate = (r: Run) => r.claims / (r.ms / 1000);
    const callRate = (r: Run) => r.calls / (r.ms / 1000);
    ctx.print(
      `baselines, ${DIALERS} clients: SELECT 1 ${fmt.int(sqlTrips)} round trips/s; GET /healthz ` +
        backends.map((b) => `${fmt.int(httpTrips[b])} calls/s on ${b}`).join(', '),
    );
    for (const r of runs) {
      const backend = backends.find((b) => r.label.includes(`on ${b}`));
      const floor = backend ? httpTrips[backend] : sqlTrips;
      const direct = runs.find((d) => d.label === `direct, Limit ${r.limit}`);
      ctx.print(
        `  ${r.label.padEnd(40)} ${fmt.int(callRate(r)).padStart(6)} calls/s = ${fmt.ratio(callRate(r) / floor)} of the ` +
          `${r.label.startsWith('HTTP') ? '/healthz' : 'SELECT 1'} rate` +
          (direct && direct !== r ? `; claims/s ${fmt.ratio(rate(r) / rate(direct))} of ${direct.label}` : ''),
      );
    }

    // The queue backend's cost to a dialer: the same HTTP claims with the API on postgres against redis.
    const byBackend = [1, 10].map((limit) => {
      const [onRedis, onPostgres] = backends.map((b) => runs.find((r) => r.label === httpLabel(b, limit))!);
      // Each against its own /healthz rate too: the two API processes ran at different moments of a shared machine.
      const perFloor = rate(onPostgres!) / httpTrips.postgres / (rate(onRedis!) / httpTrips.redis);
      return { limit, ratio: rate(onPostgres!) / rate(onRedis!), perFloor };
    });
    for (const b of byBackend) {
      ctx.print(
        `  HTTP, Limit ${b.limit}: claims/s on postgres = ${fmt.ratio(b.ratio)} of on redis (${fmt.ratio(b.perFloor)} measured against each one's /healthz rate)`,
      );
    }

    const summary: SummaryLine[] = runs.map((r) => ({
      metric: `claims/s, ${r.label}, ${DIALERS} dialers`,
      value: `${fmt.int(rate(r))} (p50 ${fmt.ms(median(r.latency))}/call)`,
      ...(r.label.includes('synchronous_commit') ? {} : { goal: `>= ${fmt.int(GOAL_PER_S)}/s`, met: rate(r) >= GOAL_PER_S }),
    }));
    summary.push({
      metric: 'HTTP claims/s, QUEUE_BACKEND=postgres against redis',
      value: byBackend.map((b) => `Limit ${b.limit}: ${fmt.ratio(b.ratio)} (per /healthz: ${fmt.ratio(b.perFloor)})`).join(', '),
    });
    summary.push({
      metric: 'no contact or number claimed twice',
      value: runs.map((r) => `${r.check.ok ? 'OK' : 'FAIL'} (${fmt.int(r.claims)})`).join(', '),
      goal: 'no double claim',
      met: runs.every((r) => r.check.ok),
    });
    return summary;
  } finally {
    await api?.stop();
    await clients.end();
    // The API process scopes its prefix to the schema's installation, as every role does.
    const scoped = installationPrefix(prefix, await readInstallationId(schema.pool));
    for (const b of backends) await dropPrefix(scoped, b);
    await schema.drop();
  }
});

/** Every dialer claims in a loop until a claim comes back empty or the time is up. */
async function drive(label: string, limit: number, seconds: number, dialers: (() => Promise<Handed[]>)[]): Promise<Run> {
  const handed: Handed[] = [];
  const latency: number[] = [];
  const stamps: number[] = [];
  let drained = false;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    dialers.map(async (claim) => {
      while (!drained && performance.now() < deadline) {
        const t = performance.now();
        const got = await claim();
        const done = performance.now();
        latency.push(done - t);
        if (got.length === 0) {
          drained = true;
          break;
        }
        handed.push(...got);
        for (let i = 0; i < got.length; i++) stamps.push(done - started);
      }
    }),
  );
  const ms = performance.now() - started;
  const perSecond = Array.from({ length: Math.ceil(ms / 1000) }, () => 0);
  for (const s of stamps) perSecond[Math.floor(s / 1000)]!++;
  return { label, limit, claims: handed.length, calls: latency.length, ms, drained, latency, perSecond, check: verify(handed) };
}

/** Whether the answers handed any contact or number out twice. */
function verify(handed: Handed[]): { ok: boolean; text: string } {
  const contacts = new Set(handed.map((h) => h.contact)).size;
  const phones = new Set(handed.map((h) => h.phone)).size;
  const ok = contacts === handed.length && phones === handed.length;
  return { ok, text: `${fmt.int(handed.length)} claims, ${fmt.int(contacts)} distinct contacts, ${fmt.int(phones)} distinct numbers` };
}

/** Adds the database's side of the check: one claim row per contact, each contact held. */
async function checked(run: Run, pool: pg.Pool, skillNo: number): Promise<Run> {
  const { rows } = await pool.query<{ claims: number; contacts: number; held: number }>(
    `SELECT (SELECT count(*) FROM claims WHERE skill_no = $1)::int AS claims,
            (SELECT count(DISTINCT prospect_id) FROM claims WHERE skill_no = $1)::int AS contacts,
            (SELECT count(*) FROM prospects WHERE skill_no = $1 AND claimed_until IS NOT NULL)::int AS held`,
    [skillNo],
  );
  const db = rows[0]!;
  const ok = run.check.ok && db.claims === run.claims && db.contacts === run.claims && db.held === run.claims;
  return {
    ...run,
    check: {
      ok,
      text: `${run.check.text}; table: ${fmt.int(db.claims)} claim rows, ${fmt.int(db.contacts)} contacts, ${fmt.int(db.held)} held`,
    },
  };
}

function printRun(ctx: BenchContext, r: Run): void {
  const sorted = [...r.latency].sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
  ctx.print(
    `${r.label.padEnd(40)} ${fmt.int(r.claims / (r.ms / 1000)).padStart(6)} claims/s  ${fmt.int(r.calls / (r.ms / 1000)).padStart(6)} calls/s   ` +
      `call p50 ${fmt.ms(median(r.latency))}, p99 ${fmt.ms(p99)}   ${fmt.int(r.claims)} claims in ${fmt.ms(r.ms)}${r.drained ? ' (drained)' : ''}`,
  );
  ctx.print(`  claims in each second: ${r.perSecond.map((n) => fmt.int(n)).join(' / ')}`);
  ctx.print(`  no double claim: ${r.check.ok ? 'OK' : 'FAIL'}: ${r.check.text}`);
}

/** Calls per second of `clients` each calling in a loop for `seconds`. */
async function perSecond(seconds: number, clients: (() => Promise<unknown>)[]): Promise<number> {
  let calls = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    clients.map(async (call) => {
      while (performance.now() < deadline) {
        await call();
        calls++;
      }
    }),
  );
  return calls / ((performance.now() - started) / 1000);
}

function localMinutes(zone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(
    at,
  );
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return part('hour') * 60 + part('minute');
}

function localTime(zone: string, at: Date): string {
  const m = localMinutes(zone, at);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function zoneNearMidWindow(at: Date): string {
  const mid = 14 * 60 + 30;
  return [...ZONES].sort((a, b) => Math.abs(localMinutes(a, at) - mid) - Math.abs(localMinutes(b, at) - mid))[0]!;
}

interface ApiProcess {
  url: string;
  stop(): Promise<void>;
}

function httpLabel(backend: QueueBackendName, limit: number): string {
  return `HTTP on ${backend}, Limit ${limit}`;
}

/**
 * `prospect-feeder api` on a free loopback port, over the bench schema and its own queue prefix,
 * on `backend` (on postgres without REDIS_URL in its environment: it must need none).
 */
async function startApi(ctx: BenchContext, schema: string, prefix: string, backend: QueueBackendName): Promise<ApiProcess> {
  const port = await freePort();
  const url = new URL(ctx.databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  let stderr = '';
  const child: ChildProcess = spawn(process.execPath, [BIN, 'api'], {
    env: {
      ...withoutRedis(process.env),
      DATABASE_URL: url.toString(),
      ...(backend === 'redis' ? { REDIS_URL: ctx.redisUrl } : {}),
      QUEUE_BACKEND: backend,
      QUEUE_PREFIX: prefix,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      API_KEYS: `dialer:${API_KEY}`,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (c: Buffer) => void (stderr = (stderr + c.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API process exited with ${child.exitCode}: ${stderr}`);
    const up = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { url: base, stop };
    await sleep(200);
  }
  await stop();
  throw new Error(`the API process did not answer /healthz within 60 s: ${stderr}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function withoutRedis(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { REDIS_URL: _redis, ...rest } = env;
  return rest;
}
