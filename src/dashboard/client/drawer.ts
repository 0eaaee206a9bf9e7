/** A run's failed records in a side drawer, filterable by ResultCode; phone numbers come masked. */
import type { FailedRecord } from '../dashboard-api';
import { api, errorText } from './api';
import { byId, h } from './dom';
import { fmt } from './format';
import { isSuccess } from './runs';
import { undoSection } from './undo-button';
import { state, type DrawerState } from './state';

/** A record's JSON is cut here in the table; its title attribute holds all of it. */
const RECORD_SHOWN_CHARS = 220;

export async function openRun(runId: number, skillNo: number): Promise<void> {
  const run = (state.runs.get(skillNo) ?? []).find((r) => r.RunId === runId) ?? { RunId: runId, Counts: {} };
  const drawer: DrawerState = { run, skillNo, loading: true, records: [], total: 0, filter: null, error: null };
  state.drawer = drawer;
  renderDrawer();
  try {
    const body = await api.failedRecords(runId);
    if (state.drawer !== drawer) return;
    drawer.records = body.FailedRecords;
    drawer.total = body.Total ?? drawer.records.length;
  } catch (e) {
    drawer.error = errorText(e);
  }
  drawer.loading = false;
  renderDrawer();
}

export function closeDrawer(): void {
  if (!state.drawer) return;
  state.drawer = null;
  renderDrawer();
}

export function renderDrawer(): void {
  const root = byId('drawer');
  const d = state.drawer;
  if (!d) {
    root.replaceChildren();
    return;
  }
  const overlay = h(
    'div',
    { class: 'overlay' },
    h(
      'section',
      { class: 'drawer', role: 'dialog', 'aria-modal': 'true', 'aria-label': `Failed records of run ${d.run.RunId}` },
      header(d),
      filters(d),
      h('div', { class: 'body' }, body(d)),
      h(
        'div',
        { class: 'foot' },
        `${d.records.length < d.total ? `Showing the first ${fmt(d.records.length)} of ${fmt(d.total)} failed records. ` : ''}Phone numbers are masked to their last four digits.`,
      ),
    ),
  );
  overlay.addEventListener('click', (ev) => {
    if (ev.target === overlay) closeDrawer();
  });
  root.replaceChildren(overlay);
}

function header(d: DrawerState): HTMLElement {
  const r = d.run;
  const meta = [`Skill ${d.skillNo}`];
  if (r.SourceName) meta.push(`source ${r.SourceName}`);
  if (r.Origin) meta.push(r.Origin);
  if (r.StartedAt) meta.push(`started ${new Date(r.StartedAt).toLocaleString()}`);
  meta.push(`${fmt(r.RecordCount)} records`);
  if (r.Status === 'Failed' && r.Error) meta.push(`failed: ${r.Error}`);
  const close = h('button', { class: 'btn ghost', 'aria-label': 'Close' }, 'Close');
  close.addEventListener('click', closeDrawer);
  return h(
    'header',
    {},
    h('div', {}, h('h3', {}, `Run #${r.RunId} · failed records`), h('div', { class: 'meta' }, meta.join(' · '))),
    h('span', { class: 'spacer' }),
    undoSection(d),
    close,
  );
}

function filters(d: DrawerState): HTMLElement {
  const chip = (code: string | null, text: string) => {
    const el = h('span', { class: `chip${d.filter === code ? ' on' : ''}`, 'data-filter': code ?? '' }, text);
    el.addEventListener('click', () => {
      d.filter = code;
      renderDrawer();
    });
    return el;
  };
  const counts = d.run.Counts;
  const failedCodes = Object.keys(counts).filter((k) => !isSuccess(k) && (counts[k] ?? 0) > 0);
  return h(
    'div',
    { class: 'filters' },
    chip(null, `All failures ${fmt(d.total)}`),
    ...failedCodes.map((k) => chip(k, `${k} ${fmt(counts[k])}`)),
  );
}

function body(d: DrawerState): HTMLElement {
  const rows = d.records.filter((x) => !d.filter || x.ResultCode === d.filter);
  if (d.loading) return h('div', { class: 'msg' }, 'Loading…');
  if (d.error) return h('div', { class: 'msg' }, `Could not load the records: ${d.error}`);
  if (!rows.length) return h('div', { class: 'msg' }, 'No failed records in this run.');
  return h(
    'table',
    { class: 'failed' },
    h(
      'thead',
      {},
      h('tr', {}, ...['#', 'ExternalID', 'ResultCode', 'ResultMessage', 'Record (phone numbers masked)'].map((t) => h('th', {}, t))),
    ),
    h('tbody', {}, ...rows.map(recordRow)),
  );
}

function recordRow(x: FailedRecord): HTMLElement {
  const rec = JSON.stringify(x.Record) ?? '';
  return h(
    'tr',
    {},
    h('td', {}, x.Seq + 1),
    h('td', {}, x.ExternalID === null || x.ExternalID === undefined ? '–' : String(x.ExternalID)),
    h('td', {}, h('span', { class: 'code fail' }, x.ResultCode)),
    h('td', {}, x.ResultMessage ? String(x.ResultMessage) : ''),
    h('td', { class: 'rec', title: rec }, rec.length > RECORD_SHOWN_CHARS ? `${rec.slice(0, RECORD_SHOWN_CHARS)}…` : rec),
  );
}
