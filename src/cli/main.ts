import { Command } from 'commander';
import pino, { type Logger } from 'pino';
import { buildServer } from '../api/server';
import type { AppDeps } from '../app-deps';
import { ConfigError, loadConfig, type Config } from '../config';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';

/** Exit codes: 0 done, 1 the work ran but failed, 2 a usage, configuration or call-level error. */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/** The contract gives every role 15 s to stop; past this the process leaves with an error. */
const STOP_DEADLINE_MS = 14_000;

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`prospect-feeder: ${err.message}\n`);
      process.exit(EXIT_USAGE);
    }
    throw err;
  }
}

function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, base: { service: 'prospect-feeder' } });
}

/** Calls `stop` once on the first SIGTERM or SIGINT, then exits 0 (1 if stopping failed or hung). */
function stopOnSignal(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => {
      logger.error({ deadlineMs: STOP_DEADLINE_MS }, 'did not stop in time; exiting');
      process.exit(EXIT_FAILED);
    }, STOP_DEADLINE_MS).unref();
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'stopping failed');
        process.exit(EXIT_FAILED);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function runApi(role: string): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config);
  const pool = createPool(config.databaseUrl);
  const deps: AppDeps = { config, pool, logger, now: () => new Date() };
  const app = buildServer(deps);
  stopOnSignal(logger, async () => {
    await app.close();
    await pool.end();
  });
  if (!config.apiKeys) {
    logger.warn('API_KEYS is unset: the API is open to anyone who can reach it');
  }
  const address = await app.listen({ port: config.port, host: config.host });
  logger.info({ role, address }, 'prospect-feeder is up');
}

const program = new Command('prospect-feeder')
  .description('Keeps outbound dialing queues fed with prospects from a CRM')
  .showHelpAfterError()
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE));

program
  .command('migrate')
  .description('apply the database migrations (safe to run concurrently and repeatedly)')
  .action(async () => {
    const config = configOrExit();
    const logger = createLogger(config);
    const pool = createPool(config.databaseUrl, { max: 1 });
    try {
      const report = await migrate(pool);
      logger.info({ applied: report.applied, alreadyApplied: report.alreadyApplied.length }, 'migrations done');
    } finally {
      await pool.end();
    }
  });

program
  .command('start')
  .description('run the service in one process: the HTTP API (workers and brain join later)')
  .action(() => runApi('start'));

program
  .command('api')
  .description('run the HTTP API alone')
  .action(() => runApi('api'));

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`prospect-feeder: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(EXIT_FAILED);
});
