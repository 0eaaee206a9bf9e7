/** A card's line of why contacts are not callable now: each calling rule's count, and when the next open. */
import type { HeldBackView } from '../dashboard-api';
import { h } from './dom';
import { fmt } from './format';

const LABELS: Record<keyof HeldBackView['HeldBack'], string> = {
  Window: 'outside the window',
  ClosedDay: 'closed day',
  StateRules: 'state hours',
  ManualOnly: 'manual only',
  Caps: 'at a cap',
  Suppression: 'suppressed',
};

export function heldBackLine(view: HeldBackView | undefined): HTMLElement | null {
  if (!view) return null;
  const parts = (Object.keys(LABELS) as Array<keyof typeof LABELS>)
    .filter((k) => view.HeldBack[k] > 0)
    .map((k) => h('span', { class: 'held', 'data-reason': k }, `${fmt(view.HeldBack[k])} ${LABELS[k]}`));
  if (!parts.length) return null;
  return h(
    'div',
    { class: 'held-back', title: 'Contacts in the queue, not claimed nor resting, that the calling rules keep from being called now' },
    h('span', { class: 'k' }, 'Held back now: '),
    ...parts,
    view.NextOpensAt && h('span', { class: 'next' }, `next open ${new Date(view.NextOpensAt).toLocaleString()}`),
  );
}
