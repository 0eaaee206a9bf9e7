import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IPV4, ISO_DATE, maskPhone, redactDeep, redactText, redactUrl } from '../../src/observability/redact';

/** A phone number of n digits written the way people and CRMs write them. */
const formattedPhone = fc
  .record({
    digits: fc.array(fc.constantFrom(...'0123456789'.split('')), { minLength: 7, maxLength: 15 }),
    plus: fc.boolean(),
    seps: fc.array(fc.constantFrom('', '', ' ', '-', '.', ' - '), { minLength: 15, maxLength: 15 }),
    parens: fc.boolean(),
  })
  .map(({ digits, plus, seps, parens }) => {
    let text = '';
    digits.forEach((d, i) => {
      if (parens && i === 0) text += '(';
      text += d;
      if (parens && i === 2) text += ') ';
      else if (i < digits.length - 1) text += seps[i];
    });
    return { text: (plus && !parens ? '+' : '') + text, digits: digits.join('') };
  })
  // A calendar date and a dotted address are kept by design (tested below); the separators drawn
  // here write one now and then (`1.92.168.1`, `2012-05-06`), and those are not phone numbers.
  .filter(({ text }) => !ISO_DATE.test(text) && !IPV4.test(text));

const prose = fc.string({ unit: fc.constantFrom(...'abcdefgh XYZ:;,="{}[]'.split('')), maxLength: 20 });

describe('redactText', () => {
  it('leaves at most the last four digits of any phone-like run, wherever it sits in text', () => {
    fc.assert(
      fc.property(prose, formattedPhone, prose, (before, phone, after) => {
        const out = redactText(`${before} ${phone.text} ${after}`);
        const shown = out.replace(/\D/g, '');
        expect(out).not.toContain(phone.text);
        expect(shown).not.toContain(phone.digits);
        expect(shown.length).toBeLessThanOrEqual(Math.max(4, phone.digits.length - 4));
        expect(shown.endsWith(phone.digits.slice(-4))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('masks a date shape inside a longer run of digits (a counterexample fast-check found)', () => {
    expect(redactText(' 000000000-00-00 ')).toBe(' *********0000 ');
  });

  it('masks seven digits dotted like an address that no address is (counterexamples fast-check found)', () => {
    expect(redactText(' 0.00.000.0 ')).toBe(' ***0000 ');
    expect(redactText(' 0.000.0.00 ')).toBe(' ***0000 ');
    expect(redactText(' 192.168.100.200 ')).toBe(' 192.168.100.200 ');
  });

  it('masks the example formats', () => {
    expect(maskPhone('+12125550100')).toBe('+1******0100');
    expect(redactText('call +12125550100 now')).toBe('call +1******0100 now');
    expect(redactText('(212) 555-0100')).toBe('******0100');
    expect(redactText('212.555.0100 or 212+555+0100')).toBe('******0100 or ******0100');
    expect(redactText('+44 20 7946 0958')).toBe('+44******0958');
    expect(redactText('p=%2B12125550100&q=%28212%29%20555-0100')).toBe('p=+1******0100&q=******0100');
  });

  it('keeps what is not a phone number: dates, IPs, short numbers, ids glued to letters', () => {
    for (const s of [
      '2026-12-31T17:00:00Z',
      '10.200.100.200',
      'took 1234 ms',
      'job a1234567b',
      'SkillNo 4100',
      'job refill-4100-12345678-1234-4234-8234-123456789012 done',
    ]) {
      expect(redactText(s)).toBe(s);
    }
  });

  it('hides bearer credentials', () => {
    expect(redactText('Authorization: Bearer s3cr3t-key')).toBe('Authorization: Bearer [Redacted]');
  });
});

describe('redactUrl', () => {
  it('masks phone values in query strings however they are encoded', () => {
    expect(redactUrl('/v1/skills/4100/prospects?SourceName=crm&PhoneNumber=%2B1%20212%20555%200100')).toBe(
      '/v1/skills/4100/prospects?SourceName=crm&PhoneNumber=+1******0100',
    );
    expect(redactUrl('/x?PhoneNumber=212+555+0100')).toBe('/x?PhoneNumber=******0100');
    expect(redactUrl('/v1/skills/4100/dial-queue')).toBe('/v1/skills/4100/dial-queue');
  });
});

describe('redactDeep', () => {
  it('walks objects, arrays and errors, masks phone-like numbers and credential headers', () => {
    const err = Object.assign(new Error('no route to +12125550100'), { code: 'E1' });
    const out = redactDeep({
      record: { phone: 2125550100, phones: ['646-555-0199'], n: 42 },
      err,
      headers: { Authorization: 'Bearer abc', cookie: 'pf_api_key=abc', 'X-Api-Key': 'abc', accept: '*/*' },
    });
    const text = JSON.stringify(out);
    expect(text).not.toMatch(/2125550100|6465550199|646-555-0199/);
    expect(out).toMatchObject({
      record: { phone: '******0100', phones: ['******0199'], n: 42 },
      err: { type: 'Error', message: 'no route to +1******0100', code: 'E1' },
      headers: { Authorization: '[Redacted]', cookie: '[Redacted]', 'X-Api-Key': '[Redacted]', accept: '*/*' },
    });
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { phone: '+12125550100' };
    a.self = a;
    expect(redactDeep(a)).toEqual({ phone: '+1******0100', self: '[Circular]' });
  });
});
