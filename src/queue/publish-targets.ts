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
      // A fixed id per run: publishing a run twice never posts its results twice.
      await writeback.add('writeback', { runId, skillNo }, { jobId: `writeback-${runId}` });
    },
  };
}
