import type { AppDeps } from '../app-deps';
import { callableUpToMarks } from '../db/dial-queue';
import { readRefillSettings } from '../db/refill-state';
import { isDue, planRefills, type SkillRefillView } from '../domain/refill-plan';

/** Due skills from which the count is split over two connections. */
const SPLIT_FROM = 200;

export interface BrainTickReport {
  /** Refill-enabled skills. */
  skills: number;
  /** Of those, skills whose check interval had elapsed. */
  checked: number;
  /** Fetches wanted (deduplicated ones included). */
  fetches: number;
  /** Of those, skills whose refill was already in flight: not added, or added and joined to it. */
  deduplicated: number;
  ms: number;
}

/** The fetch queue as the brain needs it (the queue layer's RefillQueue fits). */
export interface RefillQueuePort {
  /** Many skills' fetches at once, each deduplicated against its skill's fetch in flight; answers in order. */
  enqueueAll(items: readonly { skillNo: number; count: number; origin: 'Brain' }[]): Promise<{ Deduplicated: boolean }[]>;
  /** The one answer to "is a fetch of this skill waiting, delayed or running?", for many skills at once. */
  inFlight(skillNos: readonly number[]): Promise<Set<number>>;
}

/**
 * When each skill was last checked (epoch ms). Kept outside the brain's memory, so that ticks
 * handed to different brain processes still respect each skill's CheckIntervalSeconds.
 */
export interface CheckTimes {
  read(): Promise<Map<number, number>>;
  record(checks: readonly { skillNo: number; checkMs: number }[]): Promise<void>;
  forget(skillNos: readonly number[]): Promise<void>;
}

export interface BrainTickContext {
  deps: Pick<AppDeps, 'pool' | 'now'>;
  refill: RefillQueuePort;
  checkTimes: CheckTimes;
  /** The tick period: a skill is counted due up to half a tick early (see isDue). 0 when absent. */
  tickEveryMs?: number;
}

/**
 * One tick of the brain: every refill-enabled skill's thresholds in one statement, their
 * last-check times in one read, then CallableNow of only the skills due for a check, counted up
 * to their LowWaterMark (one statement, or two side by side when many are due), the pure plan,
 * one batched look-up of the refills already in flight, and the others added in bulk.
 */
export async function brainTick(ctx: BrainTickContext): Promise<BrainTickReport> {
  const started = performance.now();
  const now = ctx.deps.now();
  const nowMs = now.getTime();
  const [settings, lastChecks] = await Promise.all([readRefillSettings(ctx.deps.pool), ctx.checkTimes.read()]);
  const lastCheckOf = (skillNo: number) => lastChecks.get(skillNo) ?? null;

  const toleranceMs = (ctx.tickEveryMs ?? 0) / 2;
  const due = settings.filter((s) =>
    isDue({ checkIntervalSeconds: s.checkIntervalSeconds, lastCheckMs: lastCheckOf(s.skillNo) }, nowMs, toleranceMs),
  );
  const report: BrainTickReport = { skills: settings.length, checked: 0, fetches: 0, deduplicated: 0, ms: 0 };
  if (due.length > 0) {
    const marks = due.map((s) => ({ skillNo: s.skillNo, lowWaterMark: s.lowWaterMark }));
    // The count is CPU-bound in Postgres (an index probe per contact up to the mark): many due
    // skills are split over two connections so that two cores share it (1,000 skills: ~35% less on the loaded 2-core test box).
    const halves = marks.length >= SPLIT_FROM ? [marks.slice(0, marks.length >> 1), marks.slice(marks.length >> 1)] : [marks];
    const counted = await Promise.all(halves.map((half) => callableUpToMarks(ctx.deps.pool, now, half)));
    const counts = new Map(counted.flat().map((c) => [c.skillNo, c]));
    const views: SkillRefillView[] = due.map((s) => {
      const c = counts.get(s.skillNo);
      // A skill deleted since the settings were read: its fetch finds no skill and ends.
      return { ...s, callableNow: c?.callableUpToMark ?? 0, activeTotal: c ? c.activeTotal : 0, lastCheckMs: lastCheckOf(s.skillNo) };
    });
    const plan = planRefills(views, nowMs, toleranceMs);
    const inFlight = await ctx.refill.inFlight(plan.fetches.map((f) => f.skillNo));
    const answers = await ctx.refill.enqueueAll(
      plan.fetches.filter((f) => !inFlight.has(f.skillNo)).map((f) => ({ ...f, origin: 'Brain' as const })),
    );
    if (plan.checked.length > 0) await ctx.checkTimes.record(plan.checked);
    report.checked = plan.checked.length;
    report.fetches = plan.fetches.length;
    report.deduplicated = inFlight.size + answers.filter((a) => a.Deduplicated).length;
  }
  // Skills deleted or with refill turned off leave their check time behind; drop them now and then.
  const enabled = new Set(settings.map((s) => s.skillNo));
  const stale = [...lastChecks.keys()].filter((k) => !enabled.has(k));
  if (stale.length > 0) await ctx.checkTimes.forget(stale);
  report.ms = performance.now() - started;
  return report;
}
