import { callableCounts } from '../db/dial-queue';
import type { DbClient } from '../db/pool';
import { listSkills } from '../db/skills';

/** Every skill's dialing queue against its thresholds, as the gauges and the dashboard show it. */
export interface QueueSnapshot {
  skillNo: number;
  name: string;
  depth: number;
  callableNow: number;
  /** Null where the skill has no Refill section. */
  lowWaterMark: number | null;
  targetDepth: number | null;
  refillEnabled: boolean;
}

/** Two statements for all skills, whatever their number: the skills, then one set-based count. */
export async function readQueueSnapshot(db: DbClient, now: Date): Promise<QueueSnapshot[]> {
  const skills = await listSkills(db);
  if (skills.length === 0) return [];
  const counts = new Map(
    (
      await callableCounts(
        db,
        now,
        skills.map((s) => s.SkillNo),
      )
    ).map((c) => [c.skillNo, c]),
  );
  return skills.map((s) => {
    const c = counts.get(s.SkillNo);
    return {
      skillNo: s.SkillNo,
      name: s.Name,
      depth: c?.depth ?? 0,
      callableNow: c?.callableNow ?? 0,
      lowWaterMark: s.Refill?.LowWaterMark ?? null,
      targetDepth: s.Refill?.TargetDepth ?? null,
      refillEnabled: s.Refill?.Enabled ?? false,
    };
  });
}
