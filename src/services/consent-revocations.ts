import { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { parseExpiration } from '../domain/expiration';
import { isPlainObject } from '../domain/plain-object';
import type { ResultGroups } from '../domain/results';
import type { ReadEntry } from '../domain/suppression';
import { addEntries, entryReader, MAX_ENTRIES_PER_CALL } from './suppression-entries';
import { REVOCATIONS_LIST } from './suppression-lists';

const MAX_CHANNEL = 100;

export const RevocationsBodySchema = z.object({
  Data: z.array(z.unknown(), { error: 'must be an array of revocations' }).meta({
    description: `Up to ${MAX_ENTRIES_PER_CALL} revocations: { "PhoneNumber", "At"?, "Channel"? }`,
    example: [{ PhoneNumber: '+12125550100', At: '2026-03-02T14:55:00Z', Channel: 'SMS STOP' }],
  }),
});

/**
 * Records that the person at each number withdrew consent (47 CFR § 64.1200(a)(10)): an entry of
 * the built-in list Revocations, which applies to every skill and never expires. When (`At`, the
 * moment the person revoked; the call's time when absent) and how (`Channel`) are kept in the
 * entry's reason, so the history and the check show them; the batch keeps who recorded it.
 * Body `{ Data: [ { PhoneNumber, At?, Channel? } ] }`, answered per element as the entries call
 * is (Added, Updated, InvalidPhoneNumber, InvalidFieldValue).
 */
export async function recordRevocations(
  deps: Pick<AppDeps, 'pool' | 'now' | 'config' | 'logger'>,
  body: unknown,
  role: string | null,
): Promise<{ Results: ResultGroups; counts: Record<string, number> }> {
  const reader = (element: unknown, now: Date): ReadEntry => {
    if (!isPlainObject(element)) return { ok: false, code: 'InvalidFieldValue', message: 'the revocation is not an object' };
    let at = now;
    if (element.At !== undefined && element.At !== null) {
      const parsed = parseExpiration(element.At);
      if (parsed?.kind !== 'Instant') {
        return { ok: false, code: 'InvalidFieldValue', message: 'At must be an ISO 8601 instant with its offset (2026-03-02T14:55:00Z)' };
      }
      at = parsed.at;
    }
    const channel = element.Channel;
    if (channel !== undefined && channel !== null && (typeof channel !== 'string' || channel.length > MAX_CHANNEL)) {
      return { ok: false, code: 'InvalidFieldValue', message: `Channel must be text of at most ${MAX_CHANNEL} characters` };
    }
    const how = typeof channel === 'string' && channel.trim() !== '' ? ` via ${channel.trim().replace(/\u0000/g, '')}` : '';
    return entryReader(deps, now)({ PhoneNumber: element.PhoneNumber ?? null, Reason: `consent revoked at ${at.toISOString()}${how}` });
  };
  return addEntries(deps, REVOCATIONS_LIST, body, { role, source: 'Revocation' }, { allowBuiltIn: true, reader });
}
