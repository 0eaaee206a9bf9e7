/** Runs as the cards and the drawer count them. */
import type { RunView } from '../dashboard-api';

/** ResultCodes of records that reached the dialing queue; every other code is a failure. */
const SUCCESS = new Set(['Created', 'Updated', 'Removed']);

export function isSuccess(code: string): boolean {
  return SUCCESS.has(code);
}

export function failuresOf(run: Pick<RunView, 'Counts'>): number {
  return Object.entries(run.Counts).reduce((n, [code, k]) => (isSuccess(code) ? n : n + k), 0);
}

export function newestFirst(runs: RunView[]): RunView[] {
  return [...runs].sort((a, b) => b.RunId - a.RunId);
}
