/** How numbers and times read on the dashboard. */

export function fmt(n: number | null | undefined): string {
  return n === null || n === undefined || Number.isNaN(n) ? '–' : Number(n).toLocaleString('en-US');
}

/** A chart axis label: 12.5k, 3M. */
export function fmtShort(v: number): string {
  if (v >= 1e6) return `${(v / 1e6).toFixed(v % 1e6 ? 1 : 0)}M`;
  if (v >= 1e4) return `${(v / 1e3).toFixed(v % 1e3 ? 1 : 0)}k`;
  return fmt(v);
}

export function ago(ts: string | number | null | undefined): string {
  if (!ts) return 'never';
  const s = Math.max(0, Math.round((Date.now() - new Date(ts).getTime()) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m ago`;
  return `${Math.floor(s / 86400)}d ago`;
}
