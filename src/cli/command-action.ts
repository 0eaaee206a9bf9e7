import { reportError } from './cli-runtime';

/**
 * Wraps a one-shot command: its answer is the exit code; an error is reported (see reportError)
 * and answered with its code. The process then exits, whatever client (Redis, a timer) lingers.
 */
export function commandAction<A extends unknown[]>(work: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code: number;
    try {
      code = await work(...args);
    } catch (err) {
      code = reportError(err);
    }
    process.exit(code);
  };
}
