import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import type { PublishedRun, PublishTargets } from '../services/publish-results';
import { QUEUE_NAMES, redisKeys, workerConnection, writebackJobOptions, type QueueTuning } from './queue-settings';

/** What a write-back job carries: ids only, the results are read from Postgres when it runs. */
export interface WritebackJobData {
  runId: number;
  skillNo: number;
}

/** The one deduplication id of a run's write-backs (within the installation's prefix). */
export function writebackDedupId(runId: number): string {
  return `writeback-${runId}`;
}

/** The stream keeps about this many runs; readers that fall further behind read Postgres. */
export const RESULTS_STREAM_MAXLEN = 1_000;

export function writebackQueue(config: Pick<Config, 'redisUrl' | 'queuePrefix'>, t: QueueTuning): Queue<WritebackJobData> {
  const queue = new Queue<WritebackJobData>(QUEUE_NAMES.writeback, {
    connection: workerConnection(config),
    prefix: config.queuePrefix,
    defaultJobOptions: writebackJobOptions(t),
  });
  queue.on('error', () => undefined);
  return queue;
}

/**
 * Published runs go to one stream, `<prefix>:results`, trimmed to about RESULTS_STREAM_MAXLEN
 * entries; each entry holds RunId, SkillNo, SourceName, Counts and Results (JSON).
 */
export function publishTargets(redis: Redis, prefix: string, writeback: Queue<WritebackJobData>): PublishTargets {
  const stream = redisKeys(prefix).results;
  return {
    async appendToStream(run: PublishedRun) {
      await redis.xadd(
        stream,
        'MAXLEN',
        '~',
        RESULTS_STREAM_MAXLEN,
        '*',
        'RunId',
        String(run.RunId),
        'SkillNo',
        String(run.SkillNo),
        'SourceName',
        run.SourceName,
        'Counts',
        JSON.stringify(run.Counts),
        'Results',
        JSON.stringify(run.Results),
      );
    },
    async queueWriteBack(runId: number, skillNo: number) {
      // Not a fixed job id: finished jobs are kept, and a database restored from a backup (same
      // installation id) reuses RunIds, so a kept `writeback-<runId>` made the add a silent no-op.
      // Deduplication lasts only while the job lives (simple mode: until it completes or finally
      // fails), so publishing a run twice, or the sweeper re-queuing it, queues one job at a time,
      // and the job itself skips a run already Delivered.
      await writeback.add(
        'writeback',
        { runId, skillNo },
        { jobId: `writeback-${runId}-${randomUUID()}`, deduplication: { id: writebackDedupId(runId) } },
      );
    },
  };
}
