import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyField, copyJson, copyRows } from '../../src/db/copy-text';
import { inTransaction } from '../../src/db/pool';
import * as prospects from '../../src/db/prospects';
import * as runs from '../../src/db/runs';
import { upsertSkill } from '../../src/db/skills';
import { jsonSafe } from '../../src/domain/json-safe';
import { SkillBodySchema } from '../../src/domain/skill';
import { freshSchema, type TestDb } from '../support/db';
import { prospectRow } from '../support/prospect-fixtures';

describe('COPY text encoding', () => {
  it('escapes what COPY text format treats specially and drops NUL', () => {
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField('x\u0000y')).toBe('xy');
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField(12.5)).toBe('12.5');
    expect(copyField(Number.NaN)).toBe('NaN');
    expect(copyField(new Date('2026-12-31T17:00:00Z'))).toBe('2026-12-31T17:00:00.000Z');
    expect(copyJson({ a: 'x\u0000' })).toBe('{"a":"x"}');
    expect(copyJson(undefined)).toBe('null');
  });
});

describe('COPY into Postgres', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshSchema('copy');
    await db.pool.query('CREATE TABLE copied (n integer PRIMARY KEY, t text, j jsonb)');
    await upsertSkill(db.pool, 1, SkillBodySchema.parse({ Name: 'One' }));
  });
  afterAll(async () => db.drop());

  async function roundTrip(values: { t: string | null; j: unknown }[]): Promise<{ t: string | null; j: unknown }[]> {
    return inTransaction(db.pool, async (c) => {
      await c.query('TRUNCATE copied');
      await copyRows(
        c,
        'copied',
        ['n', 't', 'j'],
        values.map((v, n) => `${n}\t${copyField(v.t)}\t${copyJson(v.j)}\n`),
      );
      const { rows } = await c.query<{ t: string | null; j: unknown }>('SELECT t, j FROM copied ORDER BY n');
      return rows;
    });
  }

  it('stores any text and any JSON as jsonSafe would (NUL dropped, lone surrogates replaced)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ t: fc.option(fc.string({ unit: 'binary' }), { nil: null }), j: fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 }) }),
          { maxLength: 20 },
        ),
        async (values) => {
          const back = await roundTrip(values);
          expect(back.map((r) => r.t)).toEqual(values.map((v) => jsonSafe(v.t)));
          // Through JSON text and back: what JSON.stringify says of the value (-0 is 0, ...).
          expect(back.map((r) => r.j)).toEqual(values.map((v) => JSON.parse(JSON.stringify(jsonSafe(v.j)) ?? 'null')));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps text that only looks like an escape, and stores NULL apart from the text \\N', async () => {
    const back = await roundTrip([
      { t: '\\N', j: { note: 'written \\u0000 in the CRM', tab: '\t' } },
      { t: null, j: null },
      { t: 'a\u0000b\ud800c', j: { 'k\u0000': ['\udc00'] } },
    ]);
    expect(back).toEqual([
      { t: '\\N', j: { note: 'written \\u0000 in the CRM', tab: '\t' } },
      { t: null, j: null },
      { t: 'ab\ufffdc', j: { k: ['\ufffd'] } },
    ]);
  });

  const row = (externalId: string) => prospectRow(externalId, ['+12125550100'], { firstName: 'Tab\there' });
  const ctx = { skillNo: 1, sourceName: 'crm', sourceMapVersion: 1, runId: null };

  it('upserts given a pool, or a client outside any transaction, answering in the order of the rows', async () => {
    const viaPool = await prospects.upsertProspects(db.pool, ctx, [row('P2'), row('P1')]);
    expect(viaPool.map((u) => [u.externalId, u.created])).toEqual([
      ['P2', true],
      ['P1', true],
    ]);
    const client = await db.pool.connect();
    try {
      const first = await prospects.upsertProspects(client, ctx, [row('P1'), row('P3')]);
      const second = await prospects.upsertProspects(client, ctx, [row('P4'), row('P3')]);
      expect(first.map((u) => [u.externalId, u.created])).toEqual([
        ['P1', false],
        ['P3', true],
      ]);
      expect(second.map((u) => [u.externalId, u.created])).toEqual([
        ['P4', true],
        ['P3', false],
      ]);
    } finally {
      client.release();
    }
    const { rows } = await db.pool.query(`SELECT external_id, first_name FROM prospects ORDER BY external_id`);
    expect(rows).toEqual(['P1', 'P2', 'P3', 'P4'].map((id) => ({ external_id: id, first_name: 'Tab\there' })));
  });

  it('rolls back a pool-given upsert that fails, leaving nothing staged behind', async () => {
    await expect(prospects.upsertProspects(db.pool, { ...ctx, skillNo: 99 }, [row('Q1')])).rejects.toMatchObject({ code: '23503' });
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM prospects WHERE external_id = 'Q1'`)).rows[0].n).toBe(0);
    expect(await prospects.upsertProspects(db.pool, ctx, [row('Q1')])).toMatchObject([{ externalId: 'Q1', created: true }]);
  });

  it('stores run results given a pool', async () => {
    const runId = await runs.createRun(db.pool, { skillNo: 1, sourceName: 'crm', sourceMapVersion: 1, origin: 'Api' });
    await runs.insertRunResults(db.pool, runId, [
      { seq: 0, resultCode: 'Created', resultMessage: null, externalId: 'A', record: { id: 'A', note: 'x\ny' } },
      { seq: 1, resultCode: 'InvalidRecord', resultMessage: 'a record must be a JSON object, not text', externalId: null, record: 'text' },
    ]);
    const { rows } = await db.pool.query(
      'SELECT seq, result_code, result_message, external_id, record FROM run_results WHERE run_id = $1 ORDER BY seq',
      [runId],
    );
    expect(rows).toEqual([
      { seq: 0, result_code: 'Created', result_message: null, external_id: 'A', record: { id: 'A', note: 'x\ny' } },
      {
        seq: 1,
        result_code: 'InvalidRecord',
        result_message: 'a record must be a JSON object, not text',
        external_id: null,
        record: 'text',
      },
    ]);
  });
});
