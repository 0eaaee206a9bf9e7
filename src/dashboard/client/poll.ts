/** Every few seconds: the skills, each one's dial queue and runs, and now and then the history. */
import { api, errorText, SignedOut } from './api';
import { appendLive, HISTORY_EVERY_MS, loadHistory } from './history';
import { newestFirst } from './runs';
import { changed, state } from './state';

export const POLL_MS = 4000;

export async function poll(): Promise<void> {
  try {
    state.session ??= await api.session();
    const skills = [...(await api.skills()).Skills].sort((a, b) => a.SkillNo - b.SkillNo);
    state.skills = skills;
    await Promise.all(
      skills.map(async ({ SkillNo: n }) => {
        const [queue, runs] = await Promise.all([
          api.dialQueue(n).catch((e: unknown) => ({ error: errorText(e) })),
          api.runs(n).catch(() => null),
        ]);
        state.queues.set(n, queue);
        if (runs) state.runs.set(n, newestFirst(runs.Runs));
        if (!('error' in queue)) appendLive(n, queue);
      }),
    );
    state.owed = await api.owed().catch(() => null);
    const held = await api.heldBack().catch(() => null);
    if (held) state.heldBack = new Map(held.Skills.map((s) => [s.SkillNo, s]));
    if (!state.loaded || Date.now() - state.historyAt > HISTORY_EVERY_MS) await loadHistory();
    state.error = null;
    state.lastOk = Date.now();
  } catch (e) {
    if (!(e instanceof SignedOut)) state.error = errorText(e);
  }
  state.loaded = true;
  changed();
  setTimeout(() => void poll(), POLL_MS);
}
