import type { Queue } from 'bullmq';
import pino from 'pino';
import type { AppDeps } from '../../src/app-deps';
import type { QueueBackendName } from '../../src/config';
import { DEFAULT_BACKEND, dropQueues, testConfig } from '../support/backends';
import type pg from 'pg';

/**
 * AppDeps for a test: its schema's pool, its own queue prefix and backend (a matrix leg's, else
 * DEFAULT_BACKEND: Redis only where REDIS_URL is set), a silent logger, the real clock.
 */
export function testDeps(
  pool: pg.Pool,
  queuePrefix: string,
  over: Partial<AppDeps> = {},
  backend: QueueBackendName = DEFAULT_BACKEND,
): AppDeps {
  return {
    config: testConfig(queuePrefix, { backend }),
    pool,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    now: () => new Date(),
    ...over,
  };
}

/** Waits until the job reaches one of `states`, failing the test after `ms`. */
export async function waitForJob(queue: Queue, jobId: string, states: string[], ms = 10_000): Promise<string> {
  const deadline = Date.now() + ms;
  let state = 'unknown';
  while (Date.now() < deadline) {
    state = await queue.getJobState(jobId);
    if (states.includes(state)) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${jobId} is ${state} after ${ms} ms, not ${states.join('/')}`);
}

/** Polls `probe` until it returns true, failing after `ms`. */
export async function eventually(probe: () => Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} not reached within ${ms} ms`);
}

/** Deletes every Redis key of a test's prefix (or, on `postgres`, BullMQ's schema of it). */
export function dropPrefix(prefix: string, backend: QueueBackendName = DEFAULT_BACKEND): Promise<void> {
  return dropQueues(backend, prefix);
}
