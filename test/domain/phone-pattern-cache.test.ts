import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installPatternCache } from '../../src/domain/phone-pattern-cache';

const requireCjs = createRequire(__filename);

describe('installPatternCache', () => {
  it("patches the CommonJS build's matcher, which then answers as before", () => {
    const file = path.join(path.dirname(requireCjs.resolve('libphonenumber-js/max')), '..', 'build', 'helpers', 'matchesEntirely.js');
    const mod = requireCjs(file) as { default: (text: string, pattern: string) => boolean; __patternCache?: true };
    const original = mod.default;
    // This file does not import phone-number.ts, which installs the cache on load.
    expect(mod.__patternCache).toBeUndefined();
    expect(installPatternCache()).toBe(true);
    expect(mod.__patternCache).toBe(true);
    expect(mod.default).not.toBe(original);
    expect(installPatternCache()).toBe(true);
    const patched = mod.default;
    for (const [text, pattern] of [
      ['2127365000', '[2-9]\\d{9}'],
      ['212736500', '[2-9]\\d{9}'],
      ['', '\\d*'],
      ['12', '1|12'],
    ] as const) {
      expect(patched(text, pattern)).toBe(new RegExp(`^(?:${pattern})$`).test(text));
    }
  });

  it('leaves the CommonJS API giving the same answers', () => {
    installPatternCache();
    const { parsePhoneNumberFromString } = requireCjs('libphonenumber-js/max') as typeof import('libphonenumber-js/max');
    const p = parsePhoneNumberFromString('+44 7911 123456');
    expect(p?.isValid()).toBe(true);
    expect(p?.getType()).toBe('MOBILE');
    expect(parsePhoneNumberFromString('+1 212 736 50000')?.isValid()).toBe(false);
  });
});
