import type { Logger } from 'pino';

/**
 * The contract gives every role 15 s from SIGTERM to exit. Parts close in order, each racing
 * what is left of this deadline; past it the process exits anyway: jobs it was still running are
 * handed back by BullMQ's stalled-job check and run again on another worker.
 */
export const STOP_DEADLINE_MS = 13_000;

/** Something a role started and must close on the way out, in the order given. */
export interface RolePart {
  name: string;
  close(): Promise<void>;
}

/**
 * Keeps a role running until SIGTERM or SIGINT, then closes the parts started so far in the
 * reverse order of their starting (`started` may still grow after this call) and exits 0
 * (also when a part failed to close or the deadline passed: the process did stop, and what it
 * held is handed back). A second signal while stopping exits at once with 1.
 */
export function runUntilSignalled(logger: Logger, started: readonly RolePart[]): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal while stopping; exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    closeParts(logger, [...started].reverse(), STOP_DEADLINE_MS).then(
      (clean) => {
        if (clean) logger.info('stopped');
        else logger.warn({ deadlineMs: STOP_DEADLINE_MS }, 'stopped; some parts did not close in time or failed');
        process.exit(0);
      },
      () => process.exit(0),
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Closes parts in order within `ms` overall; answers whether every one closed cleanly in time. */
export async function closeParts(logger: Logger, parts: readonly RolePart[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  let clean = true;
  for (const part of parts) {
    const left = deadline - Date.now();
    if (left <= 0) {
      logger.warn({ part: part.name }, 'no time left to close');
      clean = false;
      continue;
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), left);
    });
    const outcome = await Promise.race([
      part.close().then(
        () => 'closed' as const,
        (err: unknown) => {
          logger.error({ part: part.name, err: err instanceof Error ? err.message : String(err) }, 'closing failed');
          return 'failed' as const;
        },
      ),
      late,
    ]);
    clearTimeout(timer);
    if (outcome === 'late') logger.warn({ part: part.name }, 'did not close in time');
    if (outcome !== 'closed') clean = false;
  }
  return clean;
}
