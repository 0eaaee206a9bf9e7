import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { addEntries } from '../../src/services/suppression-entries';
import { importSuppressionFile } from '../../src/services/suppression-import';
import { putList } from '../../src/services/suppression-lists';
import { freshSchema, type TestDb } from '../support/db';

let db: TestDb;
let deps: Parameters<typeof importSuppressionFile>[0];
let file: string;
const NUMBERS = ['212-555-0104', '2125550101', '+1 212 555 0103', '212.555.0100', '2125550102', '2125550101'];

beforeAll(async () => {
  db = await freshSchema('dncimport');
  deps = { config: loadConfig({}), pool: db.pool, logger: pino({ level: 'silent' }), now: () => new Date('2026-03-02T15:00:00Z') };
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pf-dnc-import-')), 'numbers.txt');
  fs.writeFileSync(file, `${NUMBERS.join('\r\n')}\r\n`);
});
afterAll(async () => db.drop());

const stored = async (list: string) =>
  (
    await db.pool.query<{ number: number }>(
      'SELECT number FROM suppression_numbers JOIN suppression_lists USING (list_id) WHERE name = $1 ORDER BY number',
      [list],
    )
  ).rows.map((r) => r.number);

describe('suppression import, interrupted', () => {
  it('stores nothing when interrupted while the file is read', async () => {
    await putList(deps, 'while-read', {});
    const stop = new AbortController();
    stop.abort();
    const out = await importSuppressionFile(deps, { file, listName: 'while-read' }, { signal: stop.signal, sliceSize: 2 });
    expect(out).toMatchObject({ interrupted: true, added: 0 });
    expect(await stored('while-read')).toEqual([]);
  });

  it('keeps the slices stored, in number order, when interrupted while storing; run again, it finishes', async () => {
    await putList(deps, 'while-stored', {});
    const stop = new AbortController();
    const totalBytes = fs.statSync(file).size;
    const out = await importSuppressionFile(
      deps,
      { file, listName: 'while-stored' },
      { signal: stop.signal, sliceSize: 2, onProgress: (p) => p.bytesRead > totalBytes && stop.abort() },
    );
    expect(out).toMatchObject({ interrupted: true, lines: 6, added: 2, updated: 0 });
    expect(await stored('while-stored')).toEqual([12125550100, 12125550101]);
    const again = await importSuppressionFile(deps, { file, listName: 'while-stored' }, { sliceSize: 2 });
    expect(again).toMatchObject({ interrupted: false, lines: 6, added: 3, updated: 0, unchanged: 2, invalid: 0 });
    expect(await stored('while-stored')).toEqual([12125550100, 12125550101, 12125550102, 12125550103, 12125550104]);
  });
});

describe('suppression import into a list that holds some of its numbers', () => {
  it('leaves an entry there for good as it was, makes one with an expiry or a reason permanent (history keeps the add it replaces)', async () => {
    await putList(deps, 'mixed', {});
    const api = { role: 'operator', source: 'Api' as const };
    await addEntries(deps, 'mixed', { Data: [{ PhoneNumber: '+12125550100' }] }, api);
    await addEntries(deps, 'mixed', { Data: [{ PhoneNumber: '+12125550101', ExpiresAt: '2026-06-01T00:00:00Z', Reason: 'asked' }] }, api);
    const batchOf = async (n: number) =>
      (await db.pool.query<{ batch_id: number }>('SELECT batch_id FROM suppression_numbers WHERE number = $1', [n])).rows[0]!.batch_id;
    const kept = await batchOf(12125550100);

    const out = await importSuppressionFile(deps, { file, listName: 'mixed' });
    expect(out).toMatchObject({ lines: 6, added: 3, updated: 1, unchanged: 1, invalid: 0 });
    expect(await batchOf(12125550100)).toBe(kept);
    const { rows } = await db.pool.query(
      `SELECT h.number::text, h.action, h.expires_at, h.reason FROM suppression_history h
       JOIN suppression_lists l USING (list_id) WHERE l.name = 'mixed' ORDER BY h.history_id`,
    );
    expect(rows).toEqual([{ number: '12125550101', action: 'Added', expires_at: new Date('2026-06-01T00:00:00Z'), reason: 'asked' }]);
    const now = await db.pool.query('SELECT expires_at, reason FROM suppression_numbers WHERE number = 12125550101');
    expect(now.rows[0]).toEqual({ expires_at: null, reason: null });
  });
});
