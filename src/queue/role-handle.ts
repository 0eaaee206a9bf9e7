import type { Queue, Worker } from 'bullmq';
import { closeWithin } from './close-within';

/** A running role (worker, brain): close() stops it within its tuning's closeTimeoutMs. */
export interface RoleHandle {
  close(): Promise<void>;
  /** BullMQ queues the role uses, for /metrics job counts and the job dashboard. */
  queues: Queue[];
}

/** A polite close within `ms`, else a forced one: active jobs are left to the stalled checker. */
export async function stopWorker(worker: Worker, ms: number): Promise<void> {
  await closeWithin(worker, ms, async () => {
    await closeWithin({ close: () => worker.close(true) }, 1_000, () => worker.disconnect());
  });
}
