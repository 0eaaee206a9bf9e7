/** Is a skill starving (CallableNow under its low water mark), and why, in words an operator acts on. */
import type { DialQueueAnswer, RunView, Skill } from '../dashboard-api';
import { fmt } from './format';
import { failuresOf } from './runs';

export interface Diagnosis {
  starving: boolean;
  /** The low water mark in force: the queue's, else the skill's settings', else none. */
  low: number | null;
  reasons: string[];
}

export function diagnose(skill: Skill, q: DialQueueAnswer | null, runs: RunView[]): Diagnosis {
  const refill = skill.Refill ?? null;
  const low = q && q.LowWaterMark !== null ? q.LowWaterMark : refill ? refill.LowWaterMark : null;
  const starving = !!q && low !== null && q.CallableNow < low;
  const reasons: string[] = [];
  if (!refill) reasons.push('No Refill settings: only create-prospects calls feed this skill');
  else {
    if (!refill.Enabled) reasons.push('Refill is disabled for this skill');
    if (!refill.Connector) reasons.push('No connector configured (Refill.Connector)');
  }
  if (q?.RefillInFlight) reasons.push('A refill is in flight');
  else if (q && q.RefillInFlight === null) reasons.push('Whether a refill is in flight is unknown (the job queue did not answer)');
  const last = runs[0];
  if (last?.Status === 'Failed') reasons.push(`Last run #${last.RunId} failed${last.Error ? `: ${last.Error}` : ''}`);
  else if (last && last.RecordCount === 0) reasons.push(`Last run #${last.RunId} found nothing new in the CRM`);
  else if (last && last.RecordCount > 0 && failuresOf(last) === last.RecordCount) {
    reasons.push(`Last run #${last.RunId} rejected all ${fmt(last.RecordCount)} records`);
  }
  if (starving && q.Depth > q.CallableNow) {
    const idle = q.Depth - q.CallableNow;
    const parts: string[] = [];
    if (q.Resting) parts.push(`${fmt(q.Resting)} resting between attempts`);
    if (q.Claimed) parts.push(`${fmt(q.Claimed)} claimed by dialers`);
    const rest = idle - (q.Resting || 0) - (q.Claimed || 0);
    if (rest > 0) parts.push(`${fmt(rest)} outside the calling window now`);
    reasons.push(`${fmt(idle)} of ${fmt(q.Depth)} queued prospects are not callable now${parts.length ? `: ${parts.join(', ')}` : ''}`);
    if (Array.isArray(q.OpenTimeZones) && q.OpenTimeZones.length === 0 && q.Depth > 0) {
      reasons.push("No time zone of this skill's prospects is inside its calling window right now");
    }
  }
  if (starving && q.Depth === 0 && !q.RefillInFlight) reasons.push('The dialing queue is empty');
  if (starving && reasons.length === 0) {
    reasons.push(
      `No refill in flight yet: the brain queues one at its next check (every ${refill?.CheckIntervalSeconds || 5} s); if this lasts, check that a brain process is running`,
    );
  }
  return { starving, low, reasons };
}
