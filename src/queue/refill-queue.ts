import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { closeWithin } from './close-within';
import { liveDedupIds, newQueue, queueStoreName, type BackendConfig } from './queue-backend';
import { fetchJobOptions, QUEUE_NAMES, tuning as tuningWith, type QueueTuning } from './queue-settings';

/** What a fetch job carries: no record, no number, nothing personal (the job dashboard shows it). */
export interface RefillJobData {
  skillNo: number;
  /** Records wanted: TargetDepth - CallableNow, or what an operator asked. */
  count: number;
  origin: 'Brain' | 'Manual';
}

export interface RefillEnqueued {
  JobId: string;
  /** True when a fetch of the skill was already waiting, delayed or running: that one is the answer. */
  Deduplicated: boolean;
}

/** The one deduplication id of a skill's fetches. */
export function refillDedupId(skillNo: number): string {
  return `refill-${skillNo}`;
}

/**
 * Adds per addBulk. On Postgres one batch is one transaction that takes an advisory lock per
 * deduplication id: bounded so that two brains' batches stay well inside the shared lock table
 * (max_locks_per_transaction x max_connections, 6,400 by default).
 */
const ADD_BATCH = 500;

/** A skill's fetch as BullMQ adds it: a unique job id, the skill's one deduplication id. */
function refillJob(data: RefillJobData) {
  const opts = { jobId: `refill-${data.skillNo}-${randomUUID()}`, deduplication: { id: refillDedupId(data.skillNo) } };
  return { name: 'refill', data, opts };
}

/** The add's answer: the job it named is ours, or the skill's fetch already in flight. */
function enqueued(answered: string | undefined, jobId: string): RefillEnqueued {
  const id = answered ?? jobId;
  return { JobId: id, Deduplicated: id !== jobId };
}

/**
 * The fetch queue as producers see it. One fetch per skill at a time comes from BullMQ's
 * deduplication in simple mode: the skill's dedup key lives from the add until the job completes
 * or finally fails (retries and backoff included), so two brains, a brain and an operator, or a
 * hundred concurrent adds queue one job; the next add after the end queues a new one. Jobs get
 * unique ids, so finished jobs kept for the dashboard never block a new refill.
 */
export class RefillQueue {
  readonly queue: Queue<RefillJobData>;
  private readonly callTimeoutMs: number;
  private readonly config: BackendConfig;

  constructor(config: BackendConfig, opts: { tuning?: Partial<QueueTuning>; failFast?: boolean; callTimeoutMs?: number } = {}) {
    const t = tuningWith(opts.tuning);
    this.callTimeoutMs = opts.callTimeoutMs ?? 5_000;
    this.config = config;
    this.queue = newQueue<RefillJobData>(QUEUE_NAMES.fetch, config, {
      defaultJobOptions: fetchJobOptions(t),
      failFast: opts.failFast !== false,
    });
  }

  async enqueue(data: RefillJobData): Promise<RefillEnqueued> {
    const { opts } = refillJob(data);
    const job = await this.withDeadline(this.queue.add('refill', data, opts));
    return enqueued(job.id, opts.jobId);
  }

  /**
   * Many skills' fetches, each deduplicated as `enqueue`'s, the answers in order: one addBulk per
   * ADD_BATCH (a pipeline on Redis, one statement on Postgres). One add per skill waited its turn
   * for the Postgres queue's two connections: 1,000 adds took 16x Redis's time.
   */
  async enqueueAll(items: readonly RefillJobData[]): Promise<RefillEnqueued[]> {
    const answers: RefillEnqueued[] = [];
    for (let from = 0; from < items.length; from += ADD_BATCH) {
      const jobs = items.slice(from, from + ADD_BATCH).map(refillJob);
      const added = await this.withDeadline(this.queue.addBulk(jobs));
      answers.push(...added.map((job, i) => enqueued(job.id, jobs[i]!.opts.jobId)));
    }
    return answers;
  }

  /** RefillInFlight of the dial-queue answer: a fetch of the skill is waiting, delayed or running. */
  async refillInFlight(skillNo: number): Promise<boolean> {
    return (await this.inFlight([skillNo])).has(skillNo);
  }

  /**
   * The one answer to "is a fetch of this skill in flight?" (the brain, the dial-queue answer,
   * lists): its deduplication key names a job that still exists. BullMQ drops the key when the
   * job ends (completed, or failed for good) and an add replaces a key whose job is gone, so this
   * is exactly "an add now would be deduplicated". Two Redis round trips, or one statement on
   * Postgres, for any number of skills (an add is a script each, ~0.3 ms apiece). A refill ending
   * right after this read is caught at the skill's next check.
   */
  async inFlight(skillNos: readonly number[]): Promise<Set<number>> {
    if (skillNos.length === 0) return new Set();
    const live = await this.withDeadline(liveDedupIds(this.queue as Queue, this.config, skillNos.map(refillDedupId)));
    return new Set(skillNos.filter((n) => live.has(refillDedupId(n))));
  }

  async close(timeoutMs = 5_000): Promise<void> {
    await closeWithin(this.queue, timeoutMs);
  }

  /** Bounds a call on the queue, its failure naming the store the queue is on (an operator's first question). */
  private withDeadline<T>(work: Promise<T>): Promise<T> {
    return withDeadline(work, this.callTimeoutMs, `the job queue (${queueStoreName(this.config)})`);
  }
}

export class QueueUnavailable extends Error {
  readonly code = 'QueueUnavailable';
  constructor(message: string) {
    super(message);
    this.name = 'QueueUnavailable';
  }
}

/**
 * Bounds a call on the queue: the first connect of a queue waits for Redis however long it is
 * down, and a Postgres queue waits up to its connect timeout (5 s).
 */
async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailable(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } catch (err) {
    if (err instanceof QueueUnavailable) throw err;
    throw new QueueUnavailable(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(timer);
  }
}
