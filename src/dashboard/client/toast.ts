/** A short note in the corner for five seconds. */
import { byId, h } from './dom';

export function toast(text: string, bad = false): void {
  const el = h('div', { class: `toast${bad ? ' bad' : ''}`, role: 'status' }, text);
  byId('toasts').append(el);
  setTimeout(() => el.remove(), 5000);
}
