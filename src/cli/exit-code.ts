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
