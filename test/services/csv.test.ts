import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine } from '../../src/services/csv';

describe('csvLine', () => {
  it('without the formula guard, reads back exactly as written (the failed-rows file is imported again)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 6 }), (cells) => {
        const [row] = parse(csvLine(cells, { guardFormulas: false }), { relax_column_count: true }) as string[][];
        expect(row).toEqual(cells);
      }),
    );
  });

  it('with the guard (the default), a cell a spreadsheet would run as a formula is shown as text', () => {
    expect(csvLine(['=HYPERLINK("x")', '+1 212 555 0100', '-2', '@SUM(A1)', 'plain'])).toBe(
      `"'=HYPERLINK(""x"")",'+1 212 555 0100,'-2,'@SUM(A1),plain\r\n`,
    );
    expect(csvLine(['+1 212'], { guardFormulas: false })).toBe('+1 212\r\n');
  });
});
