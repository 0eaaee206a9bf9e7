/** Per-record answers of CREATEPROSPECTS v2, as script authors know them. */
export const SUCCESS_CODES = ['Created', 'Updated'] as const;
export const FAILURE_CODES = [
  'InvalidRecord',
  'MissingExternalId',
  'DuplicateExternalId',
  'MissingPhoneNumber',
  'InvalidPhoneNumber',
  'TimeZoneNotFound',
  'InvalidExpirationDate',
  'Expired',
  'InvalidFieldValue',
  'DoNotCall',
] as const;
/** Answers of REMOVEPROSPECTS. */
export const REMOVE_CODES = ['Removed', 'NotFound'] as const;

export type SuccessCode = (typeof SUCCESS_CODES)[number];
export type FailureCode = (typeof FAILURE_CODES)[number];
export type RemoveCode = (typeof REMOVE_CODES)[number];
export type ResultCode = SuccessCode | FailureCode | RemoveCode;

export const RESULT_CODES: readonly ResultCode[] = [...SUCCESS_CODES, ...FAILURE_CODES, ...REMOVE_CODES];

const successes = new Set<string>([...SUCCESS_CODES, 'Removed']);
export function isSuccess(code: ResultCode): boolean {
  return successes.has(code);
}
