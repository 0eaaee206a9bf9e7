import type { DbClient } from '../db/pool';
import { owedWriteBacks } from '../db/run-publications';
import type { OwedWriteBacks } from '../observability/metrics';

/** Write-backs the CRM is still owed, as the metric and the dashboard show them: no record, no number. */
export type { OwedWriteBacks };

export async function readOwedWriteBacks(db: DbClient, now: Date): Promise<OwedWriteBacks> {
  const owed = await owedWriteBacks(db);
  const oldestSeconds = owed.oldestStoredAt ? Math.max(0, Math.round((now.getTime() - owed.oldestStoredAt.getTime()) / 1000)) : 0;
  return { count: owed.count, oldestSeconds };
}
