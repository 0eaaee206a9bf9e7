import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProspects, prospectLookup, type ProspectQuery } from '../../src/db/prospects';
import { freshSchema, type TestDb } from '../support/db';
import { lookupPagesRead } from '../support/plan-pages';
import { insertSkills } from '../support/prospect-fixtures';

/** A contact as the property test writes it: one skill, one source, its numbers. */
interface Contact {
  skillNo: number;
  source: string;
  externalId: string;
  phones: string[];
}

describe('findProspects (GETPROSPECT)', () => {
  let db: TestDb;

  beforeAll(async () => {
    db = await freshSchema('dbfp');
    await insertSkills(db.pool, [{ skillNo: 1 }, { skillNo: 2 }]);
  });
  afterAll(async () => db.drop());

  async function write(contacts: Contact[]): Promise<void> {
    await db.pool.query('TRUNCATE prospects, destinations, claims RESTART IDENTITY');
    await db.pool.query(
      `WITH p AS (
         INSERT INTO prospects (skill_no, source_name, external_id, time_zone, time_zone_source)
         SELECT s, src, x, 'America/New_York', 'Zip' FROM unnest($1::int[], $2::text[], $3::text[]) AS c(s, src, x)
         RETURNING prospect_id, skill_no, source_name, external_id)
       INSERT INTO destinations (prospect_id, position, phone_number, type, time_zone)
       SELECT p.prospect_id, d.pos, d.phone, 'Mobile', 'America/New_York'
       FROM p JOIN unnest($4::int[], $5::text[], $6::text[], $7::int[], $8::text[]) AS d(s, src, x, pos, phone)
         ON d.s = p.skill_no AND d.src = p.source_name AND d.x = p.external_id`,
      [contacts.map((c) => c.skillNo), contacts.map((c) => c.source), contacts.map((c) => c.externalId), ...destinationColumns(contacts)],
    );
  }

  it('answers exactly the contacts matching every criterion given, oldest first, up to the limit', async () => {
    const contact = fc.record({
      skillNo: fc.constantFrom(1, 2),
      source: fc.constantFrom('crm', 'erp', 'web'),
      externalId: fc.constantFrom('A', 'B', 'C', 'D'),
      phones: fc.uniqueArray(fc.constantFrom<string>('+12125550100', '+12125550101', '+12125550102', '+12125550103'), { maxLength: 3 }),
    });
    const query = fc
      .record({
        skillNo: fc.constantFrom(1, 2),
        sourceName: fc.option(fc.constantFrom('crm', 'erp', 'web', 'none'), { nil: null }),
        externalId: fc.option(fc.constantFrom('A', 'B', 'C', 'Z'), { nil: null }),
        phoneNumber: fc.option(fc.constantFrom('+12125550100', '+12125550101', '+12125550103', '+12125550199'), { nil: null }),
        limit: fc.integer({ min: 1, max: 5 }),
      })
      .filter((q) => q.externalId !== null || q.phoneNumber !== null);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(contact, { selector: (c) => `${c.skillNo}/${c.source}/${c.externalId}`, maxLength: 16 }),
        fc.array(query, { minLength: 1, maxLength: 6 }),
        async (contacts, queries) => {
          await write(contacts);
          // Insert order is prospect_id order: the reference answers in it too.
          for (const q of queries) {
            const want = contacts
              .filter(
                (c) =>
                  c.skillNo === q.skillNo &&
                  (q.sourceName === null || c.source === q.sourceName) &&
                  (q.externalId === null || c.externalId === q.externalId) &&
                  (q.phoneNumber === null || c.phones.includes(q.phoneNumber)),
              )
              .slice(0, q.limit)
              .map((c) => [c.source, c.externalId, c.phones]);
            const got = (await findProspects(db.pool, q)).map((p) => [
              p.sourceName,
              p.externalId,
              p.destinations.map((d) => d.phoneNumber),
            ]);
            expect(got).toEqual(want);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses a lookup without an ExternalID or a phone number (it would read the whole skill)', () => {
    expect(() => prospectLookup({ skillNo: 1, sourceName: 'crm', limit: 10 })).toThrow(/ExternalID or a phone number/);
  });

  describe('at size: each lookup reads a few pages, not the skill', () => {
    // 60,000 contacts in skill 1 over two sources: the statement that had one plan for every
    // criterion walked the skill for a number (thousands of pages). Pages read, not time: the
    // count of buffers a plan touches does not depend on the machine's load.
    const size = 60_000;
    const pagesAtMost = 60;

    beforeAll(async () => {
      await db.pool.query('TRUNCATE prospects, destinations, claims RESTART IDENTITY');
      await db.pool.query(
        `WITH p AS (
           INSERT INTO prospects (skill_no, source_name, external_id, time_zone, time_zone_source)
           SELECT CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END, CASE WHEN i % 2 = 0 THEN 'crm' ELSE 'erp' END, 'X' || i,
                  'America/New_York', 'Zip'
           FROM generate_series(1, $1) AS i
           RETURNING prospect_id)
         INSERT INTO destinations (prospect_id, position, phone_number, type, time_zone)
         SELECT prospect_id, pos, '+1' || (2000000000 + prospect_id * 2 + pos), 'Mobile', 'America/New_York'
         FROM p, generate_series(0, 1) AS pos`,
        [size],
      );
      await db.pool.query('VACUUM ANALYZE prospects, destinations');
    });

    // Contact 'X55555' has prospect_id 55555 (a fresh table) and numbers +1 (2000000000 + 2 * id + pos).
    const phone = `+1${2_000_000_000 + 55_555 * 2 + 1}`;

    it.each<[string, ProspectQuery]>([
      ['by phone number', { skillNo: 1, phoneNumber: phone, limit: 100 }],
      ['by phone number and source', { skillNo: 1, sourceName: 'erp', phoneNumber: phone, limit: 100 }],
      ['by ExternalID and source', { skillNo: 1, sourceName: 'erp', externalId: 'X55555', limit: 100 }],
      ['by ExternalID alone', { skillNo: 1, externalId: 'X55555', limit: 100 }],
      ['by ExternalID and phone number', { skillNo: 1, externalId: 'X55555', phoneNumber: phone, limit: 100 }],
    ])('%s', async (_, q) => {
      const found = await findProspects(db.pool, q);
      expect(found.map((p) => p.externalId)).toEqual(['X55555']);
      expect(await lookupPagesRead(db.pool, q)).toBeLessThanOrEqual(pagesAtMost);
    });

    it('by a number no contact of the skill has', async () => {
      const q = { skillNo: 2, phoneNumber: phone, limit: 100 };
      expect(await findProspects(db.pool, q)).toEqual([]);
      expect(await lookupPagesRead(db.pool, q)).toBeLessThanOrEqual(pagesAtMost);
    });
  });
});

function destinationColumns(contacts: Contact[]): [number[], string[], string[], number[], string[]] {
  const numbers = contacts.flatMap((c) => c.phones.map((phone, pos) => ({ ...c, phone, pos })));
  return [
    numbers.map((n) => n.skillNo),
    numbers.map((n) => n.source),
    numbers.map((n) => n.externalId),
    numbers.map((n) => n.pos),
    numbers.map((n) => n.phone),
  ];
}
