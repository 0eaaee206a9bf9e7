/**
 * The shapes of the JSON the queue dashboard reads, shared by the server (which answers them) and
 * the browser client (which imports them as types only, so no server module enters its bundle).
 */
import type { Role } from '../web/role';
import type { Skill } from '../domain/skill';
import type { DialQueueAnswer } from '../services/read-dial-queue';
import type { RunView } from '../services/read-runs';
import type { TriggerRefillAnswer } from '../services/trigger-refill';
import type { HistorySample } from '../services/queue-history-store';
import type { CheckAnswer } from '../services/suppression-check';
import type { SkillSuppressionView } from '../services/read-skill-suppression';
import type { HeldBackView } from '../services/read-held-back';

export type { CheckAnswer, DialQueueAnswer, HeldBackView, HistorySample, RunView, Skill, SkillSuppressionView, TriggerRefillAnswer };

/** GET /dashboard/api/held-back: per skill, the contacts each calling rule keeps from being callable now. */
export interface HeldBackAnswer {
  Skills: HeldBackView[];
}

/** GET /v1/skills. */
export interface SkillListAnswer {
  Skills: Skill[];
}

/** GET /v1/runs?SkillNo=n, newest first. */
export interface RunListAnswer {
  Runs: RunView[];
}

/** POST /v1/runs/{RunId}/undo, the part the dashboard shows (Summary: ResultCode -> count). */
export interface UndoAnswer {
  RunId: number;
  Summary: Record<string, number>;
  UndoneAt: string;
  UndoneBy: string | null;
}

/** GET /dashboard/api/session: the caller's role, `open` when the service has no keys. */
export interface SessionAnswer {
  Role: Role | 'open';
}

/** GET /dashboard/api/history: each skill's samples (keyed by SkillNo), oldest first. */
export interface HistoryAnswer {
  IntervalSeconds: number;
  Skills: Record<string, HistorySample[]>;
}

/** GET /dashboard/api/owed: write-backs the CRMs are still owed, and how long the oldest has waited. */
export interface OwedAnswer {
  WriteBacksOwed: number;
  OldestOwedSeconds: number;
}

/** One failed record of a run, every phone number in it masked server-side. */
export interface FailedRecord {
  Seq: number;
  ExternalID: unknown;
  ResultCode: string;
  ResultMessage: unknown;
  Record: unknown;
}

/** GET /dashboard/api/runs/{RunId}/failed: the first `Limit` failed records and how many there are. */
export interface FailedRecordsAnswer {
  RunId: number;
  Total: number;
  FailedRecords: FailedRecord[];
}

/**
 * GET /dashboard/api/skills/{SkillNo}/suppression: the lists the skill applies with their entry
 * counts, and per recent run how many records lost or were refused a suppressed number, with a few
 * of those numbers masked. The whole number is shown only by the check (GET /v1/suppression).
 */
export type SkillSuppressionAnswer = SkillSuppressionView;
