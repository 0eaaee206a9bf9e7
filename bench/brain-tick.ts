/**
 * How long one brain tick takes for 1,000 refill-enabled skills (target: under 50 ms).
 * `npx tsx bench/brain-tick.ts [skills] [prospectsPerSkill] [--jit=off]` against DATABASE_URL / REDIS_URL;
 * works in a schema and a key prefix of its own and drops both afterwards.
 *
 * Timed: the first tick after a start (every skill due: the worst case, once), a tick with none
 * due, and the steady state, one tick a second of a moving clock, where first checks were
 * staggered so that about skills / CheckIntervalSeconds come due per tick. Fetches go to a stub
 * queue, so the numbers are the brain's own work: two statements and two Redis round trips.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../src/db/migrate';
import { createPool } from '../src/db/pool';
import { brainTick } from '../src/queue/brain';
import { redisKeys } from '../src/queue/queue-settings';
import { closeRedis, createRedis } from '../src/queue/redis-client';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SKILLS = Number(process.argv[2] ?? 1000);
const PER_SKILL = Number(process.argv[3] ?? 50);
/** `--jit=off`: Postgres' JIT compiles this statement for ~600 ms when its cost estimate is high. */
const JIT_OFF = process.argv.includes('--jit=off');
/** 18:00 UTC: 13:00 in New York, 08:00 in Honolulu: every zone open, so every prospect is examined. */
const AT = new Date('2026-03-02T18:00:00Z');
const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu', 'America/Puerto_Rico'];

async function main(): Promise<void> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const prefix = `pf-bench-${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = JIT_OFF
    ? new pg.Pool({ connectionString: DATABASE_URL, max: 4, options: `-c search_path=${schema} -c jit=off` })
    : createPool(DATABASE_URL, { schema, max: 4 });
  const redis = createRedis(REDIS_URL);
  try {
    await migrate(pool);
    await pool.query(
      `INSERT INTO skills (skill_no, name, body, refill_enabled)
       SELECT n, 'bench ' || n, jsonb_build_object('Name', 'bench ' || n, 'Refill', jsonb_build_object(
         'Enabled', true, 'SourceName', 'crm', 'LowWaterMark', 50, 'TargetDepth', 200, 'MaxInventory', 100000,
         'CheckIntervalSeconds', 5, 'Connector', jsonb_build_object('Type', 'demo'))), true
       FROM generate_series(1, $1) AS n`,
      [SKILLS],
    );
    await pool.query(`INSERT INTO time_zones (name) SELECT unnest($1::text[])`, [ZONES]);
    await pool.query(
      `WITH p AS (
         INSERT INTO prospects (skill_no, source_name, external_id, time_zone, time_zone_source)
         SELECT s, 'crm', s || '-' || i, ($2::text[])[1 + (i % $3)], 'Zip'
         FROM generate_series(1, $1) AS s, generate_series(1, $4) AS i
         RETURNING prospect_id, time_zone)
       INSERT INTO destinations (prospect_id, position, phone_number, type, time_zone)
       SELECT prospect_id, 0, '+1212555' || lpad((prospect_id % 10000)::text, 4, '0'), 'Unknown', time_zone FROM p`,
      [SKILLS, ZONES, ZONES.length, PER_SKILL],
    );
    await pool.query('ANALYZE skills, prospects, destinations, time_zones');
    let enqueued = 0;
    let clock = AT.getTime();
    const ctx = {
      deps: { pool, now: () => new Date(clock) },
      redis,
      prefix,
      refill: { enqueue: async () => ({ JobId: `j${enqueued++}`, Deduplicated: false }) },
    };
    const allDue: number[] = [];
    const noneDue: number[] = [];
    for (let round = 0; round < 7; round++) {
      await redis.del(redisKeys(prefix).lastCheck);
      clock = AT.getTime();
      const first = await brainTick(ctx);
      const second = await brainTick(ctx);
      if (round >= 2) {
        allDue.push(first.ms);
        noneDue.push(second.ms);
      }
    }
    const steady: number[] = [];
    const checkedPerTick: number[] = [];
    for (let s = 1; s <= 20; s++) {
      clock = AT.getTime() + s * 1000;
      const tick = await brainTick(ctx);
      steady.push(tick.ms);
      checkedPerTick.push(tick.checked);
    }
    const stat = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return `median ${s[Math.floor(s.length / 2)]!.toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms`;
    };
    console.log(`${SKILLS} skills x ${PER_SKILL} prospects (${SKILLS * PER_SKILL} prospects)${JIT_OFF ? ', jit off' : ''}`);
    console.log(`  tick, every skill due: ${stat(allDue)}`);
    console.log(`  tick, no skill due:    ${stat(noneDue)}`);
    console.log(`  steady, 1 tick/s:      ${stat(steady)} (skills checked per tick: ${Math.min(...checkedPerTick)}..${Math.max(...checkedPerTick)})`);
  } finally {
    await redis.del(redisKeys(prefix).lastCheck);
    await closeRedis(redis);
    await pool.end();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

void main();
