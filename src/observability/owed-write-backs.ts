import type { DbClient } from '../db/pool';
import { owedWriteBacks } from '../db/run-publications';

/** Write-backs the CRM is still owed, as the metric and the dashboard show them: no record, no number. */
export interface OwedWriteBacks {
  count: number;
  /** Age of the oldest owed write-back's run; 0 when none is owed. */
  oldestSeconds: number;
}

export async function readOwedWriteBacks(db: DbClient, now: Date): Promise<OwedWriteBacks> {
  const owed = await owedWriteBacks(db);
  const oldestSeconds = owed.oldestStoredAt ? Math.max(0, Math.round((now.getTime() - owed.oldestStoredAt.getTime()) / 1000)) : 0;
  return { count: owed.count, oldestSeconds };
}
