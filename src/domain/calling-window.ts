import { IANAZone } from 'luxon';
import { effectiveWindow } from './skill';

/** A skill's CallingWindow: local "HH:MM" times, Start included, End excluded. */
export interface CallingWindow {
  Start: string;
  End: string;
}

const DAY_MS = 86_400_000;

/** Milliseconds since local midnight in `zone` at `now`; NaN for a zone this runtime does not know. */
export function localTimeOfDay(zone: string, now: Date): number {
  const ms = now.getTime();
  // IANAZone.create keeps one instance (and one Intl formatter) per zone name.
  const offsetMinutes = IANAZone.create(zone).offset(ms);
  const local = ms + offsetMinutes * 60_000;
  return ((local % DAY_MS) + DAY_MS) % DAY_MS;
}

/**
 * Whether local time in `zone` lies inside the window, narrowed to 08:00-21:00 whatever the
 * skill asks (Start included, End excluded). An unknown zone is never inside.
 */
export function isInsideWindow(zone: string, now: Date, window: CallingWindow): boolean {
  const w = effectiveWindow(window);
  const t = localTimeOfDay(zone, now);
  return t >= clockMs(w.Start) && t < clockMs(w.End);
}

/** The zones among `zones` where calling is allowed now, in the given order, without repeats. */
export function openZones(zones: readonly string[], now: Date, window: CallingWindow): string[] {
  return [...new Set(zones)].filter((z) => isInsideWindow(z, now, window));
}

function clockMs(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return (Number(h) * 60 + Number(m)) * 60_000;
}
