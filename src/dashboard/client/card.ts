/** One skill's card: health pills, the numbers that matter, the chart, why it starves, recent runs. */
import type { DialQueueAnswer, RunView, Skill } from '../dashboard-api';
import { chartSvg } from './chart';
import { diagnose, type Diagnosis } from './diagnose';
import { h } from './dom';
import { ago, fmt } from './format';
import { openRun } from './drawer';
import { heldBackLine } from './held-back';
import { refillButton } from './refill-button';
import { codeChips } from './result-codes';
import { queueOf, queueUnavailable, state } from './state';

export function card(skill: Skill): HTMLElement {
  const n = skill.SkillNo;
  const q = queueOf(n);
  const runs = state.runs.get(n) ?? [];
  const d = diagnose(skill, q, runs);
  return h(
    'article',
    { class: `card${d.starving ? ' starving' : ''}`, 'data-skill': n },
    h(
      'div',
      { class: 'card-head' },
      h('h2', {}, h('span', { class: 'no' }, n), skill.Name),
      ...pills(skill, q, d),
      h('span', { class: 'spacer' }),
      refillButton(n),
    ),
    h('div', { class: 'stats' }, ...skillStats(q, d).map(stat)),
    h('div', { class: 'chart', 'data-chart': n }),
    heldBackLine(state.heldBack.get(n)),
    why(skill, q, d),
    recentRuns(n, runs),
    h(
      'div',
      { class: 'card-foot' },
      h('span', {}, `Last refill ${q ? ago(q.LastRefillAt) : '–'}`),
      skill.Refill && h('span', {}, `Source ${skill.Refill.SourceName}`),
      skill.Refill && h('span', {}, `Connector ${skill.Refill.Connector ? skill.Refill.Connector.Type : 'none'}`),
    ),
  );
}

/** Draws the cards' charts once they are in the page and have a width. */
export function drawCharts(grid: HTMLElement): void {
  for (const el of grid.querySelectorAll<HTMLElement>('[data-chart]')) {
    const n = Number(el.dataset.chart);
    const samples = state.history.get(n) ?? [];
    el.replaceChildren(chartSvg(n, samples, queueOf(n), el.clientWidth - 16, state.intervalMs));
    if (!samples.length)
      el.append(h('div', { class: 'empty' }, `No samples yet: the history fills in every ${Math.round(state.intervalMs / 1000)} s`));
  }
}

function pills(skill: Skill, q: DialQueueAnswer | null, d: Diagnosis): HTMLElement[] {
  const pill = (kind: string, text: string) => h('span', { class: `pill ${kind}` }, text);
  const out: HTMLElement[] = [];
  if (queueUnavailable(skill.SkillNo)) out.push(pill('muted', 'queue unavailable'));
  else if (d.starving) out.push(pill('bad', 'Starving'));
  else if (d.low === null) out.push(pill('muted', 'No thresholds'));
  else out.push(pill('good', 'Healthy'));
  if (q?.RefillInFlight) out.push(pill('info', 'Refilling'));
  if (skill.Refill && !skill.Refill.Enabled) out.push(pill('muted', 'Refill off'));
  return out;
}

/** One number of a card: `kind` is its CSS class, `swatch` its colour key in the chart. */
export interface SkillStat {
  kind: string;
  swatch: string;
  label: string;
  value: number | null | undefined;
}

/** The numbers under a card's title, in order; a new per-skill figure is one more entry here. */
function skillStats(q: DialQueueAnswer | null, d: Diagnosis): SkillStat[] {
  const low = !!q && d.low !== null && q.CallableNow < d.low;
  return [
    { kind: `callable${low ? ' low' : ''}`, swatch: 'callable', label: 'Callable now', value: q?.CallableNow },
    { kind: 'depth', swatch: 'depth', label: 'Depth', value: q?.Depth },
    { kind: '', swatch: 'low', label: 'Low water mark', value: q?.LowWaterMark },
    { kind: '', swatch: 'target', label: 'Target depth', value: q?.TargetDepth },
  ];
}

function stat(st: SkillStat): HTMLElement {
  return h(
    'div',
    { class: `stat ${st.kind}` },
    h('div', { class: 'k' }, h('span', { class: `swatch ${st.swatch}` }), st.label),
    h('div', { class: 'v' }, fmt(st.value)),
  );
}

function why(skill: Skill, q: DialQueueAnswer | null, d: Diagnosis): HTMLElement | null {
  if (d.starving && q) {
    return h(
      'div',
      { class: 'why' },
      h('div', { class: 'title' }, `Starving: ${fmt(q.CallableNow)} callable, below the low water mark of ${fmt(d.low)}`),
      h('ul', {}, ...d.reasons.map((r) => h('li', {}, r))),
    );
  }
  if (d.reasons.length && (!skill.Refill || !skill.Refill.Enabled || !skill.Refill.Connector))
    return h('div', { class: 'note' }, d.reasons[0]);
  return null;
}

function recentRuns(skillNo: number, runs: RunView[]): HTMLElement {
  return h(
    'div',
    { class: 'runs' },
    h('div', { class: 'runs-head' }, h('span', {}, 'Recent runs'), h('span', {}, 'click a run for its failed records')),
    !runs.length && h('div', { class: 'none' }, 'No runs yet'),
    ...runs.slice(0, 5).map((r) => {
      const row = h(
        'div',
        { class: 'run', 'data-run': r.RunId, 'data-skill': skillNo, title: `Show the failed records of run ${r.RunId}` },
        h('span', { class: `sdot ${r.Status}` }),
        h('span', { class: 'id' }, `#${r.RunId}`),
        h('span', { class: 'when' }, `${ago(r.StartedAt)} · ${r.Origin}${r.Status === 'Undone' ? ' · Undone' : ''}`),
        h('span', { class: 'counts' }, ...codeChips(r.Counts)),
        h('span', { class: 'go' }, `${fmt(r.RecordCount)} rec ›`),
      );
      row.addEventListener('click', () => void openRun(r.RunId, skillNo));
      return row;
    }),
  );
}
