/** A run's ResultCode counts as chips: successes first, then the most frequent. */
import { h } from './dom';
import { fmt } from './format';
import { isSuccess } from './runs';

export function codeChips(counts: Record<string, number>): HTMLElement[] {
  const codes = Object.keys(counts).filter((k) => (counts[k] ?? 0) > 0);
  codes.sort((a, b) => Number(isSuccess(b)) - Number(isSuccess(a)) || (counts[b] ?? 0) - (counts[a] ?? 0));
  if (!codes.length) return [h('span', { class: 'code' }, 'no records')];
  return codes.map((k) => h('span', { class: `code ${isSuccess(k) ? 'ok' : 'fail'}` }, `${k} ${fmt(counts[k])}`));
}
