import type { DbClient } from '../db/pool';
import { appendResultsEntry, readResultsEntries } from '../db/results-stream';
import type { PublishedRun } from './publish-results';

/** The stream keeps about this many runs; readers that fall further behind read the runs API. */
export const RESULTS_STREAM_MAXLEN = 1_000;

/** One entry of the results stream, the same on both backends. */
export interface ResultsEntry {
  /** The cursor: pass it back to read what came after. Opaque (a Redis stream id, or a row id). */
  id: string;
  run: PublishedRun;
}

/**
 * The results stream: every published run, in publication order, about the last
 * RESULTS_STREAM_MAXLEN of them. Redis keeps it in a stream (queue/results-stream-redis.ts),
 * QUEUE_BACKEND=postgres in a table with a NOTIFY per append (below).
 */
export interface ResultsStream {
  append(run: PublishedRun): Promise<void>;
  /** Entries after `cursor` (`'0'`: from the oldest kept), oldest first, at most `count`. */
  read(cursor: string, count: number): Promise<ResultsEntry[]>;
}

/** The stream as the `results_stream` table (migration 030); readers that wait LISTEN on RESULTS_CHANNEL. */
export class PostgresResultsStream implements ResultsStream {
  constructor(private readonly db: DbClient) {}

  async append(run: PublishedRun): Promise<void> {
    await appendResultsEntry(
      this.db,
      { runId: run.RunId, skillNo: run.SkillNo, sourceName: run.SourceName, counts: run.Counts, results: run.Results },
      RESULTS_STREAM_MAXLEN,
    );
  }

  async read(cursor: string, count: number): Promise<ResultsEntry[]> {
    const after = /^\d+$/.test(cursor) ? Number(cursor) : 0;
    const rows = await readResultsEntries(this.db, after, count);
    return rows.map((r) => ({
      id: String(r.id),
      run: { RunId: r.runId, SkillNo: r.skillNo, SourceName: r.sourceName, Counts: r.counts, Results: r.results } as PublishedRun,
    }));
  }
}
