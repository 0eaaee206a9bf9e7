import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockProspectSource } from '../../src/db/prospects';
import { sweepOwed } from '../../src/services/sweep-owed';
import { count, metricSample, testApp, type TestApp } from './test-app';

type Rec = Record<string, unknown>;
type Results = { SuccessfulRecords: Rec[]; FailedRecords: Rec[] };

/** Every column of every contact and number, as stored: the state "exactly as it was". */
export async function contactState(t: TestApp): Promise<Map<string, unknown>> {
  const { rows } = await t.db.pool.query<{ external_id: string; state: unknown }>(
    `SELECT p.external_id, jsonb_build_object('prospect', to_jsonb(p),
       'destinations', (SELECT coalesce(jsonb_agg(to_jsonb(d) ORDER BY d.position), '[]') FROM destinations d WHERE d.prospect_id = p.prospect_id)) AS state
     FROM prospects p ORDER BY p.external_id`,
  );
  return new Map(rows.map((r) => [r.external_id, r.state]));
}

describe('preview a messy file, load it, undo it (contract section 10)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // 10:00 in New York: the 212 numbers are callable.
    t = await testApp();
    await t.app.inject({ method: 'PUT', url: '/v1/skills/4100', payload: { Name: 'Renewals' } });
    const mapped = await t.app.inject({
      method: 'PUT',
      url: '/v1/source-maps/crm',
      payload: {
        Mapping: {
          ExternalID: 'id',
          FirstName: 'first',
          PhoneNumber: ['phone', { Path: 'mobile', Type: 'Mobile' }],
          Priority: 'prio',
          'Custom.Plan': 'plan',
        },
      },
    });
    expect(mapped.statusCode).toBe(200);
  });
  afterAll(async () => t.close());

  const post = async (payload: unknown) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/create-prospects', payload: payload as object });
    return {
      status: res.statusCode,
      body: res.json() as { Results: Results; Summary?: Record<string, number> },
      runId: Number(res.headers['x-run-id']),
    };
  };
  const undo = (runId: number) => t.app.inject({ method: 'POST', url: `/v1/runs/${runId}/undo` });

  it('puts back every contact the run overwrote, field by field and number by number, and names the claimed one', async () => {
    const good = [
      { id: 'G1', first: 'Ann', phone: '(212) 555-0101', mobile: '(212) 555-0111', prio: 1, plan: 'gold' },
      { id: 'G2', first: 'Bob', phone: '(212) 555-0102', prio: 1, plan: 'silver' },
      { id: 'G3', first: 'Cy', phone: '(212) 555-0103', mobile: '(212) 555-0113', prio: 1 },
      { id: 'G4', first: 'Di', phone: '(212) 555-0104', prio: 1 },
    ];
    const loaded = await post({ SkillNo: 4100, SourceName: 'crm', Data: good });
    expect(loaded.body.Results.SuccessfulRecords).toHaveLength(4);
    // G1's first number is a wrong party the dialer finalized before the messy load (which keeps it
    // finalized and drops G1's mobile).
    const claim = await t.app.inject({ method: 'POST', url: '/v1/skills/4100/dial-queue/claim', payload: { Limit: 1 } });
    const claims = (claim.json() as { Claims: Array<{ ClaimId: string; ExternalID: string }> }).Claims;
    expect(claims.map((c) => c.ExternalID)).toEqual(['G1']);
    const reported = await t.app.inject({
      method: 'POST',
      url: `/v1/claims/${claims[0]!.ClaimId}/outcome`,
      payload: { Outcome: 'WrongParty' },
    });
    expect(reported.statusCode).toBe(200);
    const before = await contactState(t);

    const messy = [
      { id: 'G1', first: 'WRONG', phone: '(212) 555-0101', prio: 9, plan: 'none' },
      { id: 'G2', first: 'WRONG', phone: '(212) 555-0199', prio: 99 },
      { id: 'G3', first: 'WRONG', mobile: '(212) 555-0103', prio: 9 },
      { id: 'N1', first: 'New', phone: '(212) 555-0201' },
      { id: 'N1', first: 'Twice', phone: '(212) 555-0202' },
      { id: 'N2', phone: '12345' },
      { id: 'N3', first: 'New', phone: '(212) 555-0203', prio: 'high' },
      'not a record',
      { id: 'N4', first: 'New', phone: '(212) 555-0204' },
    ];
    const counts = {
      runs: await count(t.db, 'runs'),
      results: await count(t.db, 'run_results'),
      prospects: await count(t.db, 'prospects'),
    };
    const loadedMetric = await metricSample(t.app, 'prospect_feeder_records_total{result_code="Created"}');
    const preview = await post({ SkillNo: 4100, SourceName: 'crm', Data: messy, DryRun: true });
    expect(preview.status).toBe(200);
    expect(preview.body.Summary).toEqual({
      Updated: 3,
      Created: 2,
      DuplicateExternalId: 1,
      InvalidPhoneNumber: 1,
      InvalidFieldValue: 1,
      InvalidRecord: 1,
    });
    expect({
      runs: await count(t.db, 'runs'),
      results: await count(t.db, 'run_results'),
      prospects: await count(t.db, 'prospects'),
    }).toEqual(counts);
    expect(await contactState(t)).toEqual(before);
    expect(await metricSample(t.app, 'prospect_feeder_records_total{result_code="Created"}')).toBe(loadedMetric);

    const real = await post({ SkillNo: 4100, SourceName: 'crm', Data: messy });
    expect(real.body.Results).toEqual(preview.body.Results);
    expect((await contactState(t)).get('G1')).not.toEqual(before.get('G1'));

    // A dialer claims the (now top priority) overwritten G2 after the run.
    const after = await t.app.inject({ method: 'POST', url: '/v1/skills/4100/dial-queue/claim', payload: { Limit: 1 } });
    expect((after.json() as { Claims: Array<{ ExternalID: string }> }).Claims.map((c) => c.ExternalID)).toEqual(['G2']);
    const claimedG2 = (await contactState(t)).get('G2');

    const undone = await undo(real.runId);
    if (undone.statusCode !== 200) console.log(undone.body);
    expect(undone.statusCode).toBe(200);
    expect(undone.headers['content-type']).toMatch(/^application\/json/); // streamed, but JSON
    const answer = undone.json() as { Results: Results; Summary: Record<string, number>; RunId: number };
    expect(answer.Summary).toEqual({ Restored: 2, ChangedSince: 1, Removed: 2 });
    expect(answer.Results.SuccessfulRecords.map((r) => [r.id, r.ResultCode])).toEqual([
      ['G1', 'Restored'],
      ['G3', 'Restored'],
      ['N1', 'Removed'],
      ['N4', 'Removed'],
    ]);
    expect(answer.Results.FailedRecords.map((r) => [r.id, r.ResultCode])).toEqual([['G2', 'ChangedSince']]);

    const back = await contactState(t);
    const expected = new Map(before);
    expected.set('G2', claimedG2);
    expect(back).toEqual(expected);

    const run = (await t.app.inject({ method: 'GET', url: `/v1/runs/${real.runId}` })).json() as Rec;
    expect(run.Status).toBe('Undone');
    expect(run.Undo).toMatchObject({ By: 'open', Counts: { Restored: 2, ChangedSince: 1, Removed: 2 } });
    expect(await count(t.db, 'run_undo_images')).toBe(0);

    const again = await undo(real.runId);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'RunAlreadyUndone' } });

    // The answer stays readable: the same body, read back from what the undo kept.
    const readBack = await t.app.inject({ method: 'GET', url: `/v1/runs/${real.runId}/undo` });
    expect(readBack.statusCode).toBe(200);
    expect(readBack.json()).toEqual(answer);
    const later = await post({ SkillNo: 4100, SourceName: 'crm', Data: [{ id: 'Z9', phone: '2125550199' }] });
    const notUndone = await t.app.inject({ method: 'GET', url: `/v1/runs/${later.runId}/undo` });
    expect(notUndone.statusCode).toBe(404);
    expect(notUndone.json()).toMatchObject({ error: { code: 'RunNotUndone' } });
  });

  it('answers 404 for an unknown run', async () => {
    const res = await undo(987654);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'UnknownRun' } });
    expect((await t.app.inject({ method: 'GET', url: '/v1/runs/987654/undo' })).json()).toMatchObject({ error: { code: 'UnknownRun' } });
  });
});

/** Skill 4100 and source map `crm` (ExternalID from `id`, one number from `phone`). */
async function skillAndSourceMap(t: TestApp): Promise<void> {
  await t.app.inject({ method: 'PUT', url: '/v1/skills/4100', payload: { Name: 'Renewals' } });
  await t.app.inject({ method: 'PUT', url: '/v1/source-maps/crm', payload: { Mapping: { ExternalID: 'id', PhoneNumber: 'phone' } } });
}

/** Loads `data` into skill 4100 from `crm`; the RunId of the load. */
async function loadRun(t: TestApp, data: unknown[]): Promise<number> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/create-prospects',
    payload: { SkillNo: 4100, SourceName: 'crm', Data: data },
  });
  return Number(res.headers['x-run-id']);
}

describe('undo retention (UNDO_RETENTION_DAYS)', () => {
  let t: TestApp;
  let clock = new Date('2026-03-02T15:00:00Z');
  beforeAll(async () => {
    t = await testApp({ now: () => clock, env: { UNDO_RETENTION_DAYS: '2' } });
    await skillAndSourceMap(t);
  });
  afterAll(async () => t.close());

  const load = (data: unknown[]) => loadRun(t, data);
  const keptImages = async (runId: number) =>
    (await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM run_undo_images WHERE run_id = $1', [runId])).rows[0]!.n;

  it('answers 410 for a run older than the retention, and the sweep reclaims its undo data', async () => {
    const first = await load([{ id: 'R1', phone: '(212) 555-0101' }]);
    const old = await load([{ id: 'R1', phone: '(212) 555-0102' }]);
    const recent = await load([
      { id: 'R2', phone: '(212) 555-0103' },
      { id: 'R1', phone: '(212) 555-0104' },
    ]);
    expect(first).toBeLessThan(old);
    expect(await keptImages(old)).toBe(1);
    expect(await keptImages(recent)).toBe(1);
    await t.db.pool.query(`UPDATE runs SET started_at = now() - interval '3 days' WHERE run_id IN ($1, $2)`, [first, old]);
    clock = new Date();

    const expired = await t.app.inject({ method: 'POST', url: `/v1/runs/${old}/undo` });
    expect(expired.statusCode).toBe(410);
    expect((expired.json() as { error: { code: string; message: string } }).error).toMatchObject({ code: 'UndoExpired' });
    expect((expired.json() as { error: { message: string } }).error.message).toMatch(/2 days \(UNDO_RETENTION_DAYS\)/);

    const swept = await sweepOwed(t.deps, { queueWriteBack: async () => undefined, publish: async () => undefined } as never, {
      graceMs: 0,
      limit: 10,
      undoRetentionDays: t.deps.config.undoRetentionDays,
    });
    expect(swept.undoPurged).toBe(2);
    expect(await keptImages(old)).toBe(0);
    expect(await keptImages(recent)).toBe(1);
    const xacts = await t.db.pool.query<{ run_id: number }>('SELECT DISTINCT run_id FROM run_xacts ORDER BY 1');
    expect(xacts.rows.map((r) => r.run_id)).toEqual([recent]);
    expect((await t.app.inject({ method: 'POST', url: `/v1/runs/${old}/undo` })).statusCode).toBe(410);
    // A run inside the retention is still undone.
    expect((await t.app.inject({ method: 'POST', url: `/v1/runs/${recent}/undo` })).statusCode).toBe(200);
  });
});

describe('undo at the same time as another undo or a load', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await skillAndSourceMap(t);
  });
  afterAll(async () => t.close());

  const load = (data: unknown[]) => loadRun(t, data);

  it('lets one of two undos at once win; the other answers 409 and nothing is half undone', async () => {
    await load(Array.from({ length: 300 }, (_, i) => ({ id: `C${i}`, phone: `(212) 555-${String(1000 + i)}` })));
    const run = await load(Array.from({ length: 600 }, (_, i) => ({ id: `C${i}`, phone: `(212) 556-${String(1000 + i)}` })));
    const [a, b] = await Promise.all([
      t.app.inject({ method: 'POST', url: `/v1/runs/${run}/undo` }),
      t.app.inject({ method: 'POST', url: `/v1/runs/${run}/undo` }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const winner = (a.statusCode === 200 ? a : b).json() as { Summary: Record<string, number> };
    expect(winner.Summary).toEqual({ Restored: 300, Removed: 300 });
    const left = await t.db.pool.query<{ n: number; moved: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE d.phone_number LIKE '+1212556%')::int AS moved
       FROM prospects p JOIN destinations d USING (prospect_id)`,
    );
    expect(left.rows[0]).toEqual({ n: 300, moved: 0 });
  });

  it('answers 409 RunBusy while a load of the same skill and source is being stored', async () => {
    const run = await load([{ id: 'L1', phone: '(212) 555-0101' }]);
    const holder = await t.db.pool.connect();
    try {
      await holder.query('BEGIN');
      await lockProspectSource(holder, 4100, 'crm');
      const busy = await t.app.inject({ method: 'POST', url: `/v1/runs/${run}/undo` });
      expect(busy.statusCode).toBe(409);
      expect(busy.json()).toMatchObject({ error: { code: 'RunBusy' } });
      await holder.query('ROLLBACK');
    } finally {
      holder.release();
    }
    expect((await t.app.inject({ method: 'GET', url: `/v1/runs/${run}` })).json()).toMatchObject({ Status: 'Completed' });
    expect((await t.app.inject({ method: 'POST', url: `/v1/runs/${run}/undo` })).statusCode).toBe(200);
  });
});
