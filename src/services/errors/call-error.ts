import type { CallErrorCode } from './codes';
import { describeIssues, type Issue } from './messages';

/**
 * A refusal of a whole call, before anything is written: the caller's input is wrong, or what it
 * names is missing or in a state that refuses it. It carries a code and a message only; each
 * adapter picks its own answer from the code (the API a status, the CLI an exit code).
 */
export class CallError<C extends CallErrorCode = CallErrorCode> extends Error {
  override readonly name = 'CallError';

  constructor(
    readonly code: C,
    message: string,
  ) {
    super(message);
  }
}

export function isCallError(err: unknown): err is CallError {
  return err instanceof CallError;
}

export function invalidData(error: { issues: readonly Issue[] }): CallError<'InvalidData'> {
  return new CallError('InvalidData', describeIssues(error.issues));
}
