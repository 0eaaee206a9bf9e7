import { lockAppliedLists, matchSuppressed } from '../db/suppression-match';
import type { DbClient } from '../db/pool';
import { holdingMatch, namedLists, withoutSuppressed, type SuppressedLoad, type SuppressionMatch } from '../domain/do-not-call';
import type { PipelineOutput } from '../domain/pipeline';
import type { Skill } from '../domain/skill';
import { CallError, clip } from './errors';

/** The lists a load applies, resolved once per load (or import slice). */
export interface LoadSuppression {
  listIds: readonly number[];
  /** The instant entries are judged at (ExpiresAt), the load's `now`. */
  at: Date;
}

/**
 * The lists a load into `skill` applies, locked (FOR KEY SHARE) until `db`'s transaction ends so no
 * chunk of the load sees a list the first chunk did not, and a deletion (FOR UPDATE first) waits
 * for the load; adds to the lists do not.
 * A list the skill names that does not exist refuses the whole load (domain/do-not-call.ts
 * namedLists says why); run inside the load's transaction before anything is written, the
 * refusal leaves nothing behind. Outside a transaction it is the call-level check alone.
 */
export async function skillSuppression(db: DbClient, skill: Skill, at: Date): Promise<LoadSuppression> {
  const names = namedLists(skill.Compliance);
  const lists = await lockAppliedLists(db, names);
  const found = new Set(lists.map((l) => l.name));
  const missing = names.filter((n) => !found.has(n));
  if (missing.length > 0) {
    throw new CallError(
      'UnknownSuppressionList',
      `skill ${skill.SkillNo} applies suppression list(s) ${missing.map((m) => `"${clip(m)}"`).join(', ')} that do not exist ` +
        "(never created, or deleted): create them (PUT /v1/suppression-lists/{ListName}) or take them out of the skill's Compliance",
    );
  }
  return { listIds: lists.map((l) => l.listId), at };
}

/**
 * A chunk's pipeline answer with the numbers the load's lists hold taken out, asked of Postgres
 * in one statement for the whole chunk.
 */
export async function screenChunk(
  db: DbClient,
  suppression: LoadSuppression,
  records: readonly unknown[],
  startIndex: number,
  out: PipelineOutput,
): Promise<SuppressedLoad> {
  const numbers = new Set<string>();
  for (const row of out.rows) for (const d of row.destinations) numbers.add(d.phoneNumber);
  const found = await matchSuppressed(db, [...numbers], suppression.listIds, suppression.at);
  const byNumber = new Map<string, SuppressionMatch[]>();
  for (const m of found) {
    const list = byNumber.get(m.phoneNumber) ?? [];
    list.push({ listName: m.listName, kind: m.kind });
    byNumber.set(m.phoneNumber, list);
  }
  const suppressed = new Map<string, SuppressionMatch>();
  for (const [number, matches] of byNumber) suppressed.set(number, holdingMatch(matches)!);
  return withoutSuppressed(out, suppressed, records, startIndex);
}
