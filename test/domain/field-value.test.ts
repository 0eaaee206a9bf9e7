import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SYSTEM_FIELDS, type SystemField } from '../../src/domain/field-catalog';
import { cleanText, isAbsent, normalizeFieldValue, type FieldValue } from '../../src/domain/field-value';

const value = (v: FieldValue) => (v.ok ? v.value : `!${v.problem}`);

describe('normalizeFieldValue', () => {
  it('reads text fields from text or numbers, cleaned, within their length', () => {
    expect(value(normalizeFieldValue('FirstName', '  Ann \u0000'))).toBe('Ann');
    expect(value(normalizeFieldValue('Notes', 'line 1\nline 2\u0007'))).toBe('line 1\nline 2');
    expect(value(normalizeFieldValue('Address', 'Straße 5 · 東京'))).toBe('Straße 5 · 東京');
    expect(value(normalizeFieldValue('Agent', 42))).toBe('42');
    expect(value(normalizeFieldValue('FirstName', 'a'.repeat(255)))).toBe('a'.repeat(255));
    expect(value(normalizeFieldValue('FirstName', 'a'.repeat(256)))).toBe('!FirstName is longer than 255 characters');
    expect(value(normalizeFieldValue('Notes', '😀'.repeat(1000)))).toBe('😀'.repeat(1000));
    expect(value(normalizeFieldValue('Notes', 'x'.repeat(1001)))).toMatch(/^!Notes is longer than 1000/);
  });

  it('refuses objects, lists and booleans for text, naming the field but not the value', () => {
    expect(value(normalizeFieldValue('City', { name: 'Secret Town' }))).toBe('!City must be text or a number (got an object)');
    expect(value(normalizeFieldValue('City', ['a']))).toBe('!City must be text or a number (got a list)');
    expect(value(normalizeFieldValue('LastName', true))).toMatch(/^!LastName/);
  });

  it('reads Priority as a whole number in range', () => {
    expect(value(normalizeFieldValue('Priority', 5))).toBe(5);
    expect(value(normalizeFieldValue('Priority', ' 12 '))).toBe(12);
    expect(value(normalizeFieldValue('Priority', '7.0'))).toBe(7);
    expect(value(normalizeFieldValue('Priority', 1_000_000))).toBe(1_000_000);
    expect(value(normalizeFieldValue('Priority', 'high'))).toMatch(/^!Priority must be a whole number from 0 to 1000000 \(got text\)/);
    expect(value(normalizeFieldValue('Priority', 2.5))).toMatch(/got a fraction/);
    expect(value(normalizeFieldValue('Priority', -1))).toMatch(/out of range/);
    expect(value(normalizeFieldValue('Priority', 1_000_001))).toMatch(/out of range/);
    expect(value(normalizeFieldValue('Priority', '0x10'))).toMatch(/^!/);
  });

  it('reads Score as a finite number', () => {
    expect(value(normalizeFieldValue('Score', 0.75))).toBe(0.75);
    expect(value(normalizeFieldValue('Score', '-1.5e2'))).toBe(-150);
    expect(value(normalizeFieldValue('Score', 'NaN'))).toMatch(/^!Score must be a number/);
    expect(value(normalizeFieldValue('Score', '1e999'))).toMatch(/^!Score/);
  });

  it('reads flags', () => {
    for (const t of [true, 'true', 'YES', 'y', '1', 1]) expect(value(normalizeFieldValue('ConfirmationRequired', t))).toBe(true);
    for (const f of [false, 'False', 'no', 'N', '0', 0]) expect(value(normalizeFieldValue('Compliance', f))).toBe(false);
    expect(value(normalizeFieldValue('Compliance', 'maybe'))).toMatch(/^!Compliance must be true or false/);
    expect(value(normalizeFieldValue('Compliance', 2))).toMatch(/^!/);
  });

  it('reads CallRequestDateTime as an instant with its offset, stored in UTC', () => {
    expect(value(normalizeFieldValue('CallRequestDateTime', '2026-05-01T10:00:00-04:00'))).toBe('2026-05-01T14:00:00Z');
    expect(value(normalizeFieldValue('CallRequestDateTime', '2026-05-01T10:00:00'))).toMatch(
      /^!CallRequestDateTime must be an ISO 8601 instant/,
    );
    expect(value(normalizeFieldValue('CallRequestDateTime', '2026-13-01T10:00:00Z'))).toMatch(/^!/);
  });

  it('reads CallRequestStaleMinutes as a non-negative whole number', () => {
    expect(value(normalizeFieldValue('CallRequestStaleMinutes', '30'))).toBe(30);
    expect(value(normalizeFieldValue('CallRequestStaleMinutes', -5))).toMatch(/^!/);
  });

  it('keeps custom numbers and booleans as given, text cleaned', () => {
    expect(value(normalizeFieldValue('Custom.Balance', 12.5))).toBe(12.5);
    expect(value(normalizeFieldValue('Custom.Vip', true))).toBe(true);
    expect(value(normalizeFieldValue('Custom.Plan', ' Gold '))).toBe('Gold');
    expect(value(normalizeFieldValue('Custom.Plan', { a: 1 }))).toMatch(/^!Custom.Plan/);
  });

  it('never throws, for any field and value', () => {
    const field = fc.oneof(fc.constantFrom(...SYSTEM_FIELDS), fc.constant('Custom.X')) as fc.Arbitrary<SystemField>;
    fc.assert(fc.property(field, fc.anything(), (f, v) => void normalizeFieldValue(f, v)));
  });
});

describe('text helpers', () => {
  it('counts null, undefined and blank text as absent', () => {
    expect([null, undefined, '', ' \t'].every(isAbsent)).toBe(true);
    expect([0, false, 'x', {}].some(isAbsent)).toBe(false);
  });

  it('repairs lone surrogates and drops control characters', () => {
    expect(cleanText('a\ud800b')).toBe('a\ufffdb');
    expect(cleanText('😀')).toBe('😀');
    expect(cleanText('\u0085x\u009f')).toBe('x');
  });
});
