/**
 * Do-not-call enforcement (issue 12) at size, in one run: a suppression list of 10,000,000
 * numbers (BENCH_QUICK: 200,000) applied against no list applied, for create-prospects and for
 * claims, as ratios; and "time to honour": an entry added for the number the next claim would
 * hand out, then that next claim, which must pass over it.
 *
 * Claims with the calling rules on (issue 13): a third queue of the same shape whose skill applies
 * the list, its state rules (every contact and number in Florida: its hours and its cap of 3 in
 * 24 hours), both caps of its own, and half of whose contacts were claimed two days ago (so their
 * caps are counted by probes), against the plain queue (no list, state rules off: the claim as it
 * was before issue 12), in the same run.
 */
import { claimCalls } from '../src/db/claims';
import { inTransaction } from '../src/db/pool';
import { createProspects } from '../src/services/create-prospects';
import { putSkill } from '../src/services/skills';
import { BENCH_NOW, BENCH_SKILL, benchDeps, createProspectsInput } from './bench-skill';
import { seedDialQueue } from './dial-queue-rows';
import { benchRecords } from './prospect-records';
import { benchSection, fmt, median } from './section';

const LIST = 'bench-dnc';
const RULES_SKILL = 3;
const SCRUBBED_SKILL = BENCH_SKILL + 1;

export const doNotCallBench = benchSection('do-not-call', async (ctx) => {
  const entries = ctx.quick ? 200_000 : 10_000_000;
  const records = ctx.quick ? 5_000 : 20_000;
  const runs = ctx.quick ? 2 : 3;
  const claimSeconds = ctx.quick ? 1 : 3;
  const schema = await ctx.freshSchema('dnc');
  const pool = schema.pool;
  const deps = await benchDeps(pool);

  const seeding = performance.now();
  const { rows } = await pool.query<{ list_id: number }>('INSERT INTO suppression_lists (name) VALUES ($1) RETURNING list_id', [LIST]);
  const list = rows[0]!.list_id;
  const batch = await pool.query<{ batch_id: number }>(
    "INSERT INTO suppression_batches (list_id, source, at) VALUES ($1, 'Import', now()) RETURNING batch_id",
    [list],
  );
  // North American numbers spread over the whole 10-digit space, so the bench's records (and
  // the queue's numbers) fall among them; a stride keeps them distinct.
  await pool.query(
    `INSERT INTO suppression_numbers (number, list_id, batch_id)
     SELECT 12000000000 + g * (8000000000 / $3::bigint), $1, $2 FROM generate_series(0, $3 - 1) AS g`,
    [list, batch.rows[0]!.batch_id, entries],
  );
  await pool.query('ANALYZE suppression_numbers');
  ctx.print(`a list of ${fmt.int(entries)} numbers seeded in ${fmt.ms(performance.now() - seeding)}`);

  // create-prospects: the same records' shape into a skill without a list and one applying it, turn about.
  await putSkill(deps, SCRUBBED_SKILL, { Name: 'Scrubbed', DefaultExpirationDays: 30, Compliance: { SuppressionLists: [LIST] } });
  const loadMs: Record<'plain' | 'scrubbed', number[]> = { plain: [], scrubbed: [] };
  // One unmeasured load first (the first call of a process pays for warming up), then the two
  // modes in alternating order.
  await createProspects(deps, createProspectsInput(benchRecords(records, 5, 0)));
  let nextId = records;
  for (let r = 0; r < runs; r++) {
    for (const mode of r % 2 === 0 ? (['plain', 'scrubbed'] as const) : (['scrubbed', 'plain'] as const)) {
      const data = benchRecords(records, 7 + r, nextId);
      nextId += records;
      const input = { ...createProspectsInput(data), SkillNo: mode === 'plain' ? BENCH_SKILL : SCRUBBED_SKILL };
      const t = performance.now();
      await createProspects(deps, input);
      loadMs[mode].push(performance.now() - t);
    }
  }
  const loadRatio = median(loadMs.plain) / median(loadMs.scrubbed);
  ctx.print(
    `create-prospects of ${fmt.int(records)} records: no list ${fmt.list(loadMs.plain)} ms, list applied ${fmt.list(loadMs.scrubbed)} ms`,
  );

  // Claims: one dialer, Limit 1, on two queues of the same shape, one skill applying the list.
  const zone = 'America/New_York'; // BENCH_NOW is 10:00 there
  const queueSize = ctx.quick ? 5_000 : 20_000;
  await seedDialQueue(pool, { skillNos: [1, 2], perSkill: queueSize, zones: [zone] });
  await seedDialQueue(pool, { skillNos: [RULES_SKILL], perSkill: queueSize, zones: [zone], state: 'FL' });
  await pool.query(`UPDATE skills SET body = body || '{"Compliance": {"StateRules": false}}'::jsonb WHERE skill_no = 1`);
  await pool.query(
    `UPDATE skills SET body = body || jsonb_build_object('Compliance', jsonb_build_object('SuppressionLists', jsonb_build_array($1::text))) WHERE skill_no = 2`,
    [LIST],
  );
  await pool.query(
    `UPDATE skills SET body = body || jsonb_build_object('Compliance', jsonb_build_object('SuppressionLists', jsonb_build_array($1::text),
       'StateRules', true, 'MaxAttemptsPerNumberPer24h', 3, 'MaxAttemptsPerContactPer7Days', 7)) WHERE skill_no = $2`,
    [LIST, RULES_SKILL],
  );
  await pool.query(
    `WITH c AS (
       INSERT INTO claims (claim_id, skill_no, prospect_id, position, attempt, claimed_at, expires_at, phone_number)
       SELECT gen_random_uuid(), $1, p.prospect_id, 0, 1, $2::timestamptz - interval '2 days', $2::timestamptz - interval '2 days' + interval '15 minutes', d.phone_number
       FROM prospects p JOIN destinations d ON d.prospect_id = p.prospect_id AND d.position = 0
       WHERE p.skill_no = $1 AND p.prospect_id % 2 = 0
       RETURNING prospect_id, claimed_at)
     UPDATE prospects p SET last_claimed_at = c.claimed_at FROM c WHERE p.prospect_id = c.prospect_id`,
    [RULES_SKILL, BENCH_NOW],
  );
  await pool.query('VACUUM ANALYZE prospects, destinations, claims');
  const client = await pool.connect();
  const claimRate: Record<'plain' | 'scrubbed' | 'rules', number[]> = { plain: [], scrubbed: [], rules: [] };
  let honoured = 0;
  let honourTries = 0;
  const honourMs: number[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      const order = [
        ['plain', 1],
        ['scrubbed', 2],
        ['rules', RULES_SKILL],
      ] as const;
      for (const [mode, skillNo] of r % 2 === 0 ? order : [...order].reverse()) {
        let n = 0;
        const t = performance.now();
        while (performance.now() - t < claimSeconds * 1000) {
          n += (await claimCalls(client, skillNo, 1, BENCH_NOW)).length;
        }
        claimRate[mode].push((n * 1000) / (performance.now() - t));
      }
    }
    // Time to honour: what would the next claim hand out? (asked in a transaction rolled back, so
    // nothing is held); add an entry for it; the very next claim must pass over it.
    const tries = ctx.quick ? 10 : 50;
    for (let i = 0; i < tries; i++) {
      let upcoming: string | undefined;
      await inTransaction(pool, async (c) => {
        upcoming = (await claimCalls(c, 2, 1, BENCH_NOW))[0]?.phoneNumber;
        throw new Rollback();
      }).catch((e: unknown) => {
        if (!(e instanceof Rollback)) throw e;
      });
      if (upcoming === undefined) break;
      await pool.query(
        'INSERT INTO suppression_numbers (number, list_id, batch_id) VALUES (substr($1, 2)::bigint, $2, $3) ON CONFLICT DO NOTHING',
        [upcoming, list, batch.rows[0]!.batch_id],
      );
      const answered = performance.now(); // the add's commit has been answered
      const [next] = await claimCalls(client, 2, 1, BENCH_NOW);
      honourMs.push(performance.now() - answered);
      honourTries++;
      if (next?.phoneNumber !== upcoming) honoured++;
    }
  } finally {
    client.release();
  }
  const claimRatio = median(claimRate.scrubbed) / median(claimRate.plain);
  const rulesRatio = median(claimRate.rules) / median(claimRate.plain);
  ctx.print(
    `claims/s, one dialer, Limit 1: no list ${fmt.list(claimRate.plain)}, list applied ${fmt.list(claimRate.scrubbed)}, ` +
      `list + state rules + caps ${fmt.list(claimRate.rules)}`,
  );
  ctx.print(
    `time to honour: ${honoured}/${honourTries} next claims passed over the number just added (add answered -> next claim answered: median ${median(honourMs).toFixed(1)} ms)`,
  );

  return [
    {
      metric: `create-prospects with a ${fmt.int(entries)}-number list applied`,
      value: fmt.ratio(loadRatio),
      goal: '>= 0.9x',
      met: loadRatio >= 0.9,
    },
    {
      metric: `claims with a ${fmt.int(entries)}-number list applied`,
      value: fmt.ratio(claimRatio),
      goal: '>= 0.85x',
      met: claimRatio >= 0.85,
    },
    {
      metric: `claims with state rules, caps and a ${fmt.int(entries)}-number list on`,
      value: fmt.ratio(rulesRatio),
      goal: '>= 0.8x',
      met: rulesRatio >= 0.8,
    },
    {
      metric: 'time to honour (next claims that pass over a number just added)',
      value: `${honoured}/${honourTries}`,
      goal: 'the very next claim',
      met: honourTries > 0 && honoured === honourTries,
    },
  ];
});

class Rollback extends Error {}
