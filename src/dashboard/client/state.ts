/** What the page knows, in one place; `changed()` redraws it. */
import type {
  DialQueueAnswer,
  FailedRecord,
  HeldBackView,
  HistorySample,
  OwedAnswer,
  RunView,
  SessionAnswer,
  Skill,
} from '../dashboard-api';

/** A skill's dial queue as last read: its answer, or why it could not be read. */
export type QueueRead = DialQueueAnswer | { error: string };

export interface DrawerState {
  run: Pick<RunView, 'RunId' | 'Counts'> & Partial<RunView>;
  skillNo: number;
  loading: boolean;
  records: FailedRecord[];
  total: number;
  /** The ResultCode shown, or all failures. */
  filter: string | null;
  error: string | null;
  /** The Undo button's step: asking for confirmation, or the undo under way. */
  undo?: 'asking' | 'running' | null;
}

export const state = {
  session: null as SessionAnswer | null,
  skills: [] as Skill[],
  queues: new Map<number, QueueRead>(),
  runs: new Map<number, RunView[]>(),
  history: new Map<number, HistorySample[]>(),
  historyAt: 0,
  intervalMs: 10_000,
  /** Skills whose refill request is on its way. */
  pending: new Set<number>(),
  lastOk: 0,
  error: null as string | null,
  loaded: false,
  drawer: null as DrawerState | null,
  /** Write-backs still owed, or null when they could not be read. */
  owed: null as OwedAnswer | null,
  /** Per skill, the contacts the calling rules keep from being callable now (absent: not read). */
  heldBack: new Map<number, HeldBackView>(),
};

/** The queue answer of a skill, or null when it is unknown or could not be read. */
export function queueOf(skillNo: number): DialQueueAnswer | null {
  const read = state.queues.get(skillNo);
  return read && !('error' in read) ? read : null;
}

export function queueUnavailable(skillNo: number): boolean {
  const read = state.queues.get(skillNo);
  return !!read && 'error' in read;
}

/** Roles that may press "Refill now" (the server checks again). */
export function canRefill(): boolean {
  return state.session?.Role === 'operator' || state.session?.Role === 'open';
}

let redraw: () => void = () => {};
export function onChange(fn: () => void): void {
  redraw = fn;
}
export function changed(): void {
  redraw();
}
