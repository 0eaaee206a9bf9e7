/**
 * A worker process for the stalled-job test: it takes a fetch job and hangs on the CRM until the
 * test kills it with SIGKILL, as a machine that is lost mid-job would.
 */
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { createPool } from '../../src/db/pool';
import { startWorker } from '../../src/queue/worker-role';

async function main(): Promise<void> {
  const config = { ...loadConfig(), queuePrefix: process.env.TEST_PREFIX! };
  const pool = createPool(config.databaseUrl, { schema: process.env.TEST_SCHEMA! });
  await startWorker(
    { config, pool, logger: pino({ level: 'silent' }), now: () => new Date() },
    { tuning: { lockDurationMs: 2_000, stalledIntervalMs: 1_000 } },
  );
  process.stdout.write('ready\n');
}

void main();
