/**
 * A refusal of a whole call, before anything is written: the caller's input is wrong
 * (`InvalidData`, `UnknownSkill`, `BatchTooLarge`, ...). Adapters turn it into their own
 * answer: an HTTP status and `{ error: { code, message } }`, a CLI exit code 2.
 */
export class CallError extends Error {
  override readonly name = 'CallError';

  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number = 400,
  ) {
    super(message);
  }

  /** Where fastify and plugins with error handlers of their own (bull-board's) read the status. */
  get statusCode(): number {
    return this.httpStatus;
  }
}

export function isCallError(err: unknown): err is CallError {
  return err instanceof CallError;
}

/**
 * The one message a caller reads for a zod failure: each bad property named by its path (`root`,
 * such as `body`, names the whole input when the input itself is wrong).
 */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], root?: string): string {
  const shown = issues.slice(0, 10).map((i) => {
    const path = i.path.map(String).join('.') || root;
    return path ? `${path}: ${i.message}` : i.message;
  });
  if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more`);
  return shown.join('; ');
}

export function invalidData(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): CallError {
  return new CallError('InvalidData', describeIssues(error.issues));
}

/** Caller text quoted back in a message, cut short: a 100 KB value must not become a 100 KB error. */
export function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
