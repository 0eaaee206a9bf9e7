import type { DbClient } from './pool';

export type WritebackStatus = 'Pending' | 'Delivered' | 'Failed';

export interface RunPublication {
  runId: number;
  skillNo: number;
  publishedAt: Date | null;
  writebackStatus: WritebackStatus | null;
  writebackAttempts: number;
  writebackHttpStatus: number | null;
  writebackError: string | null;
  writebackAt: Date | null;
}

/** Made in the run's own transaction: the run is then owed a publication until it is marked. */
export async function owePublication(db: DbClient, runId: number, skillNo: number, writeBack: boolean): Promise<void> {
  await db.query(
    `INSERT INTO run_publications (run_id, skill_no, writeback_status) VALUES ($1, $2, $3)
     ON CONFLICT (run_id) DO NOTHING`,
    [runId, skillNo, writeBack ? 'Pending' : null],
  );
}

/** Runs of the skill stored but not yet published (their worker died after the commit), oldest first. */
export async function unpublishedRuns(db: DbClient, skillNo: number, limit = 20): Promise<number[]> {
  const { rows } = await db.query<{ run_id: number }>(
    `SELECT run_id FROM run_publications WHERE skill_no = $1 AND published_at IS NULL ORDER BY run_id LIMIT $2`,
    [skillNo, limit],
  );
  return rows.map((r) => r.run_id);
}

export async function markPublished(db: DbClient, runId: number, at: Date): Promise<void> {
  await db.query(`UPDATE run_publications SET published_at = $2 WHERE run_id = $1 AND published_at IS NULL`, [runId, at]);
}

/** One write-back attempt's outcome. A Delivered run stays Delivered whatever a late retry says. */
export async function recordWritebackAttempt(
  db: DbClient,
  runId: number,
  attempt: { status: WritebackStatus; httpStatus: number | null; error: string | null; at: Date },
): Promise<void> {
  await db.query(
    `UPDATE run_publications
     SET writeback_status = CASE WHEN writeback_status = 'Delivered' THEN writeback_status ELSE $2 END,
         writeback_attempts = writeback_attempts + 1,
         writeback_http_status = $3, writeback_error = $4, writeback_at = $5
     WHERE run_id = $1`,
    [runId, attempt.status, attempt.httpStatus, attempt.error, attempt.at],
  );
}

export interface PublicationRecord {
  run_id: number;
  skill_no: number;
  published_at: Date | null;
  writeback_status: WritebackStatus | null;
  writeback_attempts: number;
  writeback_http_status: number | null;
  writeback_error: string | null;
  writeback_at: Date | null;
}

export function toPublication(r: PublicationRecord): RunPublication {
  return {
    runId: r.run_id,
    skillNo: r.skill_no,
    publishedAt: r.published_at,
    writebackStatus: r.writeback_status,
    writebackAttempts: r.writeback_attempts,
    writebackHttpStatus: r.writeback_http_status,
    writebackError: r.writeback_error,
    writebackAt: r.writeback_at,
  };
}

/** A run still owed something: its publication (and with it any write-back), or only its write-back. */
export interface OwedRun {
  runId: number;
  skillNo: number;
  unpublished: boolean;
}

/**
 * Runs stored before `storedBefore` still owed a publication or a write-back, oldest first: one
 * statement over the two partial indexes of owed rows (migrations 002 and 010), whatever the
 * number of runs ever made.
 */
export async function owedRuns(db: DbClient, storedBefore: Date, limit: number): Promise<OwedRun[]> {
  const { rows } = await db.query<{ run_id: number; skill_no: number; unpublished: boolean }>(
    `SELECT p.run_id, p.skill_no, p.published_at IS NULL AS unpublished
     FROM run_publications p JOIN runs r USING (run_id)
     WHERE (p.published_at IS NULL OR p.writeback_status = 'Pending') AND r.started_at < $1
     ORDER BY p.run_id LIMIT $2`,
    [storedBefore, limit],
  );
  return rows.map((r) => ({ runId: r.run_id, skillNo: r.skill_no, unpublished: r.unpublished }));
}

/** Write-backs still owed (Pending) and when the oldest of their runs was stored. */
export async function owedWriteBacks(db: DbClient): Promise<{ count: number; oldestStoredAt: Date | null }> {
  const { rows } = await db.query<{ n: number; oldest: Date | null }>(
    `SELECT count(*)::int AS n, min(r.started_at) AS oldest
     FROM run_publications p JOIN runs r USING (run_id)
     WHERE p.writeback_status = 'Pending'`,
  );
  return { count: rows[0]?.n ?? 0, oldestStoredAt: rows[0]?.oldest ?? null };
}
