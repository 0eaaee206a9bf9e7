import { DateTime } from 'luxon';
import { effectiveWindow } from './skill';

/** A skill's CallingWindow: local "HH:MM" times, Start included, End excluded. */
export interface DialWindow {
  Start: string;
  End: string;
}

function secondsOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return (h ?? 0) * 3600 + (m ?? 0) * 60;
}

/** Seconds (with milliseconds) since local midnight of `now` in `zone`; null for an unknown zone. */
export function localSecondOfDay(zone: string, now: Date): number | null {
  const local = DateTime.fromJSDate(now, { zone });
  if (!local.isValid) return null;
  return local.hour * 3600 + local.minute * 60 + local.second + local.millisecond / 1000;
}

/**
 * Whether the local time in `zone` at `now` lies inside the window, narrowed to 08:00-21:00
 * whatever the skill asks for. An unknown zone is never inside: calling at an unknown local
 * hour is what the window exists to prevent.
 */
export function isInsideDialWindow(zone: string, now: Date, window: DialWindow): boolean {
  const t = localSecondOfDay(zone, now);
  if (t === null) return false;
  const w = effectiveWindow(window);
  return t >= secondsOf(w.Start) && t < secondsOf(w.End);
}

/** The zones among `zones` that are inside the window at `now`. */
export function openDialZones(zones: Iterable<string>, now: Date, window: DialWindow): string[] {
  return [...new Set(zones)].filter((z) => isInsideDialWindow(z, now, window));
}

/** A destination is callable when the local time both in its own zone and in its contact's zone is inside. */
export function isDestinationInWindow(
  contactZone: string,
  destinationZone: string,
  now: Date,
  window: DialWindow,
): boolean {
  return isInsideDialWindow(contactZone, now, window) && isInsideDialWindow(destinationZone, now, window);
}
