/**
 * "Undo" on a run (contract section 10), in the run's drawer: operator keys only (the server
 * checks again). It asks first, in the page (no window.confirm: a dialog the page draws works
 * under any CSP and can be tested), then shows the answer's counts; an undone run says who undid
 * it and when.
 */
import type { RunView } from '../dashboard-api';
import { api, errorText, SignedOut } from './api';
import { h } from './dom';
import { fmt } from './format';
import { canRefill, changed, state, type DrawerState } from './state';
import { toast } from './toast';

const UNDO_CODES = ['Removed', 'Restored', 'ChangedSince'] as const;

export function countsText(counts: Record<string, number>): string {
  return UNDO_CODES.map((c) => `${c} ${fmt(counts[c] ?? 0)}`).join(' · ');
}

/** The undo part of a drawer's header: the Undone line, or the button and its confirm step. */
export function undoSection(d: DrawerState): HTMLElement | null {
  const r = d.run;
  if (r.Status === 'Undone' && r.Undo) {
    return h(
      'div',
      { class: 'undo undone', 'data-undone': r.RunId },
      `Undone ${new Date(r.Undo.At).toLocaleString()}${r.Undo.By ? ` by ${r.Undo.By}` : ''}: ${countsText(r.Undo.Counts)}`,
    );
  }
  if (r.Status !== 'Completed') return null;
  if (!canRefill()) return null;
  if (d.undo === 'asking') {
    const yes = h('button', { class: 'btn', 'data-undo-confirm': r.RunId }, `Yes, undo run #${r.RunId}`);
    const no = h('button', { class: 'btn ghost', 'data-undo-cancel': r.RunId }, 'Cancel');
    yes.addEventListener('click', () => void undo(d));
    no.addEventListener('click', () => setUndo(d, null));
    return h(
      'div',
      { class: 'undo asking', role: 'alertdialog', 'aria-label': `Undo run ${r.RunId}?` },
      h('span', {}, 'Remove the contacts this run created and put back the ones it updated? Contacts changed since are left as they are.'),
      yes,
      no,
    );
  }
  const button = h(
    'button',
    { class: 'btn ghost', 'data-undo': r.RunId, disabled: d.undo === 'running' },
    d.undo === 'running' ? 'Undoing…' : 'Undo',
  );
  button.addEventListener('click', () => setUndo(d, 'asking'));
  return button;
}

function setUndo(d: DrawerState, step: DrawerState['undo']): void {
  d.undo = step;
  changed();
}

async function undo(d: DrawerState): Promise<void> {
  const runId = d.run.RunId;
  setUndo(d, 'running');
  try {
    const res = await api.undo(runId);
    const done: Partial<RunView> = { Status: 'Undone', Undo: { At: res.UndoneAt, By: res.UndoneBy, Counts: res.Summary } };
    Object.assign(d.run, done);
    const listed = (state.runs.get(d.skillNo) ?? []).find((x) => x.RunId === runId);
    if (listed) Object.assign(listed, done);
    toast(`Run #${runId} undone: ${countsText(res.Summary)}`);
  } catch (e) {
    if (!(e instanceof SignedOut)) toast(`Run #${runId}: undo refused: ${errorText(e)}`, true);
  }
  setUndo(d, null);
}
