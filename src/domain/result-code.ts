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
/** Answers of a suppression list's entries call (besides Updated and the failures above). */
export const SUPPRESSION_CODES = ['Added'] as const;
/** Answers of an undo of a run (besides Removed): put back as before the run, or left as it is. */
export const UNDO_CODES = ['Restored', 'ChangedSince'] as const;

export type SuccessCode = (typeof SUCCESS_CODES)[number];
export type FailureCode = (typeof FAILURE_CODES)[number];
export type RemoveCode = (typeof REMOVE_CODES)[number];
export type SuppressionCode = (typeof SUPPRESSION_CODES)[number];
export type UndoCode = (typeof UNDO_CODES)[number];
export type ResultCode = SuccessCode | FailureCode | RemoveCode | SuppressionCode | UndoCode;

export const RESULT_CODES: readonly ResultCode[] = [
  ...SUCCESS_CODES,
  ...FAILURE_CODES,
  ...REMOVE_CODES,
  ...SUPPRESSION_CODES,
  ...UNDO_CODES,
];

/**
 * The one rule of which answers are successes (the record reached, or left, the dialing queue as
 * asked): they go to `SuccessfulRecords`, every other code to `FailedRecords`. The API's filters,
 * the CLI, the dashboard (server and browser) all read it from here.
 */
export const SUCCESSFUL_CODES: readonly ResultCode[] = [...SUCCESS_CODES, 'Removed', ...SUPPRESSION_CODES, 'Restored'];
export const FAILED_CODES: readonly ResultCode[] = RESULT_CODES.filter((c) => !SUCCESSFUL_CODES.includes(c));

const successes = new Set<string>(SUCCESSFUL_CODES);
export function isSuccess(code: string): boolean {
  return successes.has(code);
}
