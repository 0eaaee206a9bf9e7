import type { AppDeps } from '../app-deps';
import { findRun } from '../db/run-reads';
import { markPublished, unpublishedRuns } from '../db/run-publications';
import type { CreateProspectsResults } from './create-prospects';
import { runResults } from './run-results';

/** One published run, as it goes on the results stream and to the CRM. */
export interface PublishedRun {
  RunId: number;
  SkillNo: number;
  SourceName: string;
  Counts: Record<string, number>;
  Results: CreateProspectsResults;
}

/** Where published runs go; the queue module supplies the Redis stream and the write-back queue. */
export interface PublishTargets {
  appendToStream(run: PublishedRun): Promise<void>;
  queueWriteBack(runId: number, skillNo: number): Promise<void>;
}

/**
 * Publishes a stored refill run: its results onto the stream and, when owed, a write-back job.
 * At least once: a crash between the stream and the mark publishes the run again later, and
 * stream readers tell repeats apart by RunId. Write-back jobs are deduplicated per run while one
 * lives, and a job finding the run already Delivered posts nothing, so a repeat never posts twice.
 */
export async function publishRun(
  deps: Pick<AppDeps, 'pool' | 'now'>,
  targets: PublishTargets,
  runId: number,
  known?: CreateProspectsResults,
): Promise<boolean> {
  const run = await findRun(deps.pool, runId);
  if (!run?.publication || run.publication.publishedAt) return false;
  const results = known ?? (await runResults(deps.pool, runId));
  await targets.appendToStream({
    RunId: run.runId,
    SkillNo: run.skillNo,
    SourceName: run.sourceName,
    Counts: run.counts,
    Results: results,
  });
  if (run.publication.writebackStatus === 'Pending') await targets.queueWriteBack(run.runId, run.skillNo);
  await markPublished(deps.pool, runId, deps.now());
  return true;
}

/** Publishes the skill's runs a dead worker left unpublished; answers how many. */
export async function publishOwedRuns(deps: Pick<AppDeps, 'pool' | 'now'>, targets: PublishTargets, skillNo: number): Promise<number> {
  let published = 0;
  for (const runId of await unpublishedRuns(deps.pool, skillNo)) {
    if (await publishRun(deps, targets, runId)) published++;
  }
  return published;
}
