import type { DbClient } from '../db/pool';
import { readRunResults, type StoredResult } from '../db/run-reads';
import type { RecordResult } from '../domain/prospect';
import type { ResultCode } from '../domain/result-code';
import { answerResults } from '../domain/results';
import type { CreateProspectsResults } from './create-prospects';

/** Rows read per statement when a whole run's results are gathered or streamed. */
export const RESULTS_PAGE = 5_000;

/** Every stored result of a run, page by page, in input order. */
export async function* storedResults(db: DbClient, runId: number, resultCodes?: readonly string[]): AsyncGenerator<StoredResult[]> {
  let afterSeq = -1;
  for (;;) {
    const page = await readRunResults(db, runId, { afterSeq, limit: RESULTS_PAGE, ...(resultCodes ? { resultCodes } : {}) });
    if (page.length === 0) return;
    yield page;
    afterSeq = page[page.length - 1]!.seq;
    if (page.length < RESULTS_PAGE) return;
  }
}

/** A run's results in the CREATEPROSPECTS v2 answer shape, as the API answered them. */
export async function runResults(db: DbClient, runId: number, resultCodes?: readonly string[]): Promise<CreateProspectsResults> {
  const all: RecordResult[] = [];
  for await (const page of storedResults(db, runId, resultCodes)) all.push(...page.map(toRecordResult));
  return answerResults(all);
}

export function toRecordResult(r: StoredResult): RecordResult {
  return {
    index: r.seq,
    record: r.record,
    externalId: r.externalId,
    resultCode: r.resultCode as ResultCode,
    ...(r.resultMessage !== null ? { resultMessage: r.resultMessage } : {}),
  };
}
