import type { AppDeps } from '../app-deps';
import { answerResults } from '../domain/results';
import { previewInChunks } from './chunked-load';
import { prepareCreateProspects, type CreateProspectsResults } from './create-prospects';
import { skillSuppression } from './suppression-at-load';

export interface CreateProspectsPreview {
  Results: CreateProspectsResults;
  /** ResultCode -> number of records. */
  Summary: Record<string, number>;
}

/**
 * CREATEPROSPECTS v2 with DryRun: the same call-level checks (a refused call answers the same
 * error) and the same chunks through the same pipeline and per-chunk checks as the real call,
 * answering Created or Updated as it would; nothing is written (no prospect, no run, no result).
 * Reads outside a transaction: a load into the same skill and source committing meanwhile may
 * turn a Created into an Updated, as it would have for the real call made a moment later.
 */
export async function previewCreateProspects(
  deps: Pick<AppDeps, 'pool' | 'config' | 'now'>,
  input: unknown,
): Promise<CreateProspectsPreview> {
  const prepared = await prepareCreateProspects(deps.pool, deps, input);
  const ctx = {
    skillNo: prepared.skill.SkillNo,
    sourceName: prepared.sourceName,
    sourceMapVersion: prepared.sourceMapVersion,
    runId: null,
  };
  // The lists read (not locked: nothing is written) once, as the load resolves them.
  const suppression = await skillSuppression(deps.pool, prepared.skill, prepared.options.now);
  const results = await previewInChunks(deps.pool, { ctx, suppression }, prepared.records, prepared.options);
  const Summary: Record<string, number> = {};
  for (const r of results) Summary[r.resultCode] = (Summary[r.resultCode] ?? 0) + 1;
  return { Results: answerResults(results), Summary };
}
