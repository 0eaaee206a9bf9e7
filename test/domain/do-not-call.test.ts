import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withoutSuppressed, type SuppressionMatch } from '../../src/domain/do-not-call';
import { maskPhone } from '../../src/domain/phone-number';
import { prospectRow } from '../support/prospect-fixtures';

const NUMBERS = ['+12125550100', '+12125550101', '+13125550102', '+447700900103', '+16465550104', '+16465550105'];

describe('withoutSuppressed: the numbers a load drops, as data', () => {
  it('names every dropped number once, masked, in record and number order, refused exactly when the record failed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.constantFrom(...NUMBERS), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.dictionary(
          fc.constantFrom(...NUMBERS),
          fc.record({ listName: fc.constantFrom('internal', 'registry'), kind: fc.constantFrom('Number', 'Prefix') }),
        ),
        (records, held) => {
          const suppressed = new Map(Object.entries(held) as Array<[string, SuppressionMatch]>);
          const out = { rows: records.map((numbers, i) => prospectRow(`E${i}`, numbers, { index: i })), failures: [] };
          const screened = withoutSuppressed(out, suppressed, records, 0);
          const failed = new Set(screened.out.failures.map((f) => f.index));
          const expected = records.flatMap((numbers, index) =>
            numbers
              .filter((n) => suppressed.has(n))
              .map((n, position) => ({
                index,
                position,
                masked: maskPhone(n),
                listName: suppressed.get(n)!.listName,
                byPrefix: suppressed.get(n)!.kind === 'Prefix',
                refused: failed.has(index),
              })),
          );
          expect(screened.named).toEqual(expected);
          expect(screened.named.every((n) => !NUMBERS.some((whole) => n.masked.includes(whole.slice(1))))).toBe(true);
          // Refused exactly when every number of the record was held; one answer per record.
          for (const [index, numbers] of records.entries()) expect(failed.has(index)).toBe(numbers.every((n) => suppressed.has(n)));
          expect(screened.out.rows.length + screened.out.failures.length).toBe(records.length);
          expect([...screened.refusedByList.values()].reduce((a, b) => a + b, 0)).toBe(expected.length);
        },
      ),
    );
  });
});
