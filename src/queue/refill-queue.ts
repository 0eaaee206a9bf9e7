import { randomUUID } from 'node:crypto';
import { Queue, type JobState } from 'bullmq';
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

const IN_FLIGHT: ReadonlySet<JobState | 'unknown'> = new Set<JobState | 'unknown'>([
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
]);

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

  /** The skills among `skillNos` with a fetch in flight (for lists and dashboards). */
  async inFlight(skillNos: readonly number[]): Promise<Set<number>> {
    const read = async () => {
      const ids = await Promise.all(skillNos.map((n) => this.queue.getDeduplicationJobId(refillDedupId(n))));
      return Promise.all(ids.map((id) => (id ? this.queue.getJobState(id) : Promise.resolve('unknown' as const))));
    };
    const states = await withDeadline(read(), this.callTimeoutMs);
    const busy = new Set<number>();
    skillNos.forEach((n, i) => {
      if (IN_FLIGHT.has(states[i] ?? 'unknown')) busy.add(n);
    });
    return busy;
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
