import type { CallErrorCode } from '../services/errors';

/**
 * The CLI's exit codes (contract section 6): 0 done; 1 the work ran but some of it failed
 * (records of an import, a refill job) or the service itself failed; 2 a usage, configuration or
 * call-level error, answered before anything was written.
 */
export const ExitCode = {
  Ok: 0,
  Failed: 1,
  Usage: 2,
  /** An import stopped by SIGINT/SIGTERM part way, as shells report a Ctrl-C. */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The exit code of each refusal a use case answers, in one table (the API's statuses are in
 * src/api/call-error-status.ts). Every one is answered before anything is written, so all exit 2
 * as the contract asks, QueueUnavailable included for now. `satisfies` makes a code without an
 * exit code a type error.
 */
export const CALL_ERROR_EXIT_CODE = {
  InvalidData: ExitCode.Usage,
  InvalidPhoneNumber: ExitCode.Usage,
  InvalidTimeZone: ExitCode.Usage,
  InvalidExpirationDate: ExitCode.Usage,
  BatchTooLarge: ExitCode.Usage,
  InvalidSource: ExitCode.Usage,
  InvalidRootNode: ExitCode.Usage,
  InvalidFieldName: ExitCode.Usage,
  MissingRequiredField: ExitCode.Usage,
  ExceededMaxDestinations: ExitCode.Usage,
  MissingExternalId: ExitCode.Usage,
  UnknownSkill: ExitCode.Usage,
  UnknownSource: ExitCode.Usage,
  UnknownRun: ExitCode.Usage,
  UnknownClaim: ExitCode.Usage,
  UnknownSuppressionList: ExitCode.Usage,
  UnknownList: ExitCode.Usage,
  RunNotUndone: ExitCode.Usage,
  ClaimAlreadyReported: ExitCode.Usage,
  ClaimExpired: ExitCode.Usage,
  RefillNotConfigured: ExitCode.Usage,
  InventoryFull: ExitCode.Usage,
  ListReadOnly: ExitCode.Usage,
  ListInUse: ExitCode.Usage,
  RunAlreadyUndone: ExitCode.Usage,
  RunBusy: ExitCode.Usage,
  UndoExpired: ExitCode.Usage,
  FileNotFound: ExitCode.Usage,
  UnknownFormat: ExitCode.Usage,
  QueueUnavailable: ExitCode.Usage,
} as const satisfies Record<CallErrorCode, ExitCode>;

/** A usage error found by a command itself (a bad option combination, a file not JSON). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
