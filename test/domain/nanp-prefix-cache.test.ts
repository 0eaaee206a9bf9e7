import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CountryCode } from 'libphonenumber-js/max';
import { answerNanp, nanpShortCut, type NanpAnswer } from '../../src/domain/nanp-prefix-cache';
import { normalizePhone, parsePhone } from '../../src/domain/phone-number';

// Area codes where libphonenumber's patterns are most varied: toll-free, premium, personal (5xx),
// Canada, the Caribbean (Barbados and Jamaica look past six digits), territories, and invalid ones.
const AREA_CODES = [
  '212',
  '246',
  '658',
  '876',
  '800',
  '833',
  '900',
  '500',
  '521',
  '522',
  '523',
  '524',
  '533',
  '310',
  '416',
  '604',
  '787',
  '939',
  '809',
  '829',
  '849',
  '441',
  '684',
  '671',
  '670',
  '340',
  '268',
  '345',
  '473',
  '758',
  '868',
  '907',
  '808',
  '602',
  '211',
  '311',
  '555',
  '999',
  '370',
  '960',
];
const COUNTRIES: CountryCode[] = ['US', 'CA', 'JM', 'BB', 'DO', 'PR', 'GB', 'DE'];

const areaCode = fc.oneof(fc.constantFrom(...AREA_CODES), fc.stringMatching(/^[2-9]\d\d$/));
const exchange = fc.oneof(fc.stringMatching(/^\d{3}$/), fc.constantFrom('521', '606', '555', '200'));
const line = fc.stringMatching(/^\d{4}$/);
const writeNumber = (a: string, x: string, l: string, how: number): string =>
  [
    `${a}${x}${l}`,
    `(${a}) ${x}-${l}`,
    `${a}-${x}-${l}`,
    `${a}.${x}.${l}`,
    `+1 ${a} ${x} ${l}`,
    `1-${a}-${x}-${l}`,
    `+1${a}${x}${l}`,
    `1 (${a}) ${x}-${l}`,
    `(${a})${x}${l}`,
  ][how % 9]!;

describe('the NANP short cut', () => {
  it('is on for the current metadata, with the countries that look past six digits left to the slow path', () => {
    const { usable, slowLeadingDigits } = nanpShortCut();
    expect(usable).toBe(true);
    expect(slowLeadingDigits).toEqual(expect.arrayContaining(['^(?:246)', '^(?:658|876)']));
  });

  it('answers exactly what libphonenumber answers, for numbers sharing six digits too', () => {
    fc.assert(
      fc.property(
        areaCode,
        exchange,
        fc.array(fc.tuple(line, fc.nat(8)), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(...COUNTRIES),
        fc.constantFrom(undefined, 'Mobile' as const),
        (a, x, lines, country, declared) => {
          for (const [l, how] of lines) {
            const text = writeNumber(a, x, l, how);
            expect(normalizePhone(text, country, declared), `${text} ${country}`).toEqual(parsePhone(text, country, declared));
          }
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('keeps Barbados numbers whose validity depends on the seventh digit right', () => {
    // 246-521-0xxx is a Barbados mobile range, 246-521-1xxx is not assigned.
    for (const text of ['246-521-0123', '246-521-1123', '246-521-3123', '246-521-2123']) {
      expect(normalizePhone(text, 'US'), text).toEqual(parsePhone(text, 'US'));
    }
  });

  it('asks the parser once per six digits, and leaves what it does not know to the caller', () => {
    let parses = 0;
    const parse = (): NanpAnswer => {
      parses++;
      return { valid: true, type: 'Unknown' };
    };
    expect(answerNanp('(313) 201-0000', 'US', parse)?.e164).toBe('+13132010000');
    expect(answerNanp('313-201-9999', 'US', parse)?.e164).toBe('+13132019999');
    expect(answerNanp('(313) 201-5555', 'US', parse)?.e164).toBe('+13132015555');
    expect(parses).toBe(1);
    expect(answerNanp('876-201-5555', 'US', parse)).toBeUndefined(); // Jamaica: slow path
    expect(answerNanp('313-201-5555', 'GB', parse)).toBeUndefined(); // not NANP without +1
    expect(answerNanp('313-201-5555 x12', 'US', parse)).toBeUndefined();
    expect(answerNanp('113-201-5555', 'US', parse)).toBeUndefined();
    expect(parses).toBe(1);
  });
});
