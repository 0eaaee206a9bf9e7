import type { AppDeps } from '../app-deps';
import * as prospects from '../db/prospects';
import * as skills from '../db/skills';
import { normalizePhone } from '../domain/phone-number';
import type { PhoneType, TimeZoneSource } from '../domain/prospect';
import { CallError } from './errors';
import { unknownSkill } from './skills';

export const DEFAULT_READ_LIMIT = 100;

export interface ProspectQueryInput {
  SourceName?: string;
  ExternalID?: string;
  /** As written by the caller; normalized to E.164 with DEFAULT_COUNTRY before matching. */
  PhoneNumber?: string;
  Limit?: number;
}

/** GETPROSPECT's answer for one contact. */
export interface ProspectView {
  ExternalID: string;
  SourceName: string;
  FirstName: string | null;
  LastName: string | null;
  TimeZone: string;
  TimeZoneSource: TimeZoneSource;
  ExpirationDate: string | null;
  Priority: number;
  Score: number | null;
  Fields: Record<string, unknown>;
  /** Active, Finalized, or Expired (active but past its expiration). */
  Status: string;
  Destinations: { PhoneNumber: string; Type: PhoneType; TimeZone: string }[];
}

/**
 * GETPROSPECT: a skill's prospects by ExternalID or by phone number, finalized and expired ones
 * included. At least one of ExternalID and PhoneNumber is required: this reads contacts, it does
 * not page through a skill.
 */
export async function readProspects(
  deps: Pick<AppDeps, 'pool' | 'config' | 'now'>,
  skillNo: number,
  query: ProspectQueryInput,
): Promise<{ Prospects: ProspectView[] }> {
  if (query.ExternalID === undefined && query.PhoneNumber === undefined) {
    throw new CallError('InvalidData', 'give ExternalID (with SourceName) or PhoneNumber to find prospects by');
  }
  let phoneNumber: string | null = null;
  if (query.PhoneNumber !== undefined) {
    const normalized = normalizePhone(query.PhoneNumber, deps.config.defaultCountry);
    if (!normalized) throw new CallError('InvalidPhoneNumber', 'PhoneNumber is not a valid phone number');
    phoneNumber = normalized.phoneNumber;
  }
  if (!(await skills.findSkill(deps.pool, skillNo))) throw unknownSkill(skillNo);
  const found = await prospects.findProspects(deps.pool, {
    skillNo,
    sourceName: query.SourceName ?? null,
    externalId: query.ExternalID ?? null,
    phoneNumber,
    limit: query.Limit ?? DEFAULT_READ_LIMIT,
  });
  const now = deps.now().getTime();
  return {
    Prospects: found.map((p) => ({
      ExternalID: p.externalId,
      SourceName: p.sourceName,
      FirstName: p.firstName,
      LastName: p.lastName,
      TimeZone: p.timeZone,
      TimeZoneSource: p.timeZoneSource,
      ExpirationDate: p.expirationDate,
      Priority: p.priority,
      Score: p.score,
      Fields: p.fields,
      Status: p.status === 'Active' && p.expiresAt !== null && p.expiresAt.getTime() <= now ? 'Expired' : p.status,
      Destinations: p.destinations.map((d) => ({ PhoneNumber: d.phoneNumber, Type: d.type, TimeZone: d.timeZone })),
    })),
  };
}
