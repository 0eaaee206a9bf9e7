import type { DbClient } from './pool';
import { jsonSafe } from '../domain/json-safe';
import { effectiveWindow, type Skill, type SkillBody } from '../domain/skill';

interface SkillRecord {
  skill_no: number;
  body: SkillBody;
}

function toSkill(r: SkillRecord): Skill {
  return { SkillNo: r.skill_no, ...r.body };
}

/** Creates or replaces a skill; `created` tells which. The body must already be validated. */
export async function upsertSkill(db: DbClient, skillNo: number, body: SkillBody): Promise<{ skill: Skill; created: boolean }> {
  // A zod string lets NUL through; Postgres text does not.
  const safe = jsonSafe(body);
  const window = effectiveWindow(safe.CallingWindow);
  const { rows } = await db.query<SkillRecord & { created: boolean }>(
    `INSERT INTO skills (skill_no, name, body, refill_enabled, window_start, window_end, max_attempts, min_retry_minutes)
     VALUES ($1, $2, $3::jsonb, $4, $5::time, $6::time, $7, $8)
     ON CONFLICT (skill_no) DO UPDATE SET
       name = EXCLUDED.name, body = EXCLUDED.body, refill_enabled = EXCLUDED.refill_enabled,
       window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end,
       max_attempts = EXCLUDED.max_attempts, min_retry_minutes = EXCLUDED.min_retry_minutes,
       updated_at = now()
     RETURNING skill_no, body, (xmax = 0) AS created`,
    [
      skillNo,
      safe.Name,
      JSON.stringify(safe),
      safe.Refill?.Enabled ?? false,
      window.Start,
      window.End,
      safe.MaxAttempts,
      safe.MinRetryMinutes,
    ],
  );
  const row = rows[0]!;
  return { skill: toSkill(row), created: row.created };
}

export async function findSkill(db: DbClient, skillNo: number): Promise<Skill | null> {
  const { rows } = await db.query<SkillRecord>('SELECT skill_no, body FROM skills WHERE skill_no = $1', [skillNo]);
  return rows[0] ? toSkill(rows[0]) : null;
}

export async function listSkills(db: DbClient): Promise<Skill[]> {
  const { rows } = await db.query<SkillRecord>('SELECT skill_no, body FROM skills ORDER BY skill_no');
  return rows.map(toSkill);
}
