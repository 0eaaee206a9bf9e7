/** A skill's hour as SVG: Depth (area) and CallableNow (line) against its low water mark and target. */
import type { DialQueueAnswer, HistorySample } from '../dashboard-api';
import { s } from './dom';
import { fmtShort } from './format';
import { WINDOW_MS } from './history';
import { POLL_MS } from './poll';

/** Plot margins; the tooltip maps a pointer back to a time with the same ones. */
export const PLOT = { height: 180, left: 44, right: 64, top: 12, bottom: 22 };

interface Scale {
  x: (t: number) => number;
  y: (v: number) => number;
}

export function chartSvg(
  skillNo: number,
  samples: HistorySample[],
  q: DialQueueAnswer | null,
  width: number,
  intervalMs: number,
): SVGSVGElement {
  const { height: H, left, right, top: padT, bottom } = PLOT;
  const W = Math.max(320, width);
  const now = Date.now();
  const from = now - WINDOW_MS;
  const low = q?.LowWaterMark ?? null;
  const target = q?.TargetDepth ?? null;
  let max = Math.max(10, target || 0, low || 0);
  for (const p of samples) max = Math.max(max, p.depth || 0, p.callable || 0);
  const step = niceStep(max / 4);
  const top = Math.ceil((max * 1.08) / step) * step;
  const sc: Scale = {
    x: (t) => left + ((t - from) / WINDOW_MS) * (W - left - right),
    y: (v) => padT + (1 - v / top) * (H - padT - bottom),
  };
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`,
    preserveAspectRatio: 'none',
    'data-skill': skillNo,
    'data-w': W,
    role: 'img',
    'aria-label': 'Depth and CallableNow over the last hour',
  });
  for (let v = 0; v <= top; v += step) {
    svg.append(
      s('line', { class: 'gridline', x1: left, x2: W - right, y1: sc.y(v), y2: sc.y(v) }),
      s('text', { class: 'axis', x: left - 6, y: sc.y(v) + 3, 'text-anchor': 'end' }, fmtShort(v)),
    );
  }
  for (let m = 60; m >= 0; m -= 15) {
    svg.append(s('text', { class: 'axis', x: sc.x(now - m * 60_000), y: H - 6, 'text-anchor': 'middle' }, m === 0 ? 'now' : `-${m}m`));
  }
  if (low !== null) {
    svg.append(s('rect', { class: 'below-low', x: left, y: sc.y(low), width: W - left - right, height: sc.y(0) - sc.y(low) }));
  }
  for (const seg of splitOnGaps(samples, Math.max(intervalMs * 3, POLL_MS * 3))) {
    const first = seg[0]!;
    const last = seg[seg.length - 1]!;
    const area = `M${sc.x(first.t)},${sc.y(0)}${seg.map((p) => `L${sc.x(p.t)},${sc.y(p.depth)}`).join('')}L${sc.x(last.t)},${sc.y(0)}Z`;
    svg.append(
      s('path', { class: 'depth-area', d: area }),
      s('path', { class: 'depth-line', d: line(seg, sc, 'depth') }),
      s('path', { class: 'callable-line', d: line(seg, sc, 'callable') }),
    );
  }
  if (target !== null) svg.append(...threshold(sc.y(target), left, W - right, 'target', `Target ${fmtShort(target)}`));
  if (low !== null) svg.append(...threshold(sc.y(low), left, W - right, 'low', `Low ${fmtShort(low)}`));
  const last = samples.at(-1);
  if (last) {
    const starving = low !== null && last.callable < low;
    svg.append(s('circle', { class: `now-dot${starving ? ' starving' : ''}`, cx: sc.x(last.t), cy: sc.y(last.callable), r: 3.5 }));
  }
  return svg;
}

function threshold(yy: number, x1: number, x2: number, kind: string, label: string): SVGElement[] {
  return [
    s('line', { class: `thr ${kind}`, x1, x2, y1: yy, y2: yy }),
    s('text', { class: `thr-label ${kind}`, x: x2 + 6, y: yy + 3 }, label),
  ];
}

function line(seg: HistorySample[], sc: Scale, key: 'depth' | 'callable'): string {
  return seg.map((p, i) => `${i ? 'L' : 'M'}${sc.x(p.t).toFixed(1)},${sc.y(p[key] || 0).toFixed(1)}`).join('');
}

/** Runs of samples with no hole longer than `gap` ms: a stopped sampler leaves a gap, not a slope. */
function splitOnGaps(samples: HistorySample[], gap: number): HistorySample[][] {
  const out: HistorySample[][] = [];
  let cur: HistorySample[] = [];
  for (const p of samples) {
    const prev = cur.at(-1);
    if (prev && p.t - prev.t > gap) {
      out.push(cur);
      cur = [];
    }
    cur.push(p);
  }
  if (cur.length) out.push(cur);
  return out;
}

function niceStep(raw: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
  const n = raw / p;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * p;
}
