import type { ConnectionOptions, DefaultJobOptions } from 'bullmq';
import type { Config } from '../config';

/**
 * Every BullMQ name and option of the service in one place. Keys in Redis all start with the
 * configured prefix (`QUEUE_PREFIX`), so installs, and tests, sharing one Redis never meet; on
 * QUEUE_BACKEND=postgres the prefix names BullMQ's schema instead (queue-backend.ts).
 */
export const QUEUE_NAMES = {
  /** One job per refill of one skill; at most one per skill waiting, delayed or active. */
  fetch: 'fetch',
  /** One job per run whose results go back to the CRM's ResultsUrl. */
  writeback: 'writeback',
  /** The brain's ticks, made by a job scheduler so that one tick runs however many brains run. */
  brain: 'brain',
} as const;

/** Redis keys of the service's own, beside BullMQ's (no queue bears these names). */
export const redisKeys = (prefix: string) => ({
  /** Stream of published run results. */
  results: `${prefix}:results`,
  /** Hash SkillNo -> epoch ms of the brain's last check of that skill. */
  lastCheck: `${prefix}:refill:last-check`,
});

/**
 * Timings. The defaults satisfy the contract's "a job whose worker died runs again within a
 * minute": a dead worker's lock lapses within `lockDurationMs` (30 s) and the next stalled check
 * (every `stalledIntervalMs`, 15 s) hands the job back: 45 s at worst. Tests shrink them.
 */
export interface QueueTuning {
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** Times a job may be found stalled before it fails; a poison job must not loop for ever. */
  maxStalledCount: number;
  fetchConcurrency: number;
  fetchAttempts: number;
  /** First retry delay; it doubles each attempt, with jitter. */
  fetchBackoffMs: number;
  writebackConcurrency: number;
  writebackAttempts: number;
  writebackBackoffMs: number;
  brainEveryMs: number;
  /** How often the brain sweeps for publications and write-backs owed with no job behind them. */
  sweepEveryMs: number;
  /** Runs stored more recently than this are left to the worker that is publishing them. */
  sweepGraceMs: number;
  /**
   * How long a role's close() lets active jobs finish before it cuts the connections. The rest
   * of a close takes at most ~4 s more, which keeps a role inside the contract's 15 s.
   */
  closeTimeoutMs: number;
}

export const DEFAULT_TUNING: QueueTuning = {
  lockDurationMs: 30_000,
  stalledIntervalMs: 15_000,
  maxStalledCount: 2,
  fetchConcurrency: 4,
  fetchAttempts: 5,
  fetchBackoffMs: 2_000,
  writebackConcurrency: 4,
  // Exponential from 5 s over 10 attempts reaches about 40 minutes of trying.
  writebackAttempts: 10,
  writebackBackoffMs: 5_000,
  // The time from a queue dropping below its mark to the fetch being queued is up to one tick
  // plus the skill's interval. The refill plan counts a skill due up to half a tick early, so
  // clock slip no longer skips a tick; a 250 ms tick keeps a 1-second skill's refill visible in
  // ~0.7 s median, 1.2 s max (bench/refill-latency, against 1.2 s / 1.9 s at 1 s ticks before the
  // tolerance), and a tick with nothing due costs ~5-10 ms at 1,000 skills (bench/brain-tick).
  brainEveryMs: 250,
  sweepEveryMs: 30_000,
  sweepGraceMs: 60_000,
  closeTimeoutMs: 8_000,
};

export function tuning(over: Partial<QueueTuning> = {}): QueueTuning {
  return { ...DEFAULT_TUNING, ...over };
}

/**
 * Connection of a worker (and of anything that must wait out a Redis restart rather than fail):
 * BullMQ's blocking commands need `maxRetriesPerRequest: null`.
 */
export function workerConnection(config: Pick<Config, 'redisUrl'>): ConnectionOptions {
  return { url: config.redisUrl, maxRetriesPerRequest: null };
}

/**
 * Connection of a queue used while an HTTP request waits: with the offline queue off, a command
 * sent while Redis is down fails at once instead of holding the request until Redis returns.
 * (The very first connect still waits, so callers also bound each call with a timeout.)
 */
export function producerConnection(config: Pick<Config, 'redisUrl'>): ConnectionOptions {
  return { url: config.redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
}

/** Finished jobs stay for the job dashboard: completed ones a day (at most 1,000), failed ones a week (at most 5,000). */
const KEEP_COMPLETED = { age: 24 * 3600, count: 1_000 };
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 5_000 };

export function fetchJobOptions(t: QueueTuning): DefaultJobOptions {
  return {
    attempts: t.fetchAttempts,
    backoff: { type: 'exponential', delay: t.fetchBackoffMs, jitter: 0.5 },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  };
}

export function writebackJobOptions(t: QueueTuning): DefaultJobOptions {
  return {
    attempts: t.writebackAttempts,
    backoff: { type: 'exponential', delay: t.writebackBackoffMs, jitter: 0.5 },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  };
}

/** A worker's timings (its connection comes from queue-backend.ts). */
export function workerOptions(t: QueueTuning, concurrency: number) {
  return {
    concurrency,
    lockDuration: t.lockDurationMs,
    stalledInterval: t.stalledIntervalMs,
    maxStalledCount: t.maxStalledCount,
  };
}
