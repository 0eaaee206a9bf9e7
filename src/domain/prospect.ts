import type { FailureCode, ResultCode } from './result-code';

export const PHONE_TYPES = ['Mobile', 'Landline', 'VoIP', 'TollFree', 'Unknown'] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];

export const TIME_ZONE_SOURCES = ['Field', 'Zip', 'State', 'Phone', 'Default'] as const;
export type TimeZoneSource = (typeof TIME_ZONE_SOURCES)[number];

/** One phone number of a contact, ready to store. */
export interface Destination {
  /** E.164, e.g. +12125550100. */
  phoneNumber: string;
  type: PhoneType;
  /** IANA zone: the number's own prefix zone where it has exactly one, else the contact's. */
  timeZone: string;
  /** USPS state of its area code (calling rules); null outside the US states. */
  state: string | null;
  /** The called party consented to autodialed calls (ConsentPath said yes). */
  consent: boolean;
}

/** A contact that passed the pipeline, ready for the set-based upsert. */
export interface ProspectRow {
  /** Position of the source record in the call's Data, 0-based. */
  index: number;
  externalId: string;
  firstName: string | null;
  lastName: string | null;
  timeZone: string;
  timeZoneSource: TimeZoneSource;
  /** USPS state of the contact (its State, else its Zip) for the calling rules; null when unknown. */
  state: string | null;
  /** The contact's Compliance flag: its numbers must be dialed by hand (Manual claims only). */
  dialByHand: boolean;
  /** As answered on read-back: `2026-12-31` or an ISO instant with offset; null when none. */
  expirationDate: string | null;
  /** The instant the prospect stops being callable; null when it never expires. */
  expiresAt: Date | null;
  priority: number;
  score: number | null;
  /** Every other mapped system field, keyed by system field name (`Address`, `Custom.Plan`, ...). */
  fields: Record<string, unknown>;
  destinations: Destination[];
  /** Numbers dropped beside the valid ones, named (masked) for ResultMessage. */
  warnings: string[];
}

/** The answer for one input record. */
export interface RecordResult {
  index: number;
  /** The source record as given; what the answer echoes back. */
  record: unknown;
  externalId: string | null;
  resultCode: ResultCode;
  resultMessage?: string;
}

export interface RecordFailure extends RecordResult {
  resultCode: FailureCode;
}
