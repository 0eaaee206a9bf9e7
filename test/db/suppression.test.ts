import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/pool';
import { importNumbers, upsertEntries } from '../../src/db/suppression-entries';
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
  it('counts duplicates within a slice once, and entries already there as updated, keeping the counts', async () => {
    await upsertList(db.pool, 'imported', { description: null, allSkills: false }, now);
    let first = { added: 0, updated: 0 };
    await write('imported', async (listId, batchId, client) => {
      first = await importNumbers(client, listId, batchId, [12125550100, 12125550101, 12125550100]);
    });
    expect(first).toEqual({ added: 2, updated: 0 });
    let second = { added: 0, updated: 0 };
    await write('imported', async (listId, batchId, client) => {
      second = await importNumbers(client, listId, batchId, [12125550101, 12125550102]);
    });
    expect(second).toEqual({ added: 1, updated: 1 });
    expect((await findList(db.pool, 'imported'))!.entryCount).toBe(3);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM suppression_history WHERE number = 12125550101`);
    expect(rows[0].n).toBe(1);
  });
});
