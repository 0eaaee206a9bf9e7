import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { PublishedRun, PublishTargets } from '../services/publish-results';
import type { ResultsStream } from '../services/results-stream';
import { newQueue, type BackendConfig } from './queue-backend';
import { QUEUE_NAMES, writebackJobOptions, type QueueTuning } from './queue-settings';

/** What a write-back job carries: ids only, the results are read from Postgres when it runs. */
export interface WritebackJobData {
  runId: number;
  skillNo: number;
}

/** The one deduplication id of a run's write-backs (within the installation's prefix). */
export function writebackDedupId(runId: number): string {
  return `writeback-${runId}`;
}

export function writebackQueue(config: BackendConfig, t: QueueTuning): Queue<WritebackJobData> {
  return newQueue<WritebackJobData>(QUEUE_NAMES.writeback, config, { defaultJobOptions: writebackJobOptions(t) });
}

/** Where a published run goes: the results stream, and the write-back queue when one is owed. */
export function publishTargets(stream: ResultsStream, writeback: Queue<WritebackJobData>): PublishTargets {
  return {
    appendToStream: (run: PublishedRun) => stream.append(run),
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
