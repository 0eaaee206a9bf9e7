/**
 * Every code a use case refuses a call with, the contract's names (sections 3-6). The API picks
 * each one's HTTP status (`src/api/call-error-status.ts`) and the CLI its exit code
 * (`src/cli/exit-code.ts`), both in tables TypeScript holds to this list.
 */
export const CALL_ERROR_CODES = [
  // The caller's input is wrong.
  'InvalidData',
  'InvalidPhoneNumber',
  'InvalidTimeZone',
  'InvalidExpirationDate',
  'BatchTooLarge',
  // CREATESOURCEMAP (MappingRefusalCode) and a source map that cannot serve a load.
  'InvalidSource',
  'InvalidRootNode',
  'InvalidFieldName',
  'MissingRequiredField',
  'ExceededMaxDestinations',
  'MissingExternalId',
  // What the call names is not there.
  'UnknownSkill',
  'UnknownSource',
  'UnknownRun',
  'UnknownClaim',
  'UnknownSuppressionList',
  'UnknownList',
  'RunNotUndone',
  // The thing is there, its state refuses the call.
  'ClaimAlreadyReported',
  'ClaimExpired',
  'RefillNotConfigured',
  'InventoryFull',
  'ListReadOnly',
  'ListInUse',
  // Undo of a run (section 10): undone already, or not now (still stored, a load of its source
  // running), or its undo data is past UNDO_RETENTION_DAYS.
  'RunAlreadyUndone',
  'RunBusy',
  'UndoExpired',
  // A file an operator command was given.
  'FileNotFound',
  'UnknownFormat',
  // Something the service needs did not answer.
  'QueueUnavailable',
] as const;

export type CallErrorCode = (typeof CALL_ERROR_CODES)[number];
