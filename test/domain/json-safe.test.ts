import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSafe } from '../../src/domain/json-safe';

describe('jsonSafe', () => {
  it('returns a value needing no repair itself', () => {
    const v = { a: [1, 'x', { b: null }], c: '😀' };
    expect(jsonSafe(v)).toBe(v);
  });

  it('removes NUL and replaces lone surrogates, in values and keys, deep', () => {
    const v = { 'k\u0000': ['a\u0000b', { c: 'x\udc00' }], ok: 1 };
    expect(jsonSafe(v)).toEqual({ k: ['ab', { c: 'x\ufffd' }], ok: 1 });
    expect(v['k\u0000'][0]).toBe('a\u0000b');
  });

  it('keeps a "__proto__" key a plain key', () => {
    const v = JSON.parse('{"__proto__": {"x": "a\\u0000"}}');
    const safe = jsonSafe(v) as Record<string, unknown>;
    expect(Object.getPrototypeOf(safe)).toBe(Object.prototype);
    expect(Object.keys(safe)).toEqual(['__proto__']);
    expect(JSON.stringify(safe)).toBe('{"__proto__":{"x":"a"}}');
  });

  it('always gives JSON text without NUL or lone surrogate escapes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(jsonSafe(v));
        expect(text).not.toMatch(/\\u0000|\\ud[89a-f][0-9a-f]{2}/i);
      }),
    );
  });
});
