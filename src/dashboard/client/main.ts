/**
 * The queue dashboard's browser code (bundled by src/dashboard/client-bundle.ts with its
 * stylesheet). No library and no network but the service's own JSON routes: see api.ts.
 */
import './dashboard.css';
import { card, drawCharts } from './card';
import { renderDoNotCall } from './do-not-call';
import { byId, h } from './dom';
import { closeDrawer, renderDrawer } from './drawer';
import { poll } from './poll';
import { onChange, state } from './state';
import { renderSummary, tickUpdated } from './summary';
import { followPointer } from './tooltip';

function render(): void {
  renderSummary();
  const grid = byId('grid');
  if (!state.skills.length) {
    grid.className = '';
    grid.replaceChildren(...(state.loaded ? [noSkills()] : []));
  } else {
    grid.className = 'grid';
    grid.replaceChildren(...state.skills.map(card));
    drawCharts(grid);
  }
  renderDrawer();
  renderDoNotCall();
}

function noSkills(): HTMLElement {
  return h(
    'div',
    { class: 'empty-state' },
    h('h3', {}, 'No skills yet'),
    h('p', {}, 'Create one with ', h('code', {}, 'PUT /v1/skills/{SkillNo}'), '; it shows up here within seconds.'),
  );
}

onChange(render);
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape') closeDrawer();
});
document.addEventListener('mousemove', followPointer);
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(render, 150);
});
setInterval(tickUpdated, 1000);
void poll();
