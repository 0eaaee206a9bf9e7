import type { CallErrorCode } from './codes';

/**
 * A refill that cannot succeed by trying again: the skill is gone or not set up for refills, or
 * its source map or Refill options refuse the load (any call-level code a load can answer).
 */
export class RefillNotPossible extends Error {
  override readonly name = 'RefillNotPossible';

  constructor(
    readonly code: CallErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The stored cursor moved while the CRM was read: another refill of the skill committed first
 * (only possible around a lost lock). The job is retried and reads after the new cursor.
 */
export class CursorMoved extends Error {
  override readonly name = 'CursorMoved';
  readonly code = 'CursorMoved';

  constructor(skillNo: number) {
    super(`the refill cursor of skill ${skillNo} moved while its CRM was read`);
  }
}
