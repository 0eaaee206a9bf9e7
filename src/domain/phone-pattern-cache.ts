import path from 'node:path';

/**
 * libphonenumber-js builds `new RegExp('^(?:' + pattern + ')$')` from its metadata on every
 * match (helpers/matchesEntirely.js), several times per number; for the US `max` patterns that
 * was a third of the whole CREATEPROSPECTS pipeline's time (profiled: 31% self time). This
 * replaces that helper, once at load, with one that keeps each compiled pattern: the metadata
 * holds a few thousand patterns at most, and the regexps have no `g` flag, so reuse is safe.
 * Measured: parse + isValid + getType of a US number went from ~42 us to ~29 us on a busy
 * 2-core machine.
 *
 * Only the CommonJS build is patched (what `require('libphonenumber-js/max')` loads, as the
 * compiled service and tsx do); an ESM import (vitest) keeps the library's own helper, with the
 * same answers. Where a future version moves or reshapes the helper, nothing is patched.
 */
export function installPatternCache(): boolean {
  try {
    const root = path.join(path.dirname(require.resolve('libphonenumber-js/max')), '..');
    const helper = path.join(root, 'build', 'helpers', 'matchesEntirely.js');
    // A file of libphonenumber's CJS build, found at run time: only require reaches it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(helper) as { default?: unknown; __patternCache?: true };
    if (mod.__patternCache) return true;
    if (typeof mod.default !== 'function' || mod.default.length !== 2) return false;
    const patterns = new Map<string, RegExp>();
    mod.default = function matchesEntirely(text: string | undefined, pattern: string): boolean {
      let re = patterns.get(pattern);
      if (re === undefined) {
        re = new RegExp(`^(?:${pattern})$`);
        patterns.set(pattern, re);
      }
      return re.test(text || '');
    };
    mod.__patternCache = true;
    return true;
  } catch {
    return false;
  }
}
