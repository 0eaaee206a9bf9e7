import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutDeeperThan, LEFT_OUT, nestsDeeperThan } from '../../src/domain/json-depth';

/** The obvious recursive depth, for comparison on values small enough for it. */
function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('nestsDeeperThan', () => {
  it('counts scalars as 0 levels and {} / [] as 1', () => {
    expect(nestsDeeperThan('x', 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan([], 1)).toBe(false);
    expect(nestsDeeperThan({ a: [{}] }, 2)).toBe(true);
    expect(nestsDeeperThan({ a: [{}] }, 3)).toBe(false);
  });

  it('agrees with the recursive depth', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.nat(10), (v, limit) => {
        expect(nestsDeeperThan(v, limit)).toBe(depthOf(v) > limit);
      }),
    );
  });

  it('walks a million levels without exhausting the stack', () => {
    const deep = JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000));
    expect(nestsDeeperThan(deep, 64)).toBe(true);
    expect(nestsDeeperThan(deep, 1_000_000)).toBe(false);
  });
});

describe('cutDeeperThan', () => {
  it('returns a value within the limit itself', () => {
    const v = { a: [1, { b: 2 }] };
    expect(cutDeeperThan(v, 3)).toBe(v);
  });

  it('leaves out what nests past the limit, keeping everything above it', () => {
    expect(cutDeeperThan({ a: [{ b: 1 }], c: 'x' }, 2)).toEqual({ a: [LEFT_OUT], c: 'x' });
    expect(cutDeeperThan([[]], 0)).toBe(LEFT_OUT);
  });

  it('never nests deeper than the limit, and changes nothing within it', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 1, max: 6 }), (v, limit) => {
        const cut = cutDeeperThan(v, limit);
        expect(nestsDeeperThan(cut, limit)).toBe(false);
        if (!nestsDeeperThan(v, limit)) expect(cut).toBe(v);
      }),
    );
  });

  it('cuts a million levels, and keeps a "__proto__" key a plain key', () => {
    const deep = JSON.parse(`{"__proto__":{"x":1},"d":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`);
    const cut = cutDeeperThan(deep, 3) as Record<string, unknown>;
    expect(JSON.stringify(cut)).toBe(`{"__proto__":{"x":1},"d":[["${LEFT_OUT}"]]}`);
    expect(Object.getPrototypeOf(cut)).toBe(Object.prototype);
  });
});
