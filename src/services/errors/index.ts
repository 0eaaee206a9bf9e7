export { CallError, invalidData, isCallError } from './call-error';
export { CALL_ERROR_CODES, type CallErrorCode } from './codes';
export { clip, describeIssues, type Issue } from './messages';
export { CursorMoved, RefillNotPossible } from './refill-errors';
