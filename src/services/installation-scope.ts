import type { Config } from '../config';
import type { DbClient } from '../db/pool';
import { readInstallationId } from '../db/installation';

/**
 * The prefix every BullMQ queue and Redis key of one database lives under: QUEUE_PREFIX, then
 * the database's installation id. RunIds, SkillNos and the job ids and keys made from them are
 * unique only within one database; two databases behind one Redis and one QUEUE_PREFIX (a reset,
 * staging beside production, a second deployment left on the default prefix) would otherwise
 * share job ids (a kept `writeback-1` swallowed the new run 1's write-back), refill
 * deduplication, the results stream, the brain's check times and the dashboard history, and each
 * one's workers would run the other's jobs against the wrong database.
 */
export function installationPrefix(queuePrefix: string, installationId: string): string {
  return `${queuePrefix}:${installationId}`;
}

/** The configuration with `queuePrefix` scoped to the database behind `db`. Once per process, at start. */
export async function scopeToInstallation(db: DbClient, config: Config): Promise<Config> {
  return { ...config, queuePrefix: installationPrefix(config.queuePrefix, await readInstallationId(db)) };
}
