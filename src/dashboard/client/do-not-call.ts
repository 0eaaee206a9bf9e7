/**
 * The do-not-call panel: for the chosen skill, the lists it applies (entry counts, which apply to
 * every skill), what its recent runs dropped or refused (numbers masked by the server), and a
 * search that asks GET /v1/suppression whether a number is suppressed for it, by what, since when.
 * Built once and updated in place, so a number being typed survives the dashboard's redraws.
 */
import type { CheckAnswer, SkillSuppressionAnswer } from '../dashboard-api';
import { api, errorText } from './api';
import { byId, h } from './dom';
import { ago, fmt } from './format';
import { state } from './state';

/** The lists and runs change slowly; the panel re-reads them this often (and on a skill change). */
const REFRESH_MS = 20_000;

interface Panel {
  skill: HTMLSelectElement;
  lists: HTMLElement;
  runs: HTMLElement;
  number: HTMLInputElement;
  answer: HTMLElement;
}

let panel: Panel | null = null;
let loadedFor: number | null = null;
let loadedAt = 0;

export function renderDoNotCall(): void {
  const root = byId('dnc');
  if (!state.skills.length) {
    root.replaceChildren();
    panel = null;
    return;
  }
  panel ??= build(root);
  syncSkills(panel.skill);
  const skillNo = Number(panel.skill.value);
  if (skillNo !== loadedFor || Date.now() - loadedAt > REFRESH_MS) void load(panel, skillNo);
}

function build(root: HTMLElement): Panel {
  const p: Panel = {
    skill: h('select', { 'aria-label': 'Skill', name: 'dnc-skill' }),
    lists: h('div', { class: 'dnc-lists' }),
    runs: h('div', { class: 'dnc-runs' }),
    number: h('input', {
      type: 'search',
      name: 'dnc-number',
      placeholder: '+1 212 555 0100',
      'aria-label': 'Phone number',
      autocomplete: 'off',
    }),
    answer: h('div', { class: 'dnc-answer', 'aria-live': 'polite' }),
  };
  p.skill.addEventListener('change', () => {
    p.answer.replaceChildren();
    void load(p, Number(p.skill.value));
  });
  const form = h('form', { class: 'dnc-search' }, p.number, h('button', { class: 'btn', type: 'submit' }, 'Check'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void search(p);
  });
  root.replaceChildren(
    h('div', { class: 'dnc-head' }, h('h2', {}, 'Do-not-call'), p.skill),
    h(
      'div',
      { class: 'dnc-body' },
      h('div', {}, h('h3', {}, 'Lists applied'), p.lists),
      h('div', {}, h('h3', {}, 'Suppressed in recent runs'), p.runs),
      h('div', {}, h('h3', {}, 'Is this number suppressed?'), form, p.answer),
    ),
  );
  return p;
}

function syncSkills(select: HTMLSelectElement): void {
  const wanted = state.skills.map((s) => String(s.SkillNo));
  const have = [...select.options].map((o) => o.value);
  if (wanted.join(',') === have.join(',')) return;
  const keep = select.value;
  select.replaceChildren(...state.skills.map((s) => h('option', { value: s.SkillNo }, `${s.SkillNo} ${s.Name}`)));
  if (wanted.includes(keep)) select.value = keep;
}

async function load(p: Panel, skillNo: number): Promise<void> {
  loadedFor = skillNo;
  loadedAt = Date.now();
  try {
    const view = await api.skillSuppression(skillNo);
    if (Number(p.skill.value) !== skillNo) return;
    p.lists.replaceChildren(listsTable(view));
    p.runs.replaceChildren(runsTable(view));
  } catch (e) {
    p.lists.replaceChildren(h('div', { class: 'msg' }, `Could not load the lists: ${errorText(e)}`));
    p.runs.replaceChildren();
  }
}

function listsTable(view: SkillSuppressionAnswer): HTMLElement {
  if (!view.Lists.length) return h('div', { class: 'none' }, 'No list applies to this skill');
  return h(
    'table',
    { class: 'dnc-table', 'data-dnc': 'lists' },
    h('thead', {}, h('tr', {}, ...['List', 'Entries', 'Applies'].map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      ...view.Lists.map((l) =>
        h(
          'tr',
          { 'data-list': l.ListName },
          h('td', {}, l.ListName),
          h('td', { class: 'num' }, l.Exists ? fmt(l.Entries) : 'missing'),
          h('td', {}, [l.AllSkills ? 'all skills' : 'this skill', l.DoNotCallList ? 'DoNotCallList' : ''].filter(Boolean).join(' · ')),
        ),
      ),
    ),
  );
}

function runsTable(view: SkillSuppressionAnswer): HTMLElement {
  const runs = view.Runs.filter((r) => r.Numbers > 0);
  if (!runs.length) return h('div', { class: 'none' }, view.Runs.length ? 'No suppressed numbers in the recent runs' : 'No runs yet');
  return h(
    'table',
    { class: 'dnc-table', 'data-dnc': 'runs' },
    h('thead', {}, h('tr', {}, ...['Run', 'Numbers', 'Records refused', 'Records kept', 'Examples (masked)'].map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      ...runs.map((r) =>
        h(
          'tr',
          { 'data-run': r.RunId },
          h('td', { title: new Date(r.StartedAt).toLocaleString() }, `#${r.RunId} · ${ago(r.StartedAt)}`),
          h('td', { class: 'num' }, fmt(r.Numbers)),
          h('td', { class: 'num' }, fmt(r.Refused)),
          h('td', { class: 'num' }, fmt(r.Dropped)),
          h('td', {}, r.Examples.map((x) => `${x.Number} (${x.ListName}${x.ByPrefix ? ', by prefix' : ''})`).join(', ')),
        ),
      ),
    ),
  );
}

async function search(p: Panel): Promise<void> {
  const typed = p.number.value.trim();
  if (!typed) return;
  const skillNo = Number(p.skill.value);
  p.answer.replaceChildren(h('div', { class: 'msg' }, 'Checking…'));
  try {
    const answer = await api.checkSuppression(typed, skillNo);
    p.answer.replaceChildren(checkAnswer(typed, skillNo, answer));
  } catch (e) {
    p.answer.replaceChildren(h('div', { class: 'msg' }, `Could not check: ${errorText(e)}`));
  }
}

/** The one place the panel shows a number whole: as the user typed it, to a key that may ask. */
function checkAnswer(typed: string, skillNo: number, a: CheckAnswer): HTMLElement {
  if (!a.Suppressed)
    return h('div', { class: 'verdict clear', 'data-suppressed': 'false' }, `${typed} is not suppressed for skill ${skillNo}`);
  return h(
    'div',
    { 'data-suppressed': 'true' },
    h('div', { class: 'verdict held' }, `${typed} is suppressed for skill ${skillNo}`),
    h(
      'table',
      { class: 'dnc-table' },
      h('thead', {}, h('tr', {}, ...['List', 'By', 'Since', 'Expires', 'Reason'].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        ...a.Matches.map((m) =>
          h(
            'tr',
            {},
            h('td', {}, m.ListName),
            h('td', {}, m.Prefix !== undefined ? `prefix ${m.Prefix}` : `number ${typed}`),
            h('td', {}, new Date(m.AddedAt).toLocaleString()),
            h('td', {}, m.ExpiresAt ? new Date(m.ExpiresAt).toLocaleString() : 'never'),
            h('td', {}, m.Reason ?? '–'),
          ),
        ),
      ),
    ),
  );
}
