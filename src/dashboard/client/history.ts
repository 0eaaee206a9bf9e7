/**
 * The last hour of each skill's queue: the server's samples (every IntervalSeconds), topped up
 * with the page's own reads between two history loads.
 */
import type { DialQueueAnswer, HistorySample } from '../dashboard-api';
import { api } from './api';
import { state } from './state';

export const WINDOW_MS = 3_600_000;
/** How often the stored history is read again. */
export const HISTORY_EVERY_MS = 30_000;

function keep(samples: HistorySample[]): HistorySample[] {
  const from = Date.now() - WINDOW_MS;
  return samples.filter((s) => s.t >= from);
}

export function appendLive(skillNo: number, q: DialQueueAnswer): void {
  const list = state.history.get(skillNo) ?? [];
  list.push({ t: Date.now(), depth: q.Depth, callable: q.CallableNow, low: q.LowWaterMark, target: q.TargetDepth });
  state.history.set(skillNo, keep(list));
}

export async function loadHistory(): Promise<void> {
  const h = await api.history();
  state.intervalMs = (h.IntervalSeconds || 10) * 1000;
  const fresh = new Map<number, HistorySample[]>();
  for (const [key, stored] of Object.entries(h.Skills)) {
    const skillNo = Number(key);
    const last = stored.at(-1)?.t ?? 0;
    const live = (state.history.get(skillNo) ?? []).filter((s) => s.t > last);
    fresh.set(skillNo, keep(stored.concat(live)));
  }
  for (const [skillNo, list] of state.history) if (!fresh.has(skillNo)) fresh.set(skillNo, list);
  state.history = fresh;
  state.historyAt = Date.now();
}
