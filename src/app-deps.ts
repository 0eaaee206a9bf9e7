import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from './config';

/**
 * What the adapters (HTTP routes, CLI, workers) are handed. Use cases take the parts they need;
 * nothing reaches for globals, and the clock is injected so the domain never reads it.
 */
export interface AppDeps {
  config: Config;
  pool: pg.Pool;
  logger: Logger;
  now: () => Date;
}
