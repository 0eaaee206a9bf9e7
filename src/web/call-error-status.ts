import type { CallError, CallErrorCode } from '../services/errors';

/**
 * The HTTP status of each refusal a use case answers, in one table: the use cases name what went
 * wrong, the API alone knows HTTP. `satisfies` makes a code without a status a type error.
 */
export const CALL_ERROR_STATUS = {
  InvalidData: 400,
  InvalidPhoneNumber: 400,
  InvalidTimeZone: 400,
  InvalidExpirationDate: 400,
  BatchTooLarge: 413,
  InvalidSource: 400,
  InvalidRootNode: 400,
  InvalidFieldName: 400,
  MissingRequiredField: 400,
  ExceededMaxDestinations: 400,
  MissingExternalId: 400,
  UnknownSkill: 404,
  UnknownSource: 404,
  UnknownRun: 404,
  UnknownClaim: 404,
  // A load into a skill whose Compliance names a list that is not there: the skill needs fixing.
  UnknownSuppressionList: 409,
  UnknownList: 404,
  // GET /v1/runs/{RunId}/undo of a run that was not undone: there is no undo to read.
  RunNotUndone: 404,
  ClaimAlreadyReported: 409,
  ClaimExpired: 409,
  RefillNotConfigured: 409,
  InventoryFull: 409,
  ListReadOnly: 409,
  ListInUse: 409,
  RunAlreadyUndone: 409,
  RunBusy: 409,
  UndoExpired: 410,
  // Only the CLI reads files; over HTTP they would be the caller's input, so 400.
  FileNotFound: 400,
  UnknownFormat: 400,
  QueueUnavailable: 503,
} as const satisfies Record<CallErrorCode, number>;

export function callErrorStatus(err: CallError): number {
  return CALL_ERROR_STATUS[err.code];
}

/**
 * The error as fastify and plugins with error handlers of their own (bull-board's) read it: with a
 * `statusCode`, so a refusal inside them stays a 4xx instead of becoming their 500.
 */
export function withStatus<E extends CallError>(err: E): E & { statusCode: number } {
  return Object.assign(err, { statusCode: callErrorStatus(err) });
}
