import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app-deps';
import { loadConfig } from '../../src/config';
import { claimProspects } from '../../src/services/claim-prospects';
import { createProspects } from '../../src/services/create-prospects';
import { previewCreateProspects } from '../../src/services/preview-create-prospects';
import { setSourceMap } from '../../src/services/set-source-map';
import { putSkill } from '../../src/services/skills';
import { undoAnswerJson, undoRun } from '../../src/services/undo-run';
import { freshSchema, type TestDb } from '../support/db';

/** Every column of every contact and its numbers, by ExternalID. */
async function contactState(db: TestDb): Promise<Map<string, unknown>> {
  const { rows } = await db.pool.query<{ external_id: string; state: unknown }>(
    `SELECT p.external_id, jsonb_build_object('prospect', to_jsonb(p),
       'destinations', (SELECT coalesce(jsonb_agg(to_jsonb(d) ORDER BY d.position), '[]') FROM destinations d WHERE d.prospect_id = p.prospect_id)) AS state
     FROM prospects p`,
  );
  return new Map(rows.map((r) => [r.external_id, r.state]));
}

async function rowCounts(db: TestDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'runs',
    'run_results',
    'prospects',
    'destinations',
    'run_undo_images',
    'run_undo_numbers',
    'run_xacts',
    'time_zones',
  ]) {
    out[table] = (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  }
  return out;
}

// A small pool of ExternalIDs and numbers, so loads meet known contacts, duplicates and bad rows.
const record = fc.record(
  {
    id: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', ''),
    first: fc.option(fc.constantFrom('Ann', 'Bob', 'Cy'), { nil: undefined }),
    phone: fc.constantFrom('(212) 555-0101', '(212) 555-0102', '(310) 555-0103', '12345', '+442079460000'),
    mobile: fc.option(fc.constantFrom('(212) 555-0111', '(212) 555-0112'), { nil: undefined }),
    prio: fc.option(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constant('high')), { nil: undefined }),
    plan: fc.option(fc.constantFrom('gold', 'silver'), { nil: undefined }),
  },
  { requiredKeys: ['id', 'phone'] },
);
const batch = fc.array(fc.oneof({ weight: 9, arbitrary: record }, { weight: 1, arbitrary: fc.constant('x' as unknown) }), {
  maxLength: 12,
});
type Op = { kind: 'load'; data: unknown[] } | { kind: 'claim'; limit: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: batch.map((data) => ({ kind: 'load' as const, data })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }).map((limit) => ({ kind: 'claim' as const, limit })) },
);

describe('DryRun and undo, for random loads and claims', () => {
  let db: TestDb;
  let deps: AppDeps;
  beforeAll(async () => {
    db = await freshSchema('undo_prop');
    // 10:00 in New York, 07:00 in Los Angeles (outside the window: those numbers are not claimed).
    deps = {
      config: loadConfig({}),
      pool: db.pool,
      logger: pino({ level: 'silent' }),
      now: () => new Date('2026-03-02T15:00:00Z'),
    };
    await putSkill(deps, 4100, { Name: 'Renewals' });
    await setSourceMap(deps, 'crm', {
      ExternalID: 'id',
      FirstName: 'first',
      PhoneNumber: ['phone', { Path: 'mobile', Type: 'Mobile' }],
      Priority: 'prio',
      'Custom.Plan': 'plan',
    });
  });
  afterAll(async () => db.drop());

  const reset = () =>
    db.pool.query(
      'TRUNCATE prospects, destinations, claims, runs, run_publications, run_results, run_suppressed, run_undo_images, run_undo_numbers, run_xacts',
    );
  const call = (data: unknown[]) => ({ SkillNo: 4100, SourceName: 'crm', Data: data });

  it('DryRun answers what the real call answers, and writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { maxLength: 3 }), batch, async (earlier, data) => {
        await reset();
        for (const b of earlier) await createProspects(deps, call(b));
        const counts = await rowCounts(db);
        const state = await contactState(db);
        const preview = await previewCreateProspects(deps, call(data));
        expect(await rowCounts(db)).toEqual(counts);
        expect(await contactState(db)).toEqual(state);
        const real = await createProspects(deps, call(data));
        expect(preview.Results).toEqual(real.Results);
        expect(preview.Summary).toEqual(real.counts);
      }),
      { numRuns: 30 },
    );
  });

  it('undoing a run leaves every contact it alone touched as if it had never run, and the others as they are', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 5 }), batch, fc.array(op, { maxLength: 5 }), async (before, target, after) => {
        await reset();
        const apply = async (o: Op, touched: Set<string>) => {
          if (o.kind === 'claim') {
            for (const c of (await claimProspects(deps, 4100, { Limit: o.limit })).Claims) touched.add(c.ExternalID);
            return;
          }
          const out = await createProspects(deps, call(o.data));
          for (const r of out.Results.SuccessfulRecords) touched.add(String(r.id));
        };
        const ignored = new Set<string>();
        for (const o of before) await apply(o, ignored);
        const asIfNever = await contactState(db);
        const run = await createProspects(deps, call(target));
        const byRun = new Set(run.Results.SuccessfulRecords.map((r) => String(r.id)));
        const later = new Set<string>();
        for (const o of after) await apply(o, later);
        const beforeUndo = await contactState(db);

        const outcome = await undoRun(deps, run.runId, 'operator');
        // The answer as the API streams it, read back from what the undo kept, in pages of 2.
        let text = '';
        for await (const part of undoAnswerJson(deps, outcome, 2)) text += part;
        const body = JSON.parse(text) as { Results: Record<string, { id: unknown; ResultCode: string }[]> };
        const records = [...body.Results.SuccessfulRecords!, ...body.Results.FailedRecords!];
        expect(records.map((r) => String(r.id)).sort()).toEqual([...byRun].sort()); // each once
        const answered = new Map(records.map((r) => [String(r.id), r.ResultCode]));
        const now = await contactState(db);
        expect([...answered.keys()].sort()).toEqual([...byRun].sort());
        for (const id of byRun) {
          if (later.has(id)) {
            expect(answered.get(id)).toBe('ChangedSince');
            expect(now.get(id)).toEqual(beforeUndo.get(id));
          } else {
            expect(answered.get(id)).toBe(asIfNever.has(id) ? 'Restored' : 'Removed');
            expect(now.get(id)).toEqual(asIfNever.get(id));
          }
        }
        // Contacts the run did not touch are not touched by its undo.
        for (const [id, state] of beforeUndo) if (!byRun.has(id)) expect(now.get(id)).toEqual(state);
        expect(Object.values(outcome.counts).reduce((a, b) => a + b, 0)).toBe(byRun.size);
        await expect(undoRun(deps, run.runId, 'operator')).rejects.toMatchObject({ code: 'RunAlreadyUndone' });
      }),
      { numRuns: 30 },
    );
  });
});
