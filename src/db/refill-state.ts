import type pg from 'pg';
import type { SkillBody } from '../domain/skill';
import type { DbClient } from './pool';

/** A refill-enabled skill's thresholds, as the brain reads them every tick. */
export interface RefillSettingsRow {
  skillNo: number;
  lowWaterMark: number;
  targetDepth: number;
  maxInventory: number;
  checkIntervalSeconds: number;
}

/**
 * Thresholds of every refill-enabled skill that has a connector to fetch from, in one statement.
 * A skill's body is stored as the domain's schema parsed it (src/domain/skill.ts), defaults
 * applied, so every threshold is there: no default is restated here.
 */
export async function readRefillSettings(db: DbClient): Promise<RefillSettingsRow[]> {
  const { rows } = await db.query<{ skill_no: number; lwm: number; target: number; max_inv: number; every_s: number }>(
    `SELECT skill_no,
            (body #>> '{Refill,LowWaterMark}')::int          AS lwm,
            (body #>> '{Refill,TargetDepth}')::int           AS target,
            (body #>> '{Refill,MaxInventory}')::int          AS max_inv,
            (body #>> '{Refill,CheckIntervalSeconds}')::int  AS every_s
     FROM skills
     WHERE refill_enabled AND body #> '{Refill,Connector}' IS NOT NULL
     ORDER BY skill_no`,
  );
  return rows.map((r) => ({
    skillNo: r.skill_no,
    lowWaterMark: r.lwm,
    targetDepth: r.target,
    maxInventory: r.max_inv,
    checkIntervalSeconds: r.every_s,
  }));
}

/** The skill and where its refill stands, read before the CRM is asked (no lock held). */
export interface RefillTarget {
  skillNo: number;
  body: SkillBody;
  cursor: string | null;
}

export async function readRefillTarget(db: DbClient, skillNo: number): Promise<RefillTarget | null> {
  const { rows } = await db.query<{ skill_no: number; body: SkillBody; cursor: string | null }>(
    `SELECT s.skill_no, s.body, rs.cursor
     FROM skills s LEFT JOIN refill_state rs USING (skill_no)
     WHERE s.skill_no = $1`,
    [skillNo],
  );
  const row = rows[0];
  return row ? { skillNo: row.skill_no, body: row.body, cursor: row.cursor } : null;
}

/**
 * Takes the skill's refill_state row lock for the rest of the transaction (making the row on
 * first use) and answers the stored cursor. Any other refill of the skill waits here until this
 * transaction ends, then sees the cursor it stored. Null when the skill no longer exists.
 */
export async function lockRefillState(client: pg.PoolClient, skillNo: number): Promise<{ cursor: string | null } | null> {
  const { rows } = await client.query<{ cursor: string | null }>(
    `INSERT INTO refill_state AS rs (skill_no)
     SELECT skill_no FROM skills WHERE skill_no = $1
     ON CONFLICT (skill_no) DO UPDATE SET skill_no = rs.skill_no
     RETURNING rs.cursor`,
    [skillNo],
  );
  return rows[0] ?? null;
}

/**
 * Stores the cursor after the records just stored, in their transaction. Without a run (the CRM
 * moved its cursor over an empty page) only the cursor moves.
 */
export async function advanceRefillState(
  client: pg.PoolClient,
  skillNo: number,
  state: { cursor: string | null; runId: number | null; at: Date },
): Promise<void> {
  await client.query(
    `UPDATE refill_state
     SET cursor = $2,
         last_refill_at = CASE WHEN $4::bigint IS NULL THEN last_refill_at ELSE $3 END,
         last_run_id = COALESCE($4::bigint, last_run_id)
     WHERE skill_no = $1`,
    [skillNo, state.cursor, state.at, state.runId],
  );
}
