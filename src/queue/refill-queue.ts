import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Config } from '../config';
import { closeWithin } from './close-within';
import {
  fetchJobOptions,
  producerConnection,
  QUEUE_NAMES,
  tuning as tuningWith,
  workerConnection,
  type QueueTuning,
} from './queue-settings';

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
 * The fetch queue as producers see it. One fetch per skill at a time comes from BullMQ's
 * deduplication in simple mode: the skill's dedup key lives from the add until the job completes
 * or finally fails (retries and backoff included), so two brains, a brain and an operator, or a
 * hundred concurrent adds queue one job; the next add after the end queues a new one. Jobs get
 * unique ids, so finished jobs kept for the dashboard never block a new refill.
 */
export class RefillQueue {
  readonly queue: Queue<RefillJobData>;
  private readonly callTimeoutMs: number;

  constructor(
    config: Pick<Config, 'redisUrl' | 'queuePrefix'>,
    opts: { tuning?: Partial<QueueTuning>; failFast?: boolean; callTimeoutMs?: number } = {},
  ) {
    const t = tuningWith(opts.tuning);
    this.callTimeoutMs = opts.callTimeoutMs ?? 5_000;
    this.queue = new Queue<RefillJobData>(QUEUE_NAMES.fetch, {
      connection: opts.failFast === false ? workerConnection(config) : producerConnection(config),
      prefix: config.queuePrefix,
      defaultJobOptions: fetchJobOptions(t),
    });
    // Connection trouble surfaces on the calls; the event would otherwise be unhandled.
    this.queue.on('error', () => undefined);
  }

  async enqueue(data: RefillJobData): Promise<RefillEnqueued> {
    const jobId = `refill-${data.skillNo}-${randomUUID()}`;
    const job = await withDeadline(
      this.queue.add('refill', data, { jobId, deduplication: { id: refillDedupId(data.skillNo) } }),
      this.callTimeoutMs,
    );
    const answered = job.id ?? jobId;
    return { JobId: answered, Deduplicated: answered !== jobId };
  }

  /** RefillInFlight of the dial-queue answer: a fetch of the skill is waiting, delayed or running. */
  async refillInFlight(skillNo: number): Promise<boolean> {
    return (await this.inFlight([skillNo])).has(skillNo);
  }

  /**
   * The one answer to "is a fetch of this skill in flight?" (the brain, the dial-queue answer,
   * lists): its deduplication key names a job that still exists. BullMQ drops the key when the
   * job ends (completed, or failed for good) and an add replaces a key whose job is gone, so this
   * is exactly "an add now would be deduplicated". Two round trips for any number of skills (an
   * add is a script each, ~0.3 ms apiece). A refill ending right after this read is caught at the
   * skill's next check.
   */
  async inFlight(skillNos: readonly number[]): Promise<Set<number>> {
    if (skillNos.length === 0) return new Set();
    const read = async () => {
      const client = await this.queue.getBackend().client;
      const ids = (await client.runCommand('mget', skillNos.map((n) => `${this.queue.keys.de}:${refillDedupId(n)}`))) as (string | null)[];
      const named = skillNos.flatMap((skillNo, i) => (ids[i] ? [{ skillNo, jobId: ids[i] }] : []));
      if (named.length === 0) return new Set<number>();
      const pipeline = client.pipeline();
      for (const n of named) pipeline.runCommand('exists', [this.queue.toKey(n.jobId)]);
      const exists = (await pipeline.exec()) ?? [];
      return new Set(named.filter((_, i) => exists[i]?.[0] === null && exists[i]?.[1] === 1).map((n) => n.skillNo));
    };
    return withDeadline(read(), this.callTimeoutMs);
  }

  async close(timeoutMs = 5_000): Promise<void> {
    await closeWithin(this.queue, timeoutMs);
  }
}

export class QueueUnavailable extends Error {
  readonly code = 'QueueUnavailable';
  constructor(message = 'the job queue (Redis) did not answer in time') {
    super(message);
    this.name = 'QueueUnavailable';
  }
}

/** Bounds a call on Redis: the first connect of a queue waits for Redis however long it is down. */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailable()), ms);
  });
  try {
    return await Promise.race([work, late]);
  } catch (err) {
    if (err instanceof QueueUnavailable) throw err;
    throw new QueueUnavailable(`the job queue (Redis) failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(timer);
  }
}
