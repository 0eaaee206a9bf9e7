import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PARSED, maskPhone, normalizePhone, normalizePhones } from '../../src/domain/phone-number';

const E164 = /^\+[1-9]\d{6,14}$/;

describe('normalizePhone', () => {
  it('reads US numbers however they are written', () => {
    for (const raw of [
      '(212) 736-5000',
      '212.736.5000',
      '212-736-5000',
      '212/736-5000',
      '  212 736 5000 ',
      '+1 212 736 5000',
      '1 (212) 736-5000',
      '12127365000',
      '+12127365000',
      'tel:+12127365000',
      '001 212 736 5000',
      2127365000,
      12127365000,
    ]) {
      expect(normalizePhone(raw, 'US'), String(raw)).toEqual({ phoneNumber: '+12127365000', type: 'Unknown' });
    }
  });

  it('keeps the main line of a number written with an extension', () => {
    expect(normalizePhone('212 736 5000 x12', 'US')?.phoneNumber).toBe('+12127365000');
    expect(normalizePhone('212-736-5000 ext. 12', 'US')?.phoneNumber).toBe('+12127365000');
  });

  it('takes the contract example (212) 555-0100 as a valid number', () => {
    expect(normalizePhone('(212) 555-0100', 'US')?.phoneNumber).toBe('+12125550100');
  });

  it('reads Hawaii, Arizona, Alaska and territory numbers', () => {
    expect(normalizePhone('808-586-0000', 'US')?.phoneNumber).toBe('+18085860000');
    expect(normalizePhone('602-542-4331', 'US')?.phoneNumber).toBe('+16025424331');
    expect(normalizePhone('907-465-3500', 'US')?.phoneNumber).toBe('+19074653500');
    expect(normalizePhone('787 722 2121', 'US')?.phoneNumber).toBe('+17877222121');
    expect(normalizePhone('+1 684 633 4116', 'US')).toEqual({ phoneNumber: '+16846334116', type: 'Landline' });
  });

  it('reads international numbers written with their country code', () => {
    expect(normalizePhone('+44 20 7946 0958', 'US')).toEqual({ phoneNumber: '+442079460958', type: 'Landline' });
    expect(normalizePhone('+44 (0)20 7946 0958', 'US')?.phoneNumber).toBe('+442079460958');
    expect(normalizePhone('011 44 20 7946 0958', 'US')?.phoneNumber).toBe('+442079460958');
    expect(normalizePhone('0044 20 7946 0958', 'US')?.phoneNumber).toBe('+442079460958');
    expect(normalizePhone('+49 30 901820', 'US')).toEqual({ phoneNumber: '+4930901820', type: 'Landline' });
    expect(normalizePhone('+61 2 9374 4000', 'US')).toEqual({ phoneNumber: '+61293744000', type: 'Landline' });
    expect(normalizePhone('+52 55 5080 2000', 'US')?.phoneNumber).toBe('+525550802000');
  });

  it('reads national numbers in the default country', () => {
    expect(normalizePhone('020 7946 0958', 'GB')?.phoneNumber).toBe('+442079460958');
    expect(normalizePhone('030 901820', 'DE')?.phoneNumber).toBe('+4930901820');
    expect(normalizePhone('020 7946 0958', 'US')).toBeNull();
  });

  it('tells the type from the metadata', () => {
    expect(normalizePhone('+44 7911 123456', 'US')?.type).toBe('Mobile');
    expect(normalizePhone('+44 20 7946 0958', 'US')?.type).toBe('Landline');
    expect(normalizePhone('1-800-356-9377', 'US')?.type).toBe('TollFree');
    expect(normalizePhone('+44 56 0123 4567', 'US')?.type).toBe('VoIP');
    // US ranges are shared by mobiles and landlines.
    expect(normalizePhone('212-736-5000', 'US')?.type).toBe('Unknown');
    // PERSONAL_NUMBER and other rare types
    expect(normalizePhone('+1 500 555 0006', 'US')?.type).toBe('Unknown');
  });

  it('lets a declared type win', () => {
    expect(normalizePhone('+44 7911 123456', 'US', 'Landline')?.type).toBe('Landline');
    expect(normalizePhone('212-736-5000', 'US', 'Mobile')?.type).toBe('Mobile');
  });

  it('refuses what is not a valid number, vanity letters and surrounding text included', () => {
    for (const raw of [
      '12345',
      '1-800-FLOWERS',
      'call 212-736-5000 now',
      '+1 212 736 50000',
      '+447700900123',
      '',
      '   ',
      '9'.repeat(65),
      1.5,
      -2127365000,
      Number.NaN,
      true,
      null,
      undefined,
      {},
      ['212-736-5000'],
    ]) {
      expect(normalizePhone(raw, 'US'), String(raw)).toBeNull();
    }
  });

  it('never throws and answers only E.164', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.stringMatching(/^[+0-9 ()./x-]{0,20}$/)), (raw) => {
        const p = normalizePhone(raw, 'US');
        if (p !== null) expect(p.phoneNumber).toMatch(E164);
      }),
    );
  });
});

describe('normalizePhones', () => {
  it('keeps valid numbers in mapping order, de-duplicated, and names the invalid ones masked', () => {
    const out = normalizePhones(
      [
        { value: ['(212) 736-5000', '12345', null, '212.736.5000'], path: 'phones' },
        { value: '808-586-0000', path: 'mobile', type: 'Mobile' },
        { value: '', path: 'work' },
        { value: { n: 1 }, path: 'odd' },
      ],
      'US',
      10,
    );
    expect(out.present).toBe(true);
    expect(out.numbers).toEqual([
      { phoneNumber: '+12127365000', type: 'Unknown' },
      { phoneNumber: '+18085860000', type: 'Mobile' },
    ]);
    expect(out.invalid).toEqual(['*2345 (phones)', 'an object (odd)']);
    expect(out.overflow).toBe(0);
  });

  it('keeps at most maxDestinations and counts the values left unread', () => {
    const out = normalizePhones(
      [{ value: ['212-736-5000', '212.736.5000', '808-586-0000', '602-542-4331', 'junk', null], path: 'p' }],
      'US',
      2,
    );
    expect(out.numbers.map((n) => n.phoneNumber)).toEqual(['+12127365000', '+18085860000']);
    expect(out.overflow).toBe(2);
    expect(out.invalid).toEqual([]);
  });

  it('stops parsing after MAX_PARSED values, valid or not', () => {
    const bad = Array.from({ length: 150 }, (_, i) => `1${i}`);
    const out = normalizePhones([{ value: [...bad, '212-736-5000'], path: 'p' }], 'US', 10);
    expect(out.invalid).toHaveLength(MAX_PARSED);
    expect(out.overflow).toBe(51);
    expect(out.numbers).toEqual([]);
  });

  it('does not parse past the limit, however long the list', () => {
    const many = Array.from({ length: 50_000 }, () => '212-736-5000');
    const started = Date.now();
    const out = normalizePhones([{ value: ['808-586-0000', ...many], path: 'p' }], 'US', 1);
    expect(out.overflow).toBe(50_000);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('says whether any value was there at all', () => {
    expect(
      normalizePhones(
        [
          { value: null, path: 'a' },
          { value: ' ', path: 'b' },
          { value: [], path: 'c' },
        ],
        'US',
        5,
      ).present,
    ).toBe(false);
    expect(normalizePhones([{ value: 'x', path: 'a' }], 'US', 5).present).toBe(true);
  });

  it('answers E.164, unique, at most maxDestinations, for any input', () => {
    const phoneish = fc.oneof(
      fc.anything(),
      fc.constantFrom('212-736-5000', '(808) 586-0000', '+44 20 7946 0958', '602.542.4331', 2127365000, '12345'),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ value: fc.oneof(phoneish, fc.array(phoneish, { maxLength: 4 })), path: fc.constant('p') }), { maxLength: 5 }),
        fc.integer({ min: 1, max: 4 }),
        (sources, max) => {
          const out = normalizePhones(sources, 'US', max);
          const numbers = out.numbers.map((n) => n.phoneNumber);
          for (const n of numbers) expect(n).toMatch(E164);
          expect(new Set(numbers).size).toBe(numbers.length);
          expect(numbers.length).toBeLessThanOrEqual(max);
          for (const m of out.invalid) expect(m).not.toMatch(/\d{5}/);
        },
      ),
    );
  });
});

describe('maskPhone', () => {
  it('shows only the last 4 digits and an E.164 country code', () => {
    expect(maskPhone('+12125550100')).toBe('+1******0100');
    expect(maskPhone('+442079460958')).toBe('+44******0958');
    expect(maskPhone('+8613800138000')).toBe('+86*******8000');
    expect(maskPhone('(212) 555-0100')).toBe('******0100');
    expect(maskPhone('12345')).toBe('*2345');
    expect(maskPhone('1234')).toBe('****');
    expect(maskPhone('abc')).toBe('(no digits)');
  });

  it('never shows more than 4 digits beyond the country code', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const masked = maskPhone(s);
        const shown = masked.replace(/^\+\d{1,3}(?=\*)/, '').replace(/\D/g, '');
        expect(shown.length).toBeLessThanOrEqual(4);
      }),
    );
  });
});
