import type { AppDeps } from '../app-deps';
import { inTransaction } from '../db/pool';
import { tryLockProspectSource } from '../db/prospects';
import * as undo from '../db/run-undo';
import type { RecordResult } from '../domain/prospect';
import { CallError } from './errors';
import { unknownRun } from './read-runs';

/**
 * Results undone per slice: each slice is five set-based statements, and node holds one slice's
 * answers at a time (a 1,000,000-record import is undone in 100 slices with flat memory).
 */
export const UNDO_SLICE = 10_000;

const DAY_MS = 86_400_000;

export const CHANGED_SINCE_MESSAGE = 'changed after the run (a later run, a claim, an outcome or a removal): left as it is';

export interface UndoHooks {
  /** Each slice's answers, in seq order; awaited (the CLI writes them out, the API gathers them). */
  onRecords?: (records: readonly RecordResult[]) => void | Promise<void>;
}

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
  hooks: UndoHooks = {},
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
      const undone = await undo.undoSlice(client, run, from, from + UNDO_SLICE);
      const results: RecordResult[] = undone.map((u) => ({
        index: u.seq,
        record: u.record,
        externalId: u.externalId,
        resultCode: u.resultCode,
        ...(u.resultCode === 'ChangedSince' ? { resultMessage: CHANGED_SINCE_MESSAGE } : {}),
      }));
      for (const r of results) counts[r.resultCode] = (counts[r.resultCode] ?? 0) + 1;
      await hooks.onRecords?.(results);
    }
    const undoneAt = await undo.finishUndo(client, runId, by, counts);
    return { runId, counts, undoneAt, undoneBy: by };
  });
  deps.logger.info({ runId, counts: outcome.counts, by }, 'run undone');
  return outcome;
}

/** The undo of an API call or the dashboard: the answer in the Results shape, plus Summary. */
export async function undoRunAnswer(
  deps: Pick<AppDeps, 'pool' | 'config' | 'now' | 'logger'>,
  runId: number,
  by: string | null,
): Promise<{ outcome: UndoOutcome; results: RecordResult[] }> {
  const results: RecordResult[] = [];
  const outcome = await undoRun(deps, runId, by, { onRecords: (r) => void results.push(...r) });
  return { outcome, results };
}
