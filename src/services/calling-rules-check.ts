import type { AppDeps } from '../app-deps';
import { checkCall } from '../domain/calling-check';
import { rulesForDialMode, type CallingRulesFile, type DialMode } from '../domain/calling-rules';
import { callingRulesInForce } from '../calling-rules-in-force';
import { normalizePhone } from '../domain/phone-number';
import { destinationZone, resolveTimeZone } from '../domain/time-zone';
import { stateFromNumber, stateFromValue, stateFromZip } from '../domain/us-state';
import { CallError } from './errors';
import { getSkill } from './skills';

export interface CallingRulesCheckQuery {
  PhoneNumber: string;
  State?: string;
  Zip?: string;
  At?: string;
  SkillNo?: number;
  /** As a claim's Mode: Autodial (the default) or Manual. */
  Mode?: DialMode;
}

export interface CallingRulesCheckAnswer {
  Callable: boolean;
  NextCallableAt: string | null;
  Reasons: string[];
}

/** The rules in force (the repository's file, plus CALLING_RULES_FILE's) as GET /v1/calling-rules answers them. */
export function readCallingRules(): CallingRulesFile {
  return callingRulesInForce();
}

/**
 * "May I call this number now, and if not, when?" for a number and its contact's State or Zip,
 * with or without a skill: the hours and closed days a claim applies (caps and suppression
 * are left out). The contact's zone is resolved as a load would (Zip, State, number prefix);
 * the number's own zone is its prefix's where that maps to one zone, else the contact's.
 */
export async function checkCallingRules(
  deps: Pick<AppDeps, 'pool'>,
  query: CallingRulesCheckQuery,
  now: Date,
): Promise<CallingRulesCheckAnswer> {
  const phone = normalizePhone(query.PhoneNumber, 'US');
  if (phone === null) throw new CallError('InvalidPhoneNumber', 'PhoneNumber is not a valid phone number');
  let contactStateCode: string | null = null;
  if (query.State !== undefined) {
    contactStateCode = stateFromValue(query.State);
    if (contactStateCode === null) throw new CallError('InvalidData', 'State names no US state or territory');
  } else if (query.Zip !== undefined) {
    contactStateCode = stateFromZip(query.Zip);
    if (contactStateCode === null) throw new CallError('InvalidData', 'Zip is no known US ZIP code');
  }
  let at = now;
  if (query.At !== undefined) {
    at = new Date(query.At);
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(query.At) || Number.isNaN(at.getTime())) {
      throw new CallError('InvalidData', 'At must be an ISO 8601 instant with an offset (2026-07-01T20:00:00-04:00)');
    }
  }
  const contact = resolveTimeZone(
    { zip: query.Zip, state: query.State, primaryNumber: phone.phoneNumber },
    { noTimeZoneReject: 'No', defaultTimeZone: null },
  );
  if (contact === null) throw new CallError('InvalidTimeZone', 'No time zone found for the number, State or Zip');
  const skill = query.SkillNo === undefined ? null : await getSkill(deps, query.SkillNo);
  const compliance = (skill as { Compliance?: { StateRules?: boolean } } | null)?.Compliance;
  const result = checkCall(rulesForDialMode(callingRulesInForce(), query.Mode ?? 'Autodial'), {
    number: { state: stateFromNumber(phone.phoneNumber), zone: destinationZone(phone.phoneNumber, contact.timeZone) },
    contact: { state: contactStateCode, zone: contact.timeZone },
    at,
    window: skill?.CallingWindow ?? null,
    stateRules: compliance?.StateRules ?? true,
  });
  return {
    Callable: result.callable,
    NextCallableAt: result.nextCallableAt === null ? null : result.nextCallableAt.toISOString(),
    Reasons: result.reasons,
  };
}
