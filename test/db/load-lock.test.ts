import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/pool';
import { lockProspectSource, tryLockProspectSource } from '../../src/db/prospects';
import { freshSchema, type TestDb } from '../support/db';

let a: TestDb;
let b: TestDb;
beforeAll(async () => {
  [a, b] = await Promise.all([freshSchema('locka'), freshSchema('lockb')]);
});
afterAll(async () => {
  await Promise.all([a.drop(), b.drop()]);
});

describe('the load lock of a skill and source', () => {
  it('serializes loads within one installation, never across installations sharing the database', async () => {
    await inTransaction(a.pool, async (holder) => {
      await lockProspectSource(holder, 4100, 'crm');
      // The same skill and source in another schema (another installation, another test file): free.
      expect(await inTransaction(b.pool, (other) => tryLockProspectSource(other, 4100, 'crm'))).toBe(true);
      // In the same schema: held.
      expect(await inTransaction(a.pool, (other) => tryLockProspectSource(other, 4100, 'crm'))).toBe(false);
    });
  });
});
