import { Queue } from 'bullmq';
import type { Config } from '../config';
import { closeWithin } from './close-within';
import { QUEUE_NAMES, workerConnection } from './queue-settings';

/**
 * Handles on every queue of the service, for the job dashboard (/admin/queues) and the job
 * counts of /metrics in a process that does not otherwise hold them all. Read-only use: jobs
 * are added through RefillQueue and the publisher, with their options.
 */
export function openQueues(config: Pick<Config, 'redisUrl' | 'queuePrefix'>): { queues: Queue[]; close(): Promise<void> } {
  const queues = Object.values(QUEUE_NAMES).map((name) => {
    const q = new Queue(name, { connection: workerConnection(config), prefix: config.queuePrefix });
    q.on('error', () => undefined);
    return q;
  });
  return {
    queues,
    async close() {
      await Promise.all(queues.map((q) => closeWithin(q, 1_500)));
    },
  };
}
