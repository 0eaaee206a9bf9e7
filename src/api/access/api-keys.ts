import crypto from 'node:crypto';

import { ROLES, type Role } from '../../web/role';

export { ROLES, type Role };

export class ApiKeysError extends Error {
  readonly code = 'InvalidConfig';
}

export const OPEN_ACCESS_WARNING = 'API_KEYS is unset: the API is open to anyone who can reach it';

/**
 * The configured keys, kept only as SHA-256 digests. A presented key is hashed and compared with
 * every stored digest by `crypto.timingSafeEqual`, all of them every time: equal-length digests
 * mean neither a key's length nor how far a guess matched shows in the timing.
 */
export class KeyRing {
  private constructor(private readonly entries: ReadonlyArray<{ role: Role; digest: Buffer }>) {}

  /**
   * Parses `API_KEYS` (`role:key,role:key`). `undefined` or blank: no keys, the API is open.
   * A bad entry throws naming its position and what is wrong, never the key itself.
   */
  static parse(raw: string | undefined): KeyRing | null {
    if (raw === undefined || raw.trim() === '') return null;
    const entries: { role: Role; digest: Buffer }[] = [];
    const seen = new Set<string>();
    raw.split(',').forEach((part, i) => {
      const entry = part.trim();
      const where = `API_KEYS entry ${i + 1}`;
      if (entry === '') throw new ApiKeysError(`${where} is empty (expected role:key)`);
      const colon = entry.indexOf(':');
      if (colon === -1) throw new ApiKeysError(`${where} has no role (expected role:key, role one of ${ROLES.join(', ')})`);
      const role = entry.slice(0, colon).trim();
      const key = entry.slice(colon + 1).trim();
      if (!isRole(role)) throw new ApiKeysError(`${where} has an unknown role "${role}" (expected one of ${ROLES.join(', ')})`);
      if (key === '') throw new ApiKeysError(`${where} (${role}) has an empty key`);
      if (/\s/.test(key)) throw new ApiKeysError(`${where} (${role}) has a key containing whitespace`);
      const digest = sha256(key);
      const hex = digest.toString('hex');
      if (seen.has(hex)) throw new ApiKeysError(`${where} (${role}) repeats a key given earlier`);
      seen.add(hex);
      entries.push({ role, digest });
    });
    return new KeyRing(entries);
  }

  /** The role of a presented key, or `null` when it matches none. */
  roleOf(presented: string): Role | null {
    const digest = sha256(presented);
    let found: Role | null = null;
    for (const entry of this.entries) {
      // No early exit: every digest is compared whether or not one already matched.
      if (crypto.timingSafeEqual(entry.digest, digest) && found === null) found = entry.role;
    }
    return found;
  }

  get size(): number {
    return this.entries.length;
  }
}

/** What the service logs at start when it runs without keys; `null` when keys are set. */
export function openAccessWarning(keys: KeyRing | null): string | null {
  return keys === null ? OPEN_ACCESS_WARNING : null;
}

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

function sha256(s: string): Buffer {
  return crypto.createHash('sha256').update(s, 'utf8').digest();
}
