import type { DbClient } from '../db/pool';
import { recordKeysOfRun, type StoredResult } from '../db/run-reads';
import { isPlainObject } from '../domain/plain-object';
import { storedResults } from './run-results';

/** Leading characters a spreadsheet reads as a formula (OWASP's list for CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: RFC 4180 quoting where needed, and a leading `'` where a spreadsheet would
 * otherwise run the cell as a formula (`=HYPERLINK(...)`, `+1 212...`, `@SUM(...)`).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

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
