import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePath, isValidPath, MAX_PATH_DEPTH, MAX_PATH_LENGTH, pathProblem, readPath } from '../../src/domain/record-path';

describe('record paths', () => {
  it('accepts plain and nested paths, CSV headers with spaces included', () => {
    for (const p of ['Zip', 'contact.phones.0', 'Phone 1', 'a.b.c', 'x-y_z']) expect(pathProblem(p)).toBeUndefined();
  });

  it('refuses empty segments, prototype names, control characters, too long or too deep paths', () => {
    expect(pathProblem('')).toMatch(/empty/);
    expect(pathProblem('a..b')).toMatch(/empty segment/);
    expect(pathProblem('.a')).toMatch(/empty segment/);
    expect(pathProblem('a.')).toMatch(/empty segment/);
    expect(pathProblem('a.__proto__')).toMatch(/__proto__/);
    expect(pathProblem('constructor')).toMatch(/constructor/);
    expect(pathProblem('a.prototype.b')).toMatch(/prototype/);
    expect(pathProblem('a\nb')).toMatch(/control/);
    expect(pathProblem('a'.repeat(MAX_PATH_LENGTH))).toBeUndefined();
    expect(pathProblem('a'.repeat(MAX_PATH_LENGTH + 1))).toMatch(/longer/);
    expect(pathProblem(Array(MAX_PATH_DEPTH).fill('a').join('.'))).toBeUndefined();
    expect(
      pathProblem(
        Array(MAX_PATH_DEPTH + 1)
          .fill('a')
          .join('.'),
      ),
    ).toMatch(/deeper/);
    expect(pathProblem(5)).toMatch(/text/);
    expect(isValidPath(null)).toBe(false);
  });

  it('reads own properties and array indexes', () => {
    const record = { Zip: '10001', contact: { phones: ['212', '808'], name: { first: 'Ann' } } };
    expect(readPath(record, 'Zip')).toBe('10001');
    expect(readPath(record, 'contact.phones.1')).toBe('808');
    expect(readPath(record, 'contact.phones')).toEqual(['212', '808']);
    expect(readPath(record, 'contact.name.first')).toBe('Ann');
    expect(readPath(record, compilePath('contact.phones.0'))).toBe('212');
  });

  it('answers undefined for anything missing, inherited or not indexable', () => {
    const record = { a: { b: 1 }, list: ['x'], n: null };
    expect(readPath(record, 'missing')).toBeUndefined();
    expect(readPath(record, 'a.b.c')).toBeUndefined();
    expect(readPath(record, 'list.1')).toBeUndefined();
    expect(readPath(record, 'list.length')).toBeUndefined();
    expect(readPath(record, 'list.01')).toBeUndefined();
    expect(readPath(record, 'n.x')).toBeUndefined();
    expect(readPath(record, 'toString')).toBeUndefined();
    expect(readPath(record, 'a.hasOwnProperty')).toBeUndefined();
    expect(readPath('text', 'length')).toBeUndefined();
    expect(readPath({ '0': 'zero' }, '0')).toBe('zero');
  });

  it('refuses to compile a bad path', () => {
    expect(() => compilePath('a..b')).toThrow(/empty segment/);
    expect(() => readPath({}, '__proto__')).toThrow();
  });

  it('never throws reading a valid path from any value', () => {
    const segment = fc.string({ minLength: 1, maxLength: 6 }).filter((s) => isValidPath(s));
    const path = fc
      .array(segment, { minLength: 1, maxLength: 4 })
      .map((s) => s.join('.'))
      .filter(isValidPath);
    fc.assert(
      fc.property(fc.anything(), path, (value, p) => {
        readPath(value, p);
      }),
    );
  });
});
