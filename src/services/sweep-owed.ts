import type { AppDeps } from '../app-deps';
import { owedRuns } from '../db/run-publications';
import { purgeUndoData } from '../db/run-undo';
import { publishRun, type PublishTargets } from './publish-results';

export interface SweepOptions {
  /** Runs stored more recently are left to the worker that stored them. */
  graceMs: number;
  /** Runs looked at per sweep; the rest wait for the next one. */
  limit: number;
  /** Of those, runs published per sweep (each reads its whole run's results); 20 by default. */
  publishLimit?: number;
  /** UNDO_RETENTION_DAYS: undo data of older runs is deleted (no purge when absent). */
  undoRetentionDays?: number;
}

export interface SweepReport {
  /** Runs owed a publication, published now (their write-back queued with it). */
  published: number;
  /** Published runs whose write-back is still owed, queued again. */
  writeBacksQueued: number;
  /** Runs whose undo data was past retention and is now deleted. */
  undoPurged: number;
}

/** Runs whose undo data one sweep deletes at most; the rest go in the next sweeps. */
export const UNDO_PURGE_LIMIT = 200;

/**
 * Nothing owed stays owed for ever: every run still owed a publication or a write-back past the
 * grace period is published again or has its write-back queued again. Its job may have vanished
 * (Redis flushed, the job removed, an id that collided); where one still lives, the add joins it
 * (deduplication per run) and the job itself skips a run already Delivered, so re-queuing is
 * always safe.
 */
export async function sweepOwed(deps: Pick<AppDeps, 'pool' | 'now'>, targets: PublishTargets, opts: SweepOptions): Promise<SweepReport> {
  const owed = await owedRuns(deps.pool, new Date(deps.now().getTime() - opts.graceMs), opts.limit);
  const unpublished = owed.filter((r) => r.unpublished).slice(0, opts.publishLimit ?? 20);
  const writeBacks = owed.filter((r) => !r.unpublished);
  // The adds go out together on one connection: a round trip for the batch, not one per run.
  await Promise.all(writeBacks.map((r) => targets.queueWriteBack(r.runId, r.skillNo)));
  let published = 0;
  // Each publication reads its run's results for the stream: one run at a time keeps memory flat.
  for (const r of unpublished) {
    if (await publishRun(deps, targets, r.runId)) published++;
  }
  // Undo data past retention: its space is reclaimed, set-based, a bounded number of runs a sweep.
  const undoPurged =
    opts.undoRetentionDays === undefined
      ? 0
      : await purgeUndoData(deps.pool, new Date(deps.now().getTime() - opts.undoRetentionDays * 86_400_000), UNDO_PURGE_LIMIT);
  return { published, writeBacksQueued: writeBacks.length, undoPurged };
}
