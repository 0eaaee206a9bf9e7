import type { AppDeps } from '../app-deps';
import { listRuns } from '../db/run-reads';
import { readSuppressedInRuns } from '../db/suppressed-in-runs';
import { listLists } from '../db/suppression-lists';
import { namedLists } from '../domain/do-not-call';
import { getSkill } from './skills';

/** A list as one skill applies it. */
export interface SkillListView {
  ListName: string;
  /** Null when the skill names a list that does not exist (its loads are refused until it does). */
  Entries: number | null;
  AllSkills: boolean;
  /** The skill names it (SuppressionLists or DoNotCallList); AllSkills lists apply unnamed. */
  Named: boolean;
  DoNotCallList: boolean;
  Exists: boolean;
}

/** A suppressed number as the dashboard may show it: masked, with the list that held it. */
export interface MaskedSuppressed {
  Number: string;
  ListName: string;
  ByPrefix: boolean;
}

export interface RunSuppressionView {
  RunId: number;
  StartedAt: string;
  Refused: number;
  Dropped: number;
  Numbers: number;
  Examples: MaskedSuppressed[];
}

export interface SkillSuppressionView {
  SkillNo: number;
  Lists: SkillListView[];
  Runs: RunSuppressionView[];
}

const RECENT_RUNS = 5;
const EXAMPLES_SHOWN = 5;

/** A masked number: at most a country code before the stars, four digits after. */
const MASKED = /^\+?\d{0,3}\*{4,}\d{4}$/;

/**
 * One skill's do-not-call picture for the dashboard: the lists it applies (those it names, and
 * every AllSkills list) with their entry counts, and what its recent runs dropped or refused (as
 * their loads recorded it, db/suppressed-in-runs.ts).
 */
export async function readSkillSuppression(deps: Pick<AppDeps, 'pool'>, skillNo: number): Promise<SkillSuppressionView> {
  const skill = await getSkill(deps, skillNo);
  const [rows, runs] = await Promise.all([listLists(deps.pool), listRuns(deps.pool, { skillNo, limit: RECENT_RUNS })]);
  const named = namedLists(skill.Compliance);
  const byName = new Map(rows.map((r) => [r.name, r]));
  const lists: SkillListView[] = [
    ...rows.filter((r) => r.allSkills || named.includes(r.name)).map((r) => r.name),
    ...named.filter((n) => !byName.has(n)),
  ].map((name) => {
    const row = byName.get(name);
    return {
      ListName: name,
      Entries: row ? Number(row.entryCount) : null,
      AllSkills: row?.allSkills ?? false,
      Named: named.includes(name),
      DoNotCallList: skill.Compliance?.DoNotCallList === name,
      Exists: row !== undefined,
    };
  });
  const hits = new Map(
    (
      await readSuppressedInRuns(
        deps.pool,
        runs.map((r) => r.runId),
        EXAMPLES_SHOWN,
      )
    ).map((h) => [h.runId, h]),
  );
  return {
    SkillNo: skillNo,
    Lists: lists,
    Runs: runs.map((r) => {
      const h = hits.get(r.runId);
      return {
        RunId: r.runId,
        StartedAt: r.startedAt.toISOString(),
        Refused: h?.refused ?? 0,
        Dropped: h?.dropped ?? 0,
        Numbers: h?.numbers ?? 0,
        // The load stored them masked; anything not in the masked shape is still never shown.
        Examples: (h?.examples ?? [])
          .filter((e) => MASKED.test(e.masked))
          .map((e) => ({ Number: e.masked, ListName: e.listName, ByPrefix: e.byPrefix })),
      };
    }),
  };
}
