import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callErrorStatus } from '../../src/web/call-error-status';
import type { AppDeps } from '../../src/app-deps';
import { loadConfig } from '../../src/config';
import { inTransaction } from '../../src/db/pool';
import { CallError } from '../../src/services/errors';
import { createProspects, loadProspects, prepareCreateProspects } from '../../src/services/create-prospects';
import { setSourceMap } from '../../src/services/set-source-map';
import { putSkill } from '../../src/services/skills';
import { MAX_JSON_DEPTH } from '../../src/domain/json-depth';
import { freshSchema, type TestDb } from '../support/db';
import { nestedText } from '../support/json-text';

describe('create-prospects use case', () => {
  let db: TestDb;
  let deps: AppDeps;
  beforeAll(async () => {
    db = await freshSchema('svc');
    deps = { config: loadConfig({}), pool: db.pool, logger: pino({ level: 'silent' }), now: () => new Date('2026-03-02T15:00:00Z') };
    await putSkill(deps, 1, { Name: 'One' });
    await setSourceMap(deps, 'crm', { ExternalID: 'id', PhoneNumber: 'phone', Zip: 'zip' });
  });
  afterAll(async () => db.drop());

  const counts = async () =>
    (
      await db.pool.query(`SELECT (SELECT count(*) FROM runs)::int AS runs, (SELECT count(*) FROM prospects)::int AS prospects,
      (SELECT count(*) FROM run_results)::int AS results`)
    ).rows[0];

  it("loads inside the caller's transaction: a rollback there leaves nothing behind", async () => {
    const prepared = await prepareCreateProspects(db.pool, deps, {
      SkillNo: 1,
      SourceName: 'crm',
      Data: [{ id: 'T1', phone: '2125550100', zip: '10001' }],
    });
    const before = await counts();
    await expect(
      inTransaction(db.pool, async (client) => {
        const outcome = await loadProspects(client, prepared, { origin: 'Refill', jobId: 'job-1', cursorBefore: 'a', cursorAfter: 'b' });
        expect(outcome.counts).toEqual({ Created: 1 });
        const run = await client.query('SELECT origin, job_id, cursor_before, cursor_after FROM runs WHERE run_id = $1', [outcome.runId]);
        expect(run.rows[0]).toEqual({ origin: 'Refill', job_id: 'job-1', cursor_before: 'a', cursor_after: 'b' });
        throw new Error('the cursor could not be stored');
      }),
    ).rejects.toThrow('the cursor could not be stored');
    expect(await counts()).toEqual(before);
  });

  it('refuses a call with a CallError whose code the API answers 404, before writing', async () => {
    const before = await counts();
    const err = await createProspects(deps, { SkillNo: 2, SourceName: 'crm', Data: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallError);
    expect(err).toMatchObject({ code: 'UnknownSkill' });
    expect(callErrorStatus(err as CallError)).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it('lets concurrent calls over the same contacts finish without deadlock or duplicates', async () => {
    const ids = Array.from({ length: 3000 }, (_, i) => `C${i}`);
    const batch = (order: string[]) => ({
      SkillNo: 1,
      SourceName: 'crm',
      Data: order.map((id) => ({ id, phone: '2125550101', zip: '10001' })),
    });
    const outcomes = await Promise.all([
      createProspects(deps, batch(ids)),
      createProspects(deps, batch([...ids].reverse())),
      createProspects(deps, batch(ids.filter((_, i) => i % 2 === 0))),
      createProspects(deps, batch(ids.filter((_, i) => i % 2 === 1).reverse())),
    ]);
    const created = outcomes.reduce((n, o) => n + (o.counts.Created ?? 0), 0);
    const updated = outcomes.reduce((n, o) => n + (o.counts.Updated ?? 0), 0);
    expect(created).toBe(3000);
    expect(updated).toBe(3000 + 1500 + 1500);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM prospects WHERE external_id LIKE 'C%'`);
    expect(rows[0].n).toBe(3000);
    const dests = await db.pool.query(
      `SELECT count(*)::int AS n FROM destinations d JOIN prospects p USING (prospect_id) WHERE p.external_id LIKE 'C%'`,
    );
    expect(dests.rows[0].n).toBe(3000);
  });
  it("answers a record nested 10,000 levels deep InvalidRecord and loads the rest (connectors and imports skip the API's guard)", async () => {
    const deep = JSON.parse(`{"id":"DEEP1","phone":"2125550100","x":${nestedText(10_000)}}`);
    const outcome = await createProspects(deps, {
      SkillNo: 1,
      SourceName: 'crm',
      Data: [deep, { id: 'DEEP2', phone: '2125550101', zip: '10001' }],
    });
    expect(outcome.counts).toEqual({ InvalidRecord: 1, Created: 1 });
    const failed = outcome.Results.FailedRecords[0] as Record<string, unknown>;
    expect(failed).toMatchObject({
      id: 'DEEP1',
      ResultCode: 'InvalidRecord',
      ResultMessage: `the record nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep`,
    });
    expect(JSON.stringify(failed).length).toBeLessThan(2_000); // echoed cut short, not 10,000 levels
    const stored = await db.pool.query(
      `SELECT record::text AS record FROM run_results WHERE run_id = $1 AND result_code = 'InvalidRecord'`,
      [outcome.runId],
    );
    expect(stored.rows[0].record.length).toBeLessThan(2_000);
  });
});
