/** Runs as the cards and the drawer count them. */
import type { RunView } from '../dashboard-api';

import { isSuccess } from '../../domain/result-code';

export { isSuccess };

export function failuresOf(run: Pick<RunView, 'Counts'>): number {
  return Object.entries(run.Counts).reduce((n, [code, k]) => (isSuccess(code) ? n : n + k), 0);
}

export function newestFirst(runs: RunView[]): RunView[] {
  return [...runs].sort((a, b) => b.RunId - a.RunId);
}
