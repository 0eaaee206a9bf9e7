import { forgetCheckTimes, readCheckTimes, recordCheckTimes } from '../db/check-times';
import type { DbClient } from '../db/pool';
import type { CheckTimes } from './brain-tick';

/** The brain's check times in `refill_check_times` (QUEUE_BACKEND=postgres): one statement each. */
export class PostgresCheckTimes implements CheckTimes {
  constructor(private readonly db: DbClient) {}

  read(): Promise<Map<number, number>> {
    return readCheckTimes(this.db);
  }

  record(checks: readonly { skillNo: number; checkMs: number }[]): Promise<void> {
    return recordCheckTimes(this.db, checks);
  }

  forget(skillNos: readonly number[]): Promise<void> {
    return forgetCheckTimes(this.db, skillNos);
  }
}
