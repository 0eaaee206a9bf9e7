import fc from 'fast-check';
import pino from 'pino';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app-deps';
import { loadConfig } from '../../src/config';
import { claimCalls, claimStatement } from '../../src/db/claims';
import { inTransaction } from '../../src/db/pool';
import { deleteList } from '../../src/db/suppression-lists';
import { matchSuppressed } from '../../src/db/suppression-match';
import { entrySuppresses, type SuppressionEntry } from '../../src/domain/do-not-call';
import { ServiceMetrics } from '../../src/observability/metrics';
import { CallError } from '../../src/services/errors';
import { previewCreateProspects } from '../../src/services/preview-create-prospects';
import { createProspects, loadProspects, prepareCreateProspects } from '../../src/services/create-prospects';
import { readSkillSuppression } from '../../src/services/read-skill-suppression';
import { recordOutcome } from '../../src/services/record-outcome';
import { setSourceMap } from '../../src/services/set-source-map';
import { putSkill } from '../../src/services/skills';
import { callErrorStatus } from '../../src/web/call-error-status';
import { freshSchema, type TestDb } from '../support/db';
import { insertProspects, testPhone } from '../support/prospect-fixtures';
import { addNumbers, addPrefix, listId, makeList } from '../support/suppression-fixtures';

const NOW = new Date('2026-03-10T18:00:00Z'); // 14:00 in New York: inside the calling window
const NY = 'America/New_York';

let db: TestDb;
let deps: AppDeps;
let internal: number;
let revocations: number;

beforeAll(async () => {
  db = await freshSchema('dnc');
  deps = { config: loadConfig({}), pool: db.pool, logger: pino({ level: 'silent' }), now: () => NOW };
  internal = await makeList(db.pool, 'internal');
  revocations = await listId(db.pool, 'Revocations');
  await putSkill(deps, 1, { Name: 'Scrubbed', Compliance: { SuppressionLists: ['internal'], DoNotCallList: 'internal' } });
  await putSkill(deps, 2, { Name: 'Plain' });
  await setSourceMap(deps, 'crm', { ExternalID: 'id', PhoneNumber: ['phone', 'mobile'] });
});
afterAll(async () => db.drop());

const counts = async () =>
  (
    await db.pool.query(`SELECT (SELECT count(*) FROM runs)::int AS runs, (SELECT count(*) FROM prospects)::int AS prospects,
      (SELECT count(*) FROM destinations)::int AS destinations, (SELECT count(*) FROM run_results)::int AS results`)
  ).rows[0];

async function storedNumbers(skillNo: number, externalId: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ phone_number: string }>(
    `SELECT d.phone_number FROM destinations d JOIN prospects p USING (prospect_id)
     WHERE p.skill_no = $1 AND p.external_id = $2 ORDER BY d.position`,
    [skillNo, externalId],
  );
  return rows.map((r) => r.phone_number);
}

describe('at load', () => {
  it("drops a suppressed number, names it masked with its list, and keeps the contact's other number", async () => {
    await addNumbers(db.pool, internal, ['+12125550142']);
    const out = await createProspects(deps, {
      SkillNo: 1,
      SourceName: 'crm',
      Data: [{ id: 'L1', phone: '212-555-0142', mobile: '2125550143' }],
    });
    expect(out.counts).toEqual({ Created: 1 });
    const message = out.Results.SuccessfulRecords[0]!.ResultMessage as string;
    expect(message).toContain('dropped suppressed number(s): +1******0142 (internal)');
    expect(message).not.toContain('5550142');
    expect(await storedNumbers(1, 'L1')).toEqual(['+12125550143']);
  });

  it('fails a record whose every valid number is suppressed with DoNotCall, and stores nothing for it', async () => {
    await addNumbers(db.pool, internal, ['+12125550144', '+12125550145']);
    const before = await counts();
    const out = await createProspects(deps, {
      SkillNo: 1,
      SourceName: 'crm',
      Data: [
        { id: 'L2', phone: '2125550144', mobile: '2125550145' },
        { id: 'L3', phone: '2125550146' },
      ],
    });
    expect(out.counts).toEqual({ DoNotCall: 1, Created: 1 });
    expect(out.Results.FailedRecords).toEqual([
      expect.objectContaining({
        id: 'L2',
        ResultCode: 'DoNotCall',
        ResultMessage: 'every valid number is suppressed: +1******0144 (internal), +1******0145 (internal)',
      }),
    ]);
    expect(await storedNumbers(1, 'L2')).toEqual([]);
    const after = await counts();
    // One run, one prospect (L3) with one number, two results: one per record.
    expect(after).toEqual({
      runs: before.runs + 1,
      prospects: before.prospects + 1,
      destinations: before.destinations + 1,
      results: before.results + 2,
    });
  });

  it('answers DryRun as the load would: DoNotCall and the dropped number named, nothing written', async () => {
    await addNumbers(db.pool, internal, ['+12125550160']);
    const before = await counts();
    const call = {
      SkillNo: 1,
      SourceName: 'crm',
      Data: [
        { id: 'P1', phone: '2125550160' },
        { id: 'P2', phone: '2125550160', mobile: '2125550161' },
      ],
    };
    const preview = await previewCreateProspects(deps, call);
    expect(preview.Summary).toEqual({ DoNotCall: 1, Created: 1 });
    expect(preview.Results.FailedRecords).toEqual([expect.objectContaining({ id: 'P1', ResultCode: 'DoNotCall' })]);
    expect(preview.Results.SuccessfulRecords[0]!.ResultMessage).toContain('+1******0160 (internal)');
    expect(await counts()).toEqual(before);
    const real = await createProspects(deps, call);
    expect(real.Results).toEqual(preview.Results);
  });

  it('keeps what each load dropped as data, masked, and the dashboard reads it from there', async () => {
    await putSkill(deps, 5, { Name: 'Panel', Compliance: { SuppressionLists: ['internal'] } });
    await addNumbers(db.pool, internal, ['+12125550170', '+12125550171']);
    await addPrefix(db.pool, internal, '+1720555');
    const call = {
      SkillNo: 5,
      SourceName: 'crm',
      Data: [
        { id: 'R1', phone: '2125550170', mobile: '7205550100' },
        { id: 'R2', phone: '2125550172' },
        { id: 'R3', phone: '2125550173', mobile: '2125550171' },
      ],
    };
    const kept = async () => (await db.pool.query('SELECT count(*)::int AS n FROM run_suppressed')).rows[0].n;
    const before = await kept();
    await previewCreateProspects(deps, call);
    expect(await kept()).toBe(before);
    const out = await createProspects(deps, call);
    expect(out.counts).toEqual({ DoNotCall: 1, Created: 2 });
    // Nothing read from the messages: take them away and the panel still knows.
    await db.pool.query('UPDATE run_results SET result_message = NULL WHERE run_id = $1', [out.runId]);
    const view = await readSkillSuppression(deps, 5);
    expect(JSON.stringify(view)).not.toMatch(/5550170|5550100|5550171/);
    expect(view.Runs).toEqual([
      {
        RunId: out.runId,
        StartedAt: expect.any(String),
        Refused: 1,
        Dropped: 1,
        Numbers: 3,
        Examples: [
          { Number: '+1******0170', ListName: 'internal', ByPrefix: false },
          { Number: '+1******0100', ListName: 'internal', ByPrefix: true },
          { Number: '+1******0171', ListName: 'internal', ByPrefix: false },
        ],
      },
    ]);
  });

  it("applies a skill's lists only: the same number loads into a skill that does not name the list", async () => {
    const out = await createProspects(deps, { SkillNo: 2, SourceName: 'crm', Data: [{ id: 'L4', phone: '2125550144' }] });
    expect(out.counts).toEqual({ Created: 1 });
  });

  it('matches prefix entries, naming them as such', async () => {
    await addPrefix(db.pool, internal, '+1303555');
    const out = await createProspects(deps, {
      SkillNo: 1,
      SourceName: 'crm',
      Data: [
        { id: 'L5', phone: '3035550100' },
        { id: 'L6', phone: '3035550101', mobile: '2125550147' },
      ],
    });
    expect(out.counts).toEqual({ DoNotCall: 1, Created: 1 });
    expect(out.Results.FailedRecords[0]!.ResultMessage).toBe('every valid number is suppressed: +1******0100 (internal, by prefix)');
    expect(await storedNumbers(1, 'L6')).toEqual(['+12125550147']);
  });

  it('ignores an entry from its ExpiresAt on (exclusive): one instant before it still suppresses', async () => {
    await addNumbers(db.pool, internal, ['+12125550148'], NOW);
    await addNumbers(db.pool, internal, ['+12125550149'], new Date(NOW.getTime() + 1));
    const out = await createProspects(deps, {
      SkillNo: 1,
      SourceName: 'crm',
      Data: [
        { id: 'L7', phone: '2125550148' },
        { id: 'L8', phone: '2125550149' },
      ],
    });
    expect(out.Results.SuccessfulRecords.map((r) => r.id)).toEqual(['L7']);
    expect(out.Results.FailedRecords.map((r) => [r.id, r.ResultCode])).toEqual([['L8', 'DoNotCall']]);
  });

  it('applies Revocations to every skill, including one that names no list', async () => {
    await addNumbers(db.pool, revocations, ['+12125550150']);
    const out = await createProspects(deps, { SkillNo: 2, SourceName: 'crm', Data: [{ id: 'L9', phone: '2125550150' }] });
    expect(out.Results.FailedRecords[0]).toMatchObject({
      ResultCode: 'DoNotCall',
      ResultMessage: expect.stringContaining('(Revocations)'),
    });
  });

  it('counts numbers refused at load by list, never by number', async () => {
    const metrics = new ServiceMetrics({ defaultMetrics: false });
    metrics.observeSuppressedAtLoad(
      new Map([
        ['internal', 2],
        ['+12125550100', 1],
        ['x2125550100', 1],
      ]),
    );
    const text = await metrics.registry.metrics();
    expect(text).toContain('prospect_feeder_suppressed_at_load_total{list="internal"} 2');
    expect(text).toContain('prospect_feeder_suppressed_at_load_total{list="other"} 2');
    expect(text).not.toMatch(/5550100/);
  });

  it('screens each chunk with one matching statement, never one per record', async () => {
    const statements: string[] = [];
    const counted = countingPool(db.pool, statements);
    // 3,500 records: chunks of 500, 1,000 and 2,000.
    const data = Array.from({ length: 3_500 }, (_, i) => ({ id: `S${i}`, phone: testPhone(2_000 + i, '312').slice(2) }));
    await addNumbers(db.pool, internal, [testPhone(2_000, '312'), testPhone(5_499, '312')]);
    const out = await createProspects({ ...deps, pool: counted }, { SkillNo: 1, SourceName: 'crm', Data: data });
    expect(out.counts).toEqual({ Created: 3_498, DoNotCall: 2 });
    expect(statements.filter((s) => s.includes('suppression_numbers')).length).toBe(3);
    // What was dropped is kept by one statement per chunk that dropped any: the first and the last.
    expect(statements.filter((s) => s.includes('INSERT INTO run_suppressed')).length).toBe(2);
  });
});

describe('a list that is not there', () => {
  it('refuses every load into a skill naming a list that does not exist (409), writing nothing', async () => {
    await putSkill(deps, 3, { Name: 'Misnamed', Compliance: { SuppressionLists: ['nope'] } });
    const before = await counts();
    const err = await createProspects(deps, { SkillNo: 3, SourceName: 'crm', Data: [{ id: 'M1', phone: '2125550151' }] }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CallError);
    expect(err).toMatchObject({ code: 'UnknownSuppressionList', message: expect.stringContaining('"nope"') });
    expect(callErrorStatus(err as CallError)).toBe(409);
    expect(await counts()).toEqual(before);
  });

  it('holds a list a load applies until the load commits: a deletion waits, the load is screened whole', async () => {
    const temp = await makeList(db.pool, 'temp');
    await db.pool.query('UPDATE suppression_lists SET all_skills = true WHERE list_id = $1', [temp]);
    await addNumbers(db.pool, temp, ['+12125550152']);
    await putSkill(deps, 4, { Name: 'Temp' });
    const prepared = await prepareCreateProspects(db.pool, deps, {
      SkillNo: 4,
      SourceName: 'crm',
      Data: [{ id: 'D1', phone: '2125550152' }],
    });
    const deleter = await db.pool.connect();
    try {
      await inTransaction(db.pool, async (client) => {
        const out = await loadProspects(client, prepared, { origin: 'Api' });
        expect(out.counts).toEqual({ DoNotCall: 1 });
        // The list's deletion (FOR UPDATE of its row, then the UPDATE) waits for the load's transaction.
        await deleter.query("SET lock_timeout = '300ms'");
        await expect(deleteList(deleter, temp, NOW)).rejects.toThrow(/lock timeout/);
      });
      await deleter.query('RESET lock_timeout');
      expect((await deleteList(deleter, temp, NOW)).deleted?.name).toBe('temp');
    } finally {
      deleter.release();
    }
    // Once deleted, the list no longer applies: the next load stores the number.
    expect((await inTransaction(db.pool, (client) => loadProspects(client, prepared, { origin: 'Api' }))).counts).toEqual({
      Created: 1,
    });
  });

  it('does not delete a list a skill still names (its numbers would become callable at claim)', async () => {
    const named = await makeList(db.pool, 'named');
    await putSkill(deps, 6, { Name: 'Named', Compliance: { SuppressionLists: ['named'] } });
    const client = await db.pool.connect();
    try {
      expect(await deleteList(client, named, NOW)).toEqual({ deleted: null, namedBy: [6] });
    } finally {
      client.release();
    }
    expect((await db.pool.query('SELECT deleted_at FROM suppression_lists WHERE list_id = $1', [named])).rows[0].deleted_at).toBeNull();
  });

  it('lets entries be added to a list while a load applying it is open (no wait for its commit)', async () => {
    const busy = await makeList(db.pool, 'busy');
    await putSkill(deps, 5, { Name: 'Busy', Compliance: { SuppressionLists: ['busy'] } });
    const prepared = await prepareCreateProspects(db.pool, deps, {
      SkillNo: 5,
      SourceName: 'crm',
      Data: [{ id: 'B1', phone: '2125550153' }],
    });
    const adder = await db.pool.connect();
    try {
      await inTransaction(db.pool, async (client) => {
        expect((await loadProspects(client, prepared, { origin: 'Api' })).counts).toEqual({ Created: 1 });
        // Before: loads took the list FOR SHARE, and the add's entry-count trigger (an UPDATE of the
        // list row) waited for the load to commit.
        await adder.query("SET lock_timeout = '2s'");
        await addNumbers(adder, busy, ['+12125550154']);
      });
    } finally {
      adder.release();
    }
    const { rows } = await db.pool.query('SELECT entry_count::int FROM suppression_lists WHERE list_id = $1', [busy]);
    expect(rows[0].entry_count).toBe(1);
  });
});

describe('at claim', () => {
  let nextSkill = 10;
  async function skillWithContact(numbers: string[], compliance?: unknown): Promise<number> {
    const skillNo = nextSkill++;
    await putSkill(deps, skillNo, { Name: `C${skillNo}`, ...(compliance ? { Compliance: compliance } : {}) });
    await insertProspects(db.pool, skillNo, [{ externalId: 'X', timeZone: NY, destinations: numbers.map((phone) => ({ phone })) }]);
    return skillNo;
  }

  it("never hands out a number added after it was loaded; the contact's other number still is", async () => {
    const skillNo = await skillWithContact(['+12125550160', '+12125550161'], { SuppressionLists: ['internal'] });
    await addNumbers(db.pool, internal, ['+12125550160']);
    const [claim] = await claimCalls(db.pool, skillNo, 1, NOW);
    expect(claim).toMatchObject({ phoneNumber: '+12125550161', position: 1, suppressedSkipped: 1 });
  });

  it('walks past a contact whose every number is suppressed (number, prefix, revocation)', async () => {
    const skillNo = await skillWithContact(['+12125550162', '+14155550100', '+12125550163'], { SuppressionLists: ['internal'] });
    await addNumbers(db.pool, internal, ['+12125550162']);
    await addPrefix(db.pool, internal, '+1415');
    await addNumbers(db.pool, revocations, ['+12125550163']);
    expect(await claimCalls(db.pool, skillNo, 1, NOW)).toEqual([]);
  });

  it('hands a number out again once its entry expired (at exactly ExpiresAt)', async () => {
    const skillNo = await skillWithContact(['+12125550164'], { SuppressionLists: ['internal'] });
    await addNumbers(db.pool, internal, ['+12125550164'], new Date(NOW.getTime() + 60_000));
    expect(await claimCalls(db.pool, skillNo, 1, new Date(NOW.getTime() + 59_999))).toEqual([]);
    expect(await claimCalls(db.pool, skillNo, 1, new Date(NOW.getTime() + 60_000))).toHaveLength(1);
  });

  it("applies Revocations to a skill naming no list; ignores a deleted list's leftover entries", async () => {
    const revoked = await skillWithContact(['+12125550165']);
    await addNumbers(db.pool, revocations, ['+12125550165']);
    expect(await claimCalls(db.pool, revoked, 1, NOW)).toEqual([]);

    const gone = await makeList(db.pool, 'gone');
    const skillNo = await skillWithContact(['+12125550166'], { SuppressionLists: ['gone'] });
    await addNumbers(db.pool, gone, ['+12125550166']);
    expect(await claimCalls(db.pool, skillNo, 1, NOW)).toEqual([]);
    await db.pool.query('UPDATE suppression_lists SET deleted_at = now() WHERE list_id = $1', [gone]);
    expect(await claimCalls(db.pool, skillNo, 1, NOW)).toHaveLength(1);
  });

  it('a DoNotCall outcome adds the number to the DoNotCallList, with the claim and role in its batch', async () => {
    const dncList = await makeList(db.pool, 'dnc-outcomes');
    const skillNo = await skillWithContact(['+12125550167', '+12125550168'], { DoNotCallList: 'dnc-outcomes' });
    const other = await skillWithContact(['+12125550167'], { SuppressionLists: ['dnc-outcomes'] });
    const [claim] = await claimCalls(db.pool, skillNo, 1, NOW);
    expect(claim!.phoneNumber).toBe('+12125550167');
    await recordOutcome({ pool: db.pool, now: () => NOW }, claim!.claimId, { Outcome: 'DoNotCall' }, 'dialer');
    const { rows } = await db.pool.query(
      `SELECT n.number::text, n.expires_at, b.source, b.role, b.claim_id FROM suppression_numbers n JOIN suppression_batches b USING (batch_id)
       WHERE n.list_id = $1`,
      [dncList],
    );
    expect(rows).toEqual([{ number: '12125550167', expires_at: null, source: 'Outcome', role: 'dialer', claim_id: claim!.claimId }]);
    // Every skill applying the list stops calling it at once.
    expect(await claimCalls(db.pool, other, 1, NOW)).toEqual([]);
  });

  it('takes DoNotCall outcomes reported at once into one list, none lost to a deadlock', async () => {
    // Holding the list FOR SHARE, two outcomes each waited for the other's share to run the
    // entry-count trigger's UPDATE of the list row: Postgres killed one as a deadlock.
    const list = await makeList(db.pool, 'dnc-at-once');
    const numbers = Array.from({ length: 8 }, (_, i) => testPhone(7_000 + i, '646'));
    const skillNo = nextSkill++;
    await putSkill(deps, skillNo, { Name: `C${skillNo}`, Compliance: { DoNotCallList: 'dnc-at-once' } });
    await insertProspects(
      db.pool,
      skillNo,
      numbers.map((phone, i) => ({ externalId: `A${i}`, timeZone: NY, destinations: [{ phone }] })),
    );
    const claims = await claimCalls(db.pool, skillNo, numbers.length, NOW);
    expect(claims).toHaveLength(numbers.length);
    const answers = await Promise.allSettled(
      claims.map((c) => recordOutcome({ pool: db.pool, now: () => NOW }, c.claimId, { Outcome: 'DoNotCall' }, 'dialer')),
    );
    expect(answers.filter((a) => a.status === 'rejected')).toEqual([]);
    const { rows } = await db.pool.query('SELECT entry_count::int FROM suppression_lists WHERE list_id = $1', [list]);
    expect(rows[0].entry_count).toBe(numbers.length);
  });

  it('a second DoNotCall add of the same number keeps the add it replaces in the history', async () => {
    const list = await makeList(db.pool, 'dnc-twice');
    await addNumbers(db.pool, list, ['+12125550169'], new Date(NOW.getTime() + 3_600_000));
    const skillNo = await skillWithContact(['+12125550169'], { DoNotCallList: 'dnc-twice' });
    // Expired by the time of the claim, so the number is handed out and reported DoNotCall again.
    const later = new Date(NOW.getTime() + 7_200_000);
    const [claim] = await claimCalls(db.pool, skillNo, 1, later);
    await recordOutcome({ pool: db.pool, now: () => later }, claim!.claimId, { Outcome: 'DoNotCall' });
    const { rows } = await db.pool.query('SELECT action, expires_at FROM suppression_history WHERE list_id = $1', [list]);
    expect(rows).toEqual([{ action: 'Added', expires_at: new Date(NOW.getTime() + 3_600_000) }]);
    const current = await db.pool.query('SELECT expires_at FROM suppression_numbers WHERE list_id = $1', [list]);
    expect(current.rows).toEqual([{ expires_at: null }]);
  });

  it("the claim's anti-join is index probes only, even against a large list", async () => {
    const big = await makeList(db.pool, 'big');
    const b = await db.pool.query<{ batch_id: number }>(
      "INSERT INTO suppression_batches (list_id, source, at) VALUES ($1, 'Import', now()) RETURNING batch_id",
      [big],
    );
    await db.pool.query(
      'INSERT INTO suppression_numbers (number, list_id, batch_id) SELECT 13125550000 + g, $1, $2 FROM generate_series(1, 50000) g',
      [big, b.rows[0]!.batch_id],
    );
    // Prefixes at size too (on a table of a few rows a scan is the planner's right answer).
    await db.pool.query(
      'INSERT INTO suppression_prefixes (prefix, list_id, batch_id) SELECT (1646000 + g)::text, $1, $2 FROM generate_series(1, 20000) g',
      [big, b.rows[0]!.batch_id],
    );
    await db.pool.query('ANALYZE suppression_numbers; ANALYZE suppression_prefixes');
    const skillNo = await skillWithContact(['+12125550170'], { SuppressionLists: ['big'] });
    const client = await db.pool.connect();
    try {
      await claimCalls(client, skillNo, 1, NOW); // prepares 'claim-calls' on this connection
      // The prepared statement's own plan, with every parameter of the claim (calling rules included).
      const st = claimStatement(skillNo, 1, NOW, 'Autodial');
      // EXECUTE takes no bind parameters: each value goes in as a literal of its text form.
      const text = (v: unknown): string =>
        v instanceof Date ? v.toISOString() : Array.isArray(v) ? `{${v.map((e) => `"${String(e)}"`).join(',')}}` : String(v);
      const args = st.values.map((v) => client.escapeLiteral(text(v))).join(', ');
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE "claim-calls"(${args})`);
      const plan = JSON.stringify(rows[0]['QUERY PLAN']);
      for (const table of ['suppression_numbers', 'suppression_prefixes']) {
        const nodes = [...plan.matchAll(new RegExp(`"Node Type":"([^"]+)"[^{}]*?"Relation Name":"${table}"`, 'g'))].map((m) => m[1]);
        expect(nodes.length, plan).toBeGreaterThan(0);
        expect(
          nodes.every((n) => n === 'Index Scan' || n === 'Index Only Scan'),
          `${table}: ${nodes.join(', ')}`,
        ).toBe(true);
      }
    } finally {
      client.release();
    }
  });
});

describe('the set-based matcher', () => {
  it('answers as the naive model does (number equality, startsWith over prefixes, ExpiresAt exclusive)', async () => {
    const lists = ['pa', 'pb', 'pc'];
    const ids = new Map<string, number>();
    for (const name of lists) ids.set(name, await makeList(db.pool, name));
    // Numbers of few distinct digits, so prefixes and numbers collide often.
    const digits = fc.array(fc.constantFrom('1', '2'), { minLength: 10, maxLength: 10 }).map((d) => `1${d.join('')}`);
    const expiry = fc.constantFrom<null | number>(null, -1, 0, 1);
    const entry = fc.record({
      listName: fc.constantFrom(...lists),
      kind: fc.constantFrom<'Number' | 'Prefix'>('Number', 'Prefix'),
      digits,
      cut: fc.integer({ min: 1, max: 11 }),
      expiry,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { maxLength: 25 }),
        fc.array(digits, { minLength: 1, maxLength: 20 }),
        fc.subarray(lists),
        async (raw, numbers, applied) => {
          await db.pool.query('DELETE FROM suppression_numbers WHERE list_id = ANY($1)', [[...ids.values()]]);
          await db.pool.query('DELETE FROM suppression_prefixes WHERE list_id = ANY($1)', [[...ids.values()]]);
          const entries: SuppressionEntry[] = [];
          const seen = new Set<string>();
          for (const e of raw) {
            const d = e.kind === 'Number' ? e.digits : e.digits.slice(0, e.cut);
            const key = `${e.listName}/${e.kind}/${d}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const expiresAt = e.expiry === null ? null : new Date(NOW.getTime() + e.expiry);
            entries.push({ listName: e.listName, kind: e.kind, digits: d, expiresAt });
            const list = ids.get(e.listName)!;
            if (e.kind === 'Number') await addNumbers(db.pool, list, [`+${d}`], expiresAt);
            else await addPrefix(db.pool, list, d, expiresAt);
          }
          const e164s = numbers.map((n) => `+${n}`);
          const found = await matchSuppressed(
            db.pool,
            e164s,
            applied.map((n) => ids.get(n)!),
            NOW,
          );
          const got = new Set(found.map((m) => `${m.phoneNumber} ${m.listName} ${m.kind}`));
          const want = new Set<string>();
          for (const n of e164s) {
            for (const e of entries) {
              if (applied.includes(e.listName) && entrySuppresses(e, n, NOW)) want.add(`${n} ${e.listName} ${e.kind}`);
            }
          }
          // The matcher answers a number once per entry; two prefix entries of one list answer twice.
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** A pool whose clients record the text of every statement they run. */
function countingPool(pool: pg.Pool, statements: string[]): pg.Pool {
  const wrapClient = (client: pg.PoolClient): pg.PoolClient => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop === 'query') {
          return (...args: unknown[]) => {
            const first = args[0];
            statements.push(typeof first === 'string' ? first : String((first as { text?: string }).text ?? ''));
            return query(...args);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
  };
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'connect') return async () => wrapClient(await target.connect());
      if (prop === 'query') {
        return (...args: unknown[]) => {
          const first = args[0];
          statements.push(typeof first === 'string' ? first : String((first as { text?: string }).text ?? ''));
          return (target.query as (...a: unknown[]) => unknown)(...args);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}
