import type { Logger } from 'pino';
import type { AppDeps } from '../app-deps';
import { ConfigError, loadConfig, type Config } from '../config';
import { createPool } from '../db/pool';
import { createLogger, logFormatFor } from '../observability/logger';
import { scopeToInstallation } from '../services/installation-scope';
import { isCallError } from '../services/errors';
import { CALL_ERROR_EXIT_CODE, ExitCode, UsageError } from './exit-code';

/** The environment, validated; a bad value is a usage error (exit 2) naming the variable. */
export function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.code, err.message);
    throw err;
  }
}

/**
 * Log lines of a service role go to stdout (what container logs collect); an operator
 * command's go to stderr, so its stdout holds only its answer (a table, JSON, CSV).
 */
export function roleLogger(config: Config, role: string): Logger {
  return createLogger({ level: config.logLevel, role, format: logFormatFor(1, config.logFormat) });
}

export function commandLogger(config: Config): Logger {
  // The answer is the command's output; its info lines would only repeat it. LOG_LEVEL, when
  // set, still chooses.
  const level = process.env.LOG_LEVEL ? config.logLevel : 'warn';
  return createLogger({ level, role: 'cli', fd: 2, format: logFormatFor(2, config.logFormat) });
}

/**
 * Runs an operator command with the service's dependencies, ending the pool however it went.
 * The command answers its exit code.
 */
export async function withDeps(work: (deps: AppDeps) => Promise<number>, opts: { poolSize?: number } = {}): Promise<number> {
  const config = readConfig();
  const logger = commandLogger(config);
  const pool = createPool(config.databaseUrl, { max: opts.poolSize ?? 2 });
  // An idle client's error (Postgres restarted) must not crash the process with an unhandled event.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'idle database connection failed'));
  try {
    // Commands that queue jobs (refill) or read keys must use the roles' installation-scoped prefix.
    return await work({ config: await scopeToInstallation(pool, config), pool, logger, now: () => new Date() });
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/**
 * Says what went wrong on stderr, with the code for call-level errors and no stack trace for
 * anything the caller can fix; answers the exit code.
 */
export function reportError(err: unknown): number {
  if (isCallError(err) || err instanceof UsageError) {
    process.stderr.write(`prospect-feeder: ${err.code}: ${err.message}\n`);
    return isCallError(err) ? CALL_ERROR_EXIT_CODE[err.code] : ExitCode.Usage;
  }
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const prefix = typeof code === 'string' && /^[A-Za-z]+$/.test(code) ? `${code}: ` : '';
  process.stderr.write(`prospect-feeder: ${prefix}${message}\n`);
  if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') {
    process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
  }
  return ExitCode.Failed;
}
