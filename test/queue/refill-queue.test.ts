import type { Job, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newWorker } from '../../src/queue/queue-backend';
import { RefillQueue, type RefillJobData } from '../../src/queue/refill-queue';
import { QUEUE_NAMES } from '../../src/queue/queue-settings';
import { backendConfig, dropQueues, QUEUE_BACKENDS } from '../support/backends';
import { uniquePrefix } from '../support/db';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe.each(QUEUE_BACKENDS)('RefillQueue on %s', (backend) => {
  const config = backendConfig(backend, uniquePrefix('refillq'));
  let refill: RefillQueue;

  beforeAll(() => {
    refill = new RefillQueue(config, { tuning: { fetchAttempts: 2, fetchBackoffMs: 300 } });
  });
  afterAll(async () => {
    await refill.queue.obliterate({ force: true });
    await refill.close();
    await dropQueues(backend, config.queuePrefix);
  });

  /** A worker on the test's fetch queue that runs `process` for each job. */
  function worker(process: (job: Job<RefillJobData>) => Promise<unknown>): Worker<RefillJobData> {
    const w = newWorker<RefillJobData, unknown>(QUEUE_NAMES.fetch, process, config, { concurrency: 1 });
    w.on('error', () => undefined);
    return w;
  }

  it('queues one job for 100 concurrent refills of one skill, and a new one once it finished', async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => refill.enqueue({ skillNo: 11, count: 10 + i, origin: i % 2 ? 'Brain' : 'Manual' })),
    );
    const ids = new Set(answers.map((a) => a.JobId));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => !a.Deduplicated)).toHaveLength(1);
    expect(await refill.queue.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized')).toBe(1);
    expect(await refill.refillInFlight(11)).toBe(true);
    expect(await refill.refillInFlight(12)).toBe(false);

    // Still deduplicated while the job runs.
    const started = deferred();
    const release = deferred();
    const w = worker(async () => {
      started.resolve();
      await release.promise;
    });
    await started.promise;
    const whileActive = await refill.enqueue({ skillNo: 11, count: 1, origin: 'Brain' });
    expect(whileActive).toEqual({ JobId: [...ids][0], Deduplicated: true });
    expect(await refill.refillInFlight(11)).toBe(true);

    const completed = new Promise((r) => w.once('completed', r));
    release.resolve();
    await completed;
    expect(await refill.refillInFlight(11)).toBe(false);
    const next = await refill.enqueue({ skillNo: 11, count: 5, origin: 'Brain' });
    expect(next.Deduplicated).toBe(false);
    expect(next.JobId).not.toBe([...ids][0]);
    await w.close();
    await refill.queue.drain(true);
  });

  it('keeps deduplicating through retries and backoff, and lets a new refill in after the final failure', async () => {
    let runs = 0;
    const failedForGood = deferred();
    const w = worker(async () => {
      runs++;
      throw new Error('CRM down');
    });
    w.on('failed', (job) => {
      if (job && job.attemptsMade >= 2) failedForGood.resolve();
    });
    const first = await refill.enqueue({ skillNo: 21, count: 3, origin: 'Brain' });
    // Wait for the first failure: the job now rests in `delayed` until its backoff ends.
    await new Promise<void>((resolve) => w.once('failed', () => resolve()));
    expect(await refill.queue.getJobState(first.JobId)).toBe('delayed');
    expect(await refill.refillInFlight(21)).toBe(true);
    expect(await refill.enqueue({ skillNo: 21, count: 3, origin: 'Manual' })).toEqual({ JobId: first.JobId, Deduplicated: true });
    await failedForGood.promise;
    expect(runs).toBe(2);
    expect(await refill.refillInFlight(21)).toBe(false);
    const again = await refill.enqueue({ skillNo: 21, count: 3, origin: 'Manual' });
    expect(again.Deduplicated).toBe(false);
    await w.close();
  });

  it('tells many skills apart in one call', async () => {
    await refill.queue.drain(true);
    await refill.enqueue({ skillNo: 31, count: 1, origin: 'Brain' });
    await refill.enqueue({ skillNo: 33, count: 1, origin: 'Brain' });
    expect([...(await refill.inFlight([31, 32, 33]))].sort()).toEqual([31, 33]);
  });

  it('adds many skills in one call, each deduplicated against its fetch in flight and within the call, answers in order', async () => {
    await refill.queue.drain(true);
    const held = await refill.enqueue({ skillNo: 41, count: 1, origin: 'Manual' });
    const answers = await refill.enqueueAll([41, 42, 42, 43].map((skillNo) => ({ skillNo, count: 5, origin: 'Brain' as const })));
    expect(answers.map((a) => a.Deduplicated)).toEqual([true, false, true, false]);
    expect(answers[0]!.JobId).toBe(held.JobId);
    expect(answers[2]!.JobId).toBe(answers[1]!.JobId);
    expect(answers[3]!.JobId).toMatch(/^refill-43-/);
    expect(await refill.queue.getJobCountByTypes('waiting', 'active', 'delayed', 'prioritized')).toBe(3);
    expect((await refill.queue.getJob(answers[1]!.JobId))!.data).toEqual({ skillNo: 42, count: 5, origin: 'Brain' });
  });

  it('adds more skills than one bulk add holds, every one answered in order', async () => {
    await refill.queue.drain(true);
    const skillNos = Array.from({ length: 1_234 }, (_, i) => 1_000 + i);
    const answers = await refill.enqueueAll(skillNos.map((skillNo) => ({ skillNo, count: 1, origin: 'Brain' as const })));
    expect(answers.every((a) => !a.Deduplicated)).toBe(true);
    expect(answers.map((a) => Number(a.JobId.split('-')[1]))).toEqual(skillNos);
    expect(await refill.queue.getJobCountByTypes('waiting', 'prioritized')).toBe(skillNos.length);
    expect((await refill.inFlight(skillNos)).size).toBe(skillNos.length);
  });
});
