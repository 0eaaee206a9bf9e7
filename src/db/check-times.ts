import type { DbClient } from './pool';

/** The brain's last-check times (SkillNo -> epoch ms), all of them: one statement a tick. */
export async function readCheckTimes(db: DbClient): Promise<Map<number, number>> {
  const { rows } = await db.query<{ skill_no: number; check_ms: number }>('SELECT skill_no, check_ms FROM refill_check_times');
  return new Map(rows.map((r) => [r.skill_no, Number(r.check_ms)]));
}

/** Upserts the checks of one tick in one statement. */
export async function recordCheckTimes(db: DbClient, checks: readonly { skillNo: number; checkMs: number }[]): Promise<void> {
  if (checks.length === 0) return;
  await db.query(
    `INSERT INTO refill_check_times (skill_no, check_ms)
     SELECT * FROM unnest($1::int[], $2::bigint[])
     ON CONFLICT (skill_no) DO UPDATE SET check_ms = EXCLUDED.check_ms`,
    [checks.map((c) => c.skillNo), checks.map((c) => c.checkMs)],
  );
}

export async function forgetCheckTimes(db: DbClient, skillNos: readonly number[]): Promise<void> {
  if (skillNos.length === 0) return;
  await db.query('DELETE FROM refill_check_times WHERE skill_no = ANY($1::int[])', [skillNos]);
}
