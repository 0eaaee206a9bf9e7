import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inClientTransaction, inTransaction } from '../../src/db/pool';
import { endStaging, mergeStaged, orderStaged, stageNumbers, startStaging, upsertEntries } from '../../src/db/suppression-entries';
import { createBatch, findList, lockList, upsertList } from '../../src/db/suppression-lists';
import { CHECK_SQL, findSuppressions } from '../../src/db/suppression-reads';
import { leadingPrefixes, parsePrefix } from '../../src/domain/suppression';
import { freshSchema, type TestDb } from '../support/db';

let db: TestDb;
const now = new Date('2026-03-02T15:00:00Z');

beforeAll(async () => {
  db = await freshSchema('dnc');
  await upsertList(db.pool, 'prefixes', { description: null, allSkills: false }, now);
});
afterAll(async () => db.drop());

async function write(list: string, work: (listId: number, batchId: number, client: Parameters<typeof lockList>[0]) => Promise<unknown>) {
  await inTransaction(db.pool, async (client) => {
    const row = (await lockList(client, list))!;
    const batchId = await createBatch(client, { listId: row.listId, source: 'Api', role: null, at: now });
    await work(row.listId, batchId, client);
  });
}

const suppressed = async (digits: string) =>
  (await findSuppressions(db.pool, Number(digits), leadingPrefixes(digits), now, null)).matches.map((m) => m.prefix).sort();

describe('prefix entries', () => {
  it('reads only starts of E.164 numbers', () => {
    expect(parsePrefix('+1212')).toBe('1212');
    expect(parsePrefix('+44 20')).toBe('4420');
    expect(parsePrefix('+1')).toBe('1');
    for (const bad of ['1212', '+0', '+', '+1212x', '+1234567890123456', 12, null, '+999']) expect(parsePrefix(bad)).toBeNull();
  });

  it('matches a number under any prefix of any length, as a naive startsWith would', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.stringMatching(/^1[0-9]{0,10}$/), { minLength: 1, maxLength: 8 }),
        fc.array(fc.stringMatching(/^1[0-9]{10}$/), { minLength: 1, maxLength: 5 }),
        async (prefixes, numbers) => {
          await db.pool.query('DELETE FROM suppression_prefixes');
          await write('prefixes', (listId, batchId, client) =>
            upsertEntries(
              client,
              'prefix',
              listId,
              batchId,
              prefixes.map((key) => ({ key, expiresAt: null, reason: null })),
            ),
          );
          for (const n of numbers) {
            expect(await suppressed(n)).toEqual(prefixes.filter((p) => n.startsWith(p)).sort());
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('tells +1 from +12 from +121', async () => {
    await db.pool.query('DELETE FROM suppression_prefixes');
    await write('prefixes', (listId, batchId, client) =>
      upsertEntries(
        client,
        'prefix',
        listId,
        batchId,
        ['12', '121'].map((key) => ({ key, expiresAt: null, reason: null })),
      ),
    );
    expect(await suppressed('12125550100')).toEqual(['12', '121']);
    expect(await suppressed('12225550100')).toEqual(['12']);
    expect(await suppressed('13125550100')).toEqual([]);
  });

  it('is answered by index probes, not a scan, at size', async () => {
    await db.pool.query('DELETE FROM suppression_prefixes');
    await db.pool.query(
      `INSERT INTO suppression_batches (list_id, source, at) SELECT list_id, 'Api', now() FROM suppression_lists WHERE name = 'prefixes'`,
    );
    await db.pool.query(
      `INSERT INTO suppression_prefixes (prefix, list_id, batch_id)
       SELECT (1000000 + g)::text, l.list_id, (SELECT max(batch_id) FROM suppression_batches) FROM generate_series(1, 50000) g, suppression_lists l WHERE l.name = 'prefixes'`,
    );
    await db.pool.query(
      `INSERT INTO suppression_numbers (number, list_id, batch_id)
       SELECT 12000000000 + g, l.list_id, 1 FROM generate_series(1, 50000) g, suppression_lists l WHERE l.name = 'prefixes'`,
    );
    await db.pool.query('ANALYZE suppression_prefixes; ANALYZE suppression_numbers');
    const client = await db.pool.connect();
    try {
      // The check's own statement, explained with its parameters, with and without a skill (the
      // list, batch and skill rows are a handful: those may be scanned, never the entries).
      for (const skillNo of [null, 1]) {
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${CHECK_SQL}`, [
          12125550100,
          leadingPrefixes('12125550100'),
          now,
          skillNo,
        ]);
        const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).not.toMatch(/Seq Scan on suppression_(numbers|prefixes)/);
        expect(plan).toMatch(/suppression_prefixes_pkey/);
        expect(plan).toMatch(/suppression_numbers_pkey/);
      }
    } finally {
      client.release();
    }
  });
});

describe('import slices', () => {
  /** An import as the service runs it: staged in COPYs of `copies`, merged `limit` numbers a slice. */
  async function importAll(list: string, copies: number[][], limit: number, forceFresh = false) {
    const listId = (await findList(db.pool, list))!.listId;
    const batchId = await createBatch(db.pool, { listId, source: 'Import', role: null, at: now });
    const client = await db.pool.connect();
    try {
      await startStaging(client);
      for (const numbers of copies) await stageNumbers(client, numbers);
      await orderStaged(client);
      const counts = { added: 0, updated: 0, unchanged: 0, slices: 0 };
      for (let after = 0; ;) {
        const slice = await inClientTransaction(client, async () => {
          const fresh = forceFresh || (await lockList(client, list))!.entryCount === counts.added;
          return mergeStaged(client, listId, batchId, after, limit, fresh);
        });
        if (slice.last === null) break;
        expect(slice.last).toBeGreaterThan(after);
        after = slice.last;
        counts.added += slice.added;
        counts.updated += slice.updated;
        counts.unchanged += slice.unchanged;
        counts.slices++;
      }
      await endStaging(client);
      return counts;
    } finally {
      client.release();
    }
  }

  it('counts duplicates once across slices, and entries already there for good as unchanged (no history row), keeping the counts', async () => {
    await upsertList(db.pool, 'imported', { description: null, allSkills: false }, now);
    const first = await importAll('imported', [[12125550100, 12125550101], [12125550100]], 1);
    expect(first).toEqual({ added: 2, updated: 0, unchanged: 0, slices: 2 });
    const second = await importAll('imported', [[12125550102, 12125550101]], 1);
    expect(second).toEqual({ added: 1, updated: 0, unchanged: 1, slices: 2 });
    expect((await findList(db.pool, 'imported'))!.entryCount).toBe(3);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM suppression_history WHERE number = 12125550101`);
    expect(rows[0].n).toBe(0);
  });

  it('merges a slice inserted as fresh when the list holds one of its numbers after all (updated, with its history)', async () => {
    await upsertList(db.pool, 'not-fresh', { description: null, allSkills: false }, now);
    await write('not-fresh', (listId, batchId, client) =>
      upsertEntries(client, 'number', listId, batchId, [{ key: 12125550101, expiresAt: null, reason: 'asked' }]),
    );
    const counts = await importAll('not-fresh', [[12125550102, 12125550100, 12125550101]], 2, true);
    expect(counts).toEqual({ added: 2, updated: 1, unchanged: 0, slices: 2 });
    expect((await findList(db.pool, 'not-fresh'))!.entryCount).toBe(3);
    const { rows } = await db.pool.query(
      `SELECT h.reason FROM suppression_history h JOIN suppression_lists l USING (list_id) WHERE l.name = 'not-fresh'`,
    );
    expect(rows).toEqual([{ reason: 'asked' }]);
  });

  it('stages numbers of every length E.164 allows, digit for digit', async () => {
    await upsertList(db.pool, 'lengths', { description: null, allSkills: false }, now);
    const numbers = [1, 9, 10, 99, 100, 1000000, 442071234567, 999999999999999, 100000000000000, 12125550100];
    expect(await importAll('lengths', [numbers], 3)).toMatchObject({ added: numbers.length });
    const { rows } = await db.pool.query<{ number: string }>(
      `SELECT number::text FROM suppression_numbers n JOIN suppression_lists l USING (list_id) WHERE l.name = 'lengths' ORDER BY n.number`,
    );
    expect(rows.map((r) => r.number)).toEqual(numbers.sort((a, b) => a - b).map(String));
  });

  it('stores every distinct number exactly once, whatever the slice size and order of the file', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 12125550000, max: 12125550030 }), { maxLength: 12 }), { maxLength: 3 }),
        fc.integer({ min: 1, max: 7 }),
        async (copies, limit) => {
          const list = `property-${run++}`;
          await upsertList(db.pool, list, { description: null, allSkills: false }, now);
          const distinct = new Set(copies.flat());
          const counts = await importAll(list, copies, limit);
          expect(counts.added).toBe(distinct.size);
          expect(counts.updated).toBe(0);
          expect(counts.slices).toBe(Math.ceil(distinct.size / limit));
          const { rows } = await db.pool.query<{ number: number }>(
            `SELECT number FROM suppression_numbers n JOIN suppression_lists l USING (list_id) WHERE l.name = $1 ORDER BY number`,
            [list],
          );
          expect(rows.map((r) => r.number)).toEqual([...distinct].sort((x, y) => x - y));
          expect((await findList(db.pool, list))!.entryCount).toBe(distinct.size);
        },
      ),
      { numRuns: 25 },
    );
  });
});
