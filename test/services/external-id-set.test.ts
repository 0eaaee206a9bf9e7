import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExternalIdSet } from '../../src/services/external-id-set';

// Few code units, so IDs repeat; narrow (< 0x100) and wide ones, lone surrogates included, so
// strings that UTF-8 would encode alike (each lone surrogate as U+FFFD) must still differ.
const id = fc.string({
  unit: fc.constantFrom('a', 'b', '1', '\u00e9', '\u00ff', '\u0100', '\u4e2d', '\ud800', '\udbff', '\udc00'),
  maxLength: 5,
});
const ops = fc.array(fc.tuple(fc.boolean(), id), { maxLength: 300 });

/** Runs the operations on both sets and lists every answer of each. */
function answers(compact: ExternalIdSet, ops: [boolean, string][]): { compact: unknown[]; set: unknown[] } {
  const set = new Set<string>();
  const out = { compact: [] as unknown[], set: [] as unknown[] };
  for (const [isAdd, value] of ops) {
    if (isAdd) {
      compact.add(value);
      set.add(value);
    }
    out.compact.push(compact.has(value), compact.size);
    out.set.push(set.has(value), set.size);
  }
  return out;
}

describe('ExternalIdSet', () => {
  it('answers has, add and size exactly like a Set<string>', () => {
    fc.assert(
      fc.property(ops, (ops) => {
        const { compact, set } = answers(new ExternalIdSet(), ops);
        expect(compact).toEqual(set);
      }),
      { numRuns: 500 },
    );
  });

  it('tells IDs apart by their characters when every hash collides', () => {
    fc.assert(
      fc.property(ops, fc.integer(), (ops, constant) => {
        const { compact, set } = answers(new ExternalIdSet(() => constant), ops);
        expect(compact).toEqual(set);
      }),
      { numRuns: 300 },
    );
  });

  it('stays exact past its first sizes (growth of every array, rehashing)', () => {
    const compact = new ExternalIdSet();
    const set = new Set<string>();
    let wrong = 0;
    for (let i = 0; i < 200_000; i++) {
      const value = i % 3 === 0 ? `EXT-${i}` : `\u4e2d-${i % 70_000}`;
      if (compact.has(value) !== set.has(value)) wrong++;
      compact.add(value);
      set.add(value);
    }
    for (let i = 0; i < 200_000; i++) if (compact.has(`EXT-${i}`) !== (i % 3 === 0)) wrong++;
    expect(wrong).toBe(0);
    expect(compact.size).toBe(set.size);
  });
});
