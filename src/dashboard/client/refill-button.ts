/** "Refill now": queues a fetch of the skill (operator keys only; the button says why when not). */
import { api, errorText, SignedOut } from './api';
import { h } from './dom';
import { canRefill, changed, state } from './state';
import { toast } from './toast';

export function refillButton(skillNo: number): HTMLButtonElement {
  const allowed = canRefill();
  const pending = state.pending.has(skillNo);
  const button = h(
    'button',
    {
      class: 'btn',
      'data-refill': skillNo,
      title: allowed ? 'Queue a refill of this skill now' : 'Only operator keys may start a refill',
      disabled: !allowed || pending,
    },
    pending ? 'Queuing…' : 'Refill now',
  );
  button.addEventListener('click', () => void refill(skillNo));
  return button;
}

async function refill(n: number): Promise<void> {
  state.pending.add(n);
  changed();
  try {
    const res = await api.refill(n);
    toast(res.Deduplicated ? `Skill ${n}: a refill was already queued (job ${res.JobId})` : `Skill ${n}: refill queued (job ${res.JobId})`);
  } catch (e) {
    if (!(e instanceof SignedOut)) toast(`Skill ${n}: refill refused: ${errorText(e)}`, true);
  }
  state.pending.delete(n);
  changed();
}
