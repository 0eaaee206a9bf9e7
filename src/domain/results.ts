import { isPlainObject } from './plain-object';
import type { ProspectRow, RecordFailure, RecordResult } from './prospect';
import { isSuccess, type SuccessCode } from './result-code';

/** The `Results` of a CREATEPROSPECTS (or REMOVEPROSPECTS) answer. */
export interface ResultGroups {
  SuccessfulRecords: Array<Record<string, unknown>>;
  FailedRecords: Array<Record<string, unknown>>;
}

/** What results need of a stored row: its position, its key and the warnings for its message. */
export type StoredRow = Pick<ProspectRow, 'index' | 'externalId' | 'warnings'>;

/**
 * One result per input record, in input order, ready to store as run results: a failure where
 * the pipeline (or the service, e.g. DoNotCall) gave one, else the stored outcome
 * (Created/Updated) with the row's warnings as its message.
 *
 * `records` are the inputs whose indexes run from `startIndex` (a chunk of a bigger call).
 * Every index must have exactly one of a failure or a stored outcome; anything else is a bug
 * upstream and throws rather than answer a record twice or not at all.
 */
export function recordResults(
  records: readonly unknown[],
  rows: readonly StoredRow[],
  failures: readonly RecordFailure[],
  stored: ReadonlyMap<number, SuccessCode>,
  startIndex = 0,
): RecordResult[] {
  const end = startIndex + records.length;
  const failed = new Map<number, RecordFailure>();
  for (const f of failures) {
    if (f.index < startIndex || f.index >= end) throw outside('failure', f.index, startIndex, end);
    if (failed.has(f.index)) throw new Error(`results: two failures for index ${f.index}`);
    failed.set(f.index, f);
  }
  const rowAt = new Map<number, StoredRow>();
  for (const r of rows) rowAt.set(r.index, r);

  const results: RecordResult[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const index = startIndex + i;
    const failure = failed.get(index);
    const outcome = stored.get(index);
    if (failure !== undefined) {
      if (outcome !== undefined) throw new Error(`results: index ${index} both failed and stored`);
      results[i] = failure;
      continue;
    }
    if (outcome === undefined) throw new Error(`results: index ${index} has no result`);
    const row = rowAt.get(index);
    const result: RecordResult = {
      index,
      record: records[i],
      externalId: row?.externalId ?? null,
      resultCode: outcome,
    };
    if (row !== undefined && row.warnings.length > 0) result.resultMessage = row.warnings.join('; ');
    results[i] = result;
  }
  for (const index of stored.keys()) {
    if (index < startIndex || index >= end) throw outside('stored outcome', index, startIndex, end);
  }
  return results;
}

function outside(what: string, index: number, start: number, end: number): Error {
  return new Error(`results: ${what} for index ${index} outside ${start}..${end - 1}`);
}

/** The answer's two groups, input order kept within each. */
export function answerResults(results: readonly RecordResult[]): ResultGroups {
  const groups: ResultGroups = { SuccessfulRecords: [], FailedRecords: [] };
  for (const r of results) {
    (isSuccess(r.resultCode) ? groups.SuccessfulRecords : groups.FailedRecords).push(echoRecord(r));
  }
  return groups;
}

/**
 * The input record as given plus ResultCode (and ResultMessage where there is one). An element
 * that is not an object cannot carry properties: it is echoed as `{ "Record": <element>, ... }`.
 */
export function echoRecord(result: RecordResult): Record<string, unknown> {
  const echo: Record<string, unknown> = isPlainObject(result.record) ? { ...result.record } : { Record: result.record };
  echo.ResultCode = result.resultCode;
  if (result.resultMessage !== undefined) echo.ResultMessage = result.resultMessage;
  return echo;
}
