/**
 * A CRM source behind one small interface: the fetch worker asks for up to `limit` records after
 * a stored cursor and stores them together with the cursor it is handed back.
 */
export interface CrmPage {
  records: unknown[];
  /**
   * The cursor to store once `records` are stored: where the next fetch starts. It equals the
   * cursor asked with when the CRM gave no next cursor, so an unfinished last page is read again.
   */
  nextCursor: string | null;
}

/** What a CRM receives back when it asked for the results of a run. */
export interface RunResultsPayload {
  RunId: number;
  SkillNo: number;
  SourceName: string;
  Results: { SuccessfulRecords: unknown[]; FailedRecords: unknown[] };
}

export interface CrmConnector {
  fetch(cursor: string | null, limit: number, signal?: AbortSignal): Promise<CrmPage>;
  /** Present when the CRM takes the results back (an http connector with `ResultsUrl`). */
  writeBack?(payload: RunResultsPayload, signal?: AbortSignal): Promise<{ status: number }>;
}
