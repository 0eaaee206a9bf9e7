/** The header: figures over all skills, the connection state, the caller's role. */
import { diagnose } from './diagnose';
import { byId, h } from './dom';
import { ago, fmt } from './format';
import { queueOf, state } from './state';

/** One tile of the summary row; `alert` colours it. */
export interface SummaryTile {
  label: string;
  value: string;
  alert?: boolean;
}

/** The summary row, in order; a new figure over all skills is one more entry here. */
function summaryTiles(): SummaryTile[] {
  let starving = 0;
  let inFlight = 0;
  let callable = 0;
  for (const skill of state.skills) {
    const q = queueOf(skill.SkillNo);
    if (!q) continue;
    if (diagnose(skill, q, state.runs.get(skill.SkillNo) ?? []).starving) starving++;
    if (q.RefillInFlight) inFlight++;
    callable += q.CallableNow || 0;
  }
  return [
    { label: 'Skills', value: fmt(state.skills.length) },
    { label: 'Starving', value: fmt(starving), alert: starving > 0 },
    { label: 'Callable now (all skills)', value: fmt(callable) },
    { label: 'Refills in flight', value: fmt(inFlight) },
    owedTile(),
  ];
}

/** Write-backs the CRMs are still owed; alarming once the oldest has waited over 10 minutes. */
function owedTile(): SummaryTile {
  const owed = state.owed;
  if (!owed) return { label: 'Write-backs owed', value: '–' };
  const oldest = owed.WriteBacksOwed > 0 ? ` (oldest stored ${ago(Date.now() - owed.OldestOwedSeconds * 1000)})` : '';
  return { label: 'Write-backs owed', value: `${fmt(owed.WriteBacksOwed)}${oldest}`, alert: owed.OldestOwedSeconds > 600 };
}

export function renderSummary(): void {
  byId('summary').replaceChildren(
    ...summaryTiles().map((t) =>
      h('div', { class: `tile${t.alert ? ' alert' : ''}` }, h('div', { class: 'k' }, t.label), h('div', { class: 'v' }, t.value)),
    ),
  );
  const banner = byId('banner');
  banner.hidden = !state.error;
  banner.textContent = state.error ? `Cannot reach the service: ${state.error} (retrying)` : '';
  const role = state.session?.Role ?? '';
  const roleEl = byId('role');
  roleEl.textContent = role === 'open' ? 'open access' : role;
  roleEl.hidden = !role;
  byId('signout').hidden = !state.session || state.session.Role === 'open';
  byId('live-dot').className = `dot${state.error ? ' stale' : ''}`;
  byId('updated').textContent = state.lastOk ? `Updated ${new Date(state.lastOk).toLocaleTimeString()}` : 'Loading…';
}

/** Between polls, the "Updated …" line ages by the second. */
export function tickUpdated(): void {
  if (state.loaded) byId('updated').textContent = state.lastOk ? `Updated ${ago(state.lastOk)}` : 'Loading…';
}
