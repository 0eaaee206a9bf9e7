/** Hovering a chart shows the nearest sample's time and figures. */
import { PLOT } from './chart';
import { byId, h } from './dom';
import { fmt } from './format';
import { WINDOW_MS } from './history';
import { state } from './state';

export function followPointer(ev: MouseEvent): void {
  const tip = byId('tooltip');
  const svg = ev.target instanceof Element ? ev.target.closest('svg[data-skill]') : null;
  const samples = svg ? (state.history.get(Number(svg.getAttribute('data-skill'))) ?? []) : [];
  if (!svg || !samples.length) {
    tip.style.display = 'none';
    return;
  }
  const box = svg.getBoundingClientRect();
  const W = Number(svg.getAttribute('data-w'));
  const px = ((ev.clientX - box.left) / box.width) * W;
  const t = Date.now() - WINDOW_MS + ((px - PLOT.left) / (W - PLOT.left - PLOT.right)) * WINDOW_MS;
  const best = samples.reduce((a, b) => (Math.abs(b.t - t) < Math.abs(a.t - t) ? b : a));
  const lines = [`Callable now ${fmt(best.callable)}`, `Depth ${fmt(best.depth)}`];
  if (best.low !== null) lines.push(`Low ${fmt(best.low)} · Target ${fmt(best.target)}`);
  tip.replaceChildren(h('b', {}, new Date(best.t).toLocaleTimeString()), ...lines.flatMap((l) => [h('br'), l]));
  tip.style.display = 'block';
  tip.style.left = `${Math.min(window.innerWidth - 180, ev.clientX + 14)}px`;
  tip.style.top = `${ev.clientY + 14}px`;
}
