import type { QueueSnapshot } from '../services/read-queue-snapshot';
import type { QueueHistoryStore } from '../services/queue-history-store';

export interface QueueSampler {
  /** Takes one sample now (unless another process took this slot); resolves true if stored. */
  sampleNow(): Promise<boolean>;
  /** The sample taken at start. */
  readonly first: Promise<boolean>;
  /** Stops the timer and waits for a sample in progress. */
  stop(): Promise<void>;
}

/**
 * Samples every skill's queue into the dashboard history every `history.everyMs`, starting at
 * once. A sample still running when the next is due makes that one skip: a slow database delays
 * the chart, it never piles up queries.
 */
export function startQueueSampler(opts: {
  history: QueueHistoryStore;
  readSnapshot: () => Promise<QueueSnapshot[]>;
  now: () => Date;
  onError?: (err: unknown) => void;
}): QueueSampler {
  let running: Promise<boolean> | null = null;
  let stopped = false;

  const sampleNow = (): Promise<boolean> => {
    if (running) return running;
    running = (async () => {
      try {
        const at = opts.now();
        return await opts.history.record(await opts.readSnapshot(), at);
      } catch (err) {
        opts.onError?.(err);
        return false;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const timer = setInterval(() => {
    if (!stopped) void sampleNow();
  }, opts.history.everyMs);
  timer.unref();
  const first = sampleNow();

  return {
    sampleNow,
    first,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (running) await running;
    },
  };
}
