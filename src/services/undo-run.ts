import type { AppDeps } from '../app-deps';
import { inTransaction } from '../db/pool';
import { tryLockProspectSource } from '../db/prospects';
import * as undo from '../db/run-undo';
import { echoRecord } from '../domain/results';
import { CallError } from './errors';
import { getRunView, unknownRun } from './read-runs';

/**
 * Results undone per slice: each slice is a few set-based statements, and node holds one slice's
 * counts at a time (a 1,000,000-record import is undone in 100 slices with flat memory).
 */
export const UNDO_SLICE = 10_000;

/** Answers read per statement when an undo's answer is streamed. */
export const UNDO_ANSWER_PAGE = 5_000;

const DAY_MS = 86_400_000;

export const CHANGED_SINCE_MESSAGE = 'changed after the run (a later run, a claim, an outcome or a removal): left as it is';

export interface UndoOutcome {
  runId: number;
  /** ResultCode (Removed, Restored, ChangedSince) -> number of records. */
  counts: Record<string, number>;
  undoneAt: Date;
  undoneBy: string | null;
}

/**
 * Reverses a run in one transaction (contract section 10): each contact it created is removed,
 * each one it updated is put back as it was before it (fields and numbers), unless anything
 * changed the contact since (ChangedSince: left as it is). Suppression entries and revocations are
 * not touched, and a number finalized since stays finalized. The run then reads Undone, with who
 * undid it, when, and the counts of the answer.
 *
 * Refusals, before anything changes: an unknown run (404), one undone already (409, also for the
 * loser of two undos at once: the run row is locked FOR UPDATE, the second waits and then sees
 * Undone), one still being stored, or whose skill and source a load (an API call, a refill page,
 * an import batch) is storing right now (409: undo it when the load has finished, so no contact is
 * half loaded and half undone), one whose undo data is past UNDO_RETENTION_DAYS (410).
 */
export async function undoRun(
  deps: Pick<AppDeps, 'pool' | 'config' | 'now' | 'logger'>,
  runId: number,
  by: string | null,
): Promise<UndoOutcome> {
  const outcome = await inTransaction(deps.pool, async (client) => {
    const run = await undo.lockRunForUndo(client, runId);
    if (!run) throw unknownRun(runId);
    if (run.status === 'Undone') throw new CallError('RunAlreadyUndone', `run ${runId} is already undone: it cannot be undone twice`);
    const retentionDays = deps.config.undoRetentionDays;
    if (run.undonePurgedAt !== null || run.startedAt.getTime() < deps.now().getTime() - retentionDays * DAY_MS) {
      throw new CallError(
        'UndoExpired',
        `run ${runId} was stored on ${run.startedAt.toISOString()}: runs can be undone for ${retentionDays} days (UNDO_RETENTION_DAYS), and its undo data is gone`,
      );
    }
    if (run.finishedAt === null) {
      throw new CallError('RunBusy', `run ${runId} is still being stored (or was cut off before it finished): it cannot be undone now`);
    }
    if (!(await tryLockProspectSource(client, run.skillNo, run.sourceName))) {
      throw new CallError(
        'RunBusy',
        `a load into skill ${run.skillNo} from source "${run.sourceName}" (a refill, an import or an API call) is being stored now: undo run ${runId} when it has finished`,
      );
    }
    const counts: Record<string, number> = {};
    const last = await undo.lastResultSeq(client, runId);
    for (let from = 0; from <= last; from += UNDO_SLICE) {
      const slice = await undo.undoSlice(client, run, from, from + UNDO_SLICE);
      for (const [code, n] of Object.entries(slice)) counts[code] = (counts[code] ?? 0) + n;
    }
    const undoneAt = await undo.finishUndo(client, runId, by, counts);
    return { runId, counts, undoneAt, undoneBy: by };
  });
  deps.logger.info({ runId, counts: outcome.counts, by }, 'run undone');
  return outcome;
}

/**
 * What a run's undo answered, read back later (GET /v1/runs/{RunId}/undo): who, when, the counts
 * and, record by record, the answers it kept. 404 UnknownRun, or RunNotUndone for a run not undone.
 */
export async function readUndo(deps: Pick<AppDeps, 'pool'>, runId: number): Promise<UndoOutcome> {
  const run = await getRunView(deps, runId);
  if (run.Undo === null) {
    throw new CallError('RunNotUndone', `run ${runId} has not been undone: undo it with POST /v1/runs/${runId}/undo`);
  }
  return { runId, counts: run.Undo.Counts, undoneAt: new Date(run.Undo.At), undoneBy: run.Undo.By };
}

/**
 * The answer to an undo (API and dashboard) as JSON text, streamed: RunId, Summary, UndoneAt,
 * UndoneBy, then each record in the Results shape (SuccessfulRecords: Removed and Restored;
 * FailedRecords: ChangedSince), read back page by page from the answers the undo kept
 * (run_undo_answers), so a run of any size is answered with one page in node at a time.
 */
export async function* undoAnswerJson(
  deps: Pick<AppDeps, 'pool'>,
  outcome: UndoOutcome,
  pageSize: number = UNDO_ANSWER_PAGE,
): AsyncGenerator<string> {
  const head = { RunId: outcome.runId, Summary: outcome.counts, UndoneAt: outcome.undoneAt.toISOString(), UndoneBy: outcome.undoneBy };
  yield `${JSON.stringify(head).slice(0, -1)},"Results":{"SuccessfulRecords":[`;
  yield* answerPages(deps, outcome.runId, ['Removed', 'Restored'], pageSize);
  yield '],"FailedRecords":[';
  yield* answerPages(deps, outcome.runId, ['ChangedSince'], pageSize);
  yield ']}}';
}

async function* answerPages(
  deps: Pick<AppDeps, 'pool'>,
  runId: number,
  codes: readonly undo.UndoCode[],
  pageSize: number,
): AsyncGenerator<string> {
  let afterSeq = -1;
  let first = true;
  for (;;) {
    const page = await undo.readUndoAnswers(deps.pool, runId, { afterSeq, limit: pageSize, codes });
    if (page.length === 0) return;
    let text = '';
    for (const a of page) {
      const echoed = echoRecord({
        index: a.seq,
        record: a.record,
        externalId: a.externalId ?? '',
        resultCode: a.resultCode,
        ...(a.resultCode === 'ChangedSince' ? { resultMessage: CHANGED_SINCE_MESSAGE } : {}),
      });
      text += `${first ? '' : ','}${JSON.stringify(echoed)}`;
      first = false;
    }
    yield text;
    if (page.length < pageSize) return;
    afterSeq = page[page.length - 1]!.seq;
  }
}
