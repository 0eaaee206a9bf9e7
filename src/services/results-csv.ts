import type { DbClient } from '../db/pool';
import { recordKeysOfRun, type StoredResult } from '../db/run-reads';
import { isPlainObject } from '../domain/plain-object';
import { csvLine } from './csv';
import { storedResults } from './run-results';

/** RecordNo is the record's 1-based position in the run's input. */
const FIXED = ['RecordNo', 'ResultCode', 'ResultMessage', 'ExternalID'] as const;

/**
 * A run's results as CSV lines, streamed page by page: the fixed columns, then one column per
 * top-level field of the records (nested values as JSON; a record that is not an object in
 * `Record`). The header comes from one statement over the run, so it is known before any row.
 */
export async function* resultsCsv(db: DbClient, runId: number, resultCodes?: readonly string[]): AsyncGenerator<string> {
  const keys = await recordKeysOfRun(db, runId, resultCodes);
  const recordColumns = keys.filter((k) => !(FIXED as readonly string[]).includes(k));
  const hasScalar = recordColumns.includes('Record');
  yield csvLine([...FIXED, ...recordColumns]);
  for await (const page of storedResults(db, runId, resultCodes)) {
    let chunk = '';
    for (const r of page) chunk += csvLine(row(r, recordColumns, hasScalar));
    yield chunk;
  }
}

function row(r: StoredResult, columns: readonly string[], hasScalar: boolean): unknown[] {
  const record = isPlainObject(r.record) ? r.record : hasScalar ? { Record: r.record } : {};
  return [r.seq + 1, r.resultCode, r.resultMessage, r.externalId, ...columns.map((c) => record[c])];
}
