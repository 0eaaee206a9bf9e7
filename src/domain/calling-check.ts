import { DateTime } from 'luxon';
import { type CallingRulesFile, type StateCalendar, clockMinutes, stateCalendar } from './calling-rules';

/**
 * Is a number callable at an instant, which rules hold it back, and when may it next be called?
 * Pure: the instant and the rules are passed in. Every rule is read in its own zone: the skill's
 * window and the federal hours in the number's zone and the contact's, each state's hours and
 * closed days in the zone of the party that brings that state in. The strictest holds: callable
 * only when every one allows it.
 */
export interface CallParty {
  /** USPS state code, or null when unknown / outside the US states (federal hours only). */
  state: string | null;
  /** IANA zone. */
  zone: string;
}

export interface CallCheckInput {
  number: CallParty;
  contact: CallParty;
  at: Date;
  /** The skill's CallingWindow (local, Start included, End excluded); absent: no skill. */
  window?: { Start: string; End: string } | null;
  /** The skill's Compliance.StateRules (default true). */
  stateRules?: boolean;
}

export interface CallCheck {
  callable: boolean;
  /** Rule names that hold it back at `at`: Window, FederalHours, StateHours:FL, ClosedDay:LA-Sunday, Holiday:LA-MardiGras. */
  reasons: string[];
  /** The first instant from `at` on when it is callable, within 14 days; null if none. */
  nextCallableAt: Date | null;
}

export const LOOKAHEAD_DAYS = 14;
const DAY_MS = 86_400_000;

/** A rule read in one zone: for a local date, the allowed minutes, or why the day is closed. */
interface ZonedRule {
  zone: string;
  /** Local minutes where an allowed interval may begin (candidates for "next callable"). */
  starts: number[];
  day(local: DateTime): { allowed: readonly [number, number] | null; reason: string } | null;
}

function calendarFor(file: CallingRulesFile, state: string, year: number): StateCalendar | null {
  // Holidays a year either side cover a 14-day look-ahead across New Year in any zone.
  return stateCalendar(file, state, year - 1, year + 1);
}

function rulesFor(file: CallingRulesFile, input: CallCheckInput): ZonedRule[] {
  const zones = [...new Set([input.number.zone, input.contact.zone])];
  const rules: ZonedRule[] = [];
  const fed: readonly [number, number] = [clockMinutes(file.Federal.Start), clockMinutes(file.Federal.End)];
  for (const zone of zones) {
    rules.push({ zone, starts: [fed[0]], day: () => ({ allowed: fed, reason: 'FederalHours' }) });
    if (input.window) {
      const w: readonly [number, number] = [clockMinutes(input.window.Start), clockMinutes(input.window.End)];
      rules.push({ zone, starts: [w[0]], day: () => ({ allowed: w, reason: 'Window' }) });
    }
  }
  if (input.stateRules === false) return rules;
  const year = input.at.getUTCFullYear();
  const seen = new Set<string>();
  for (const party of [input.number, input.contact]) {
    if (party.state === null || seen.has(`${party.state} ${party.zone}`)) continue;
    seen.add(`${party.state} ${party.zone}`);
    const cal = calendarFor(file, party.state, year);
    if (cal === null) continue;
    const st = party.state;
    const starts = cal.minutesByWeekday.flatMap((m) => (m ? [m[0]] : []));
    rules.push({
      zone: party.zone,
      starts,
      day: (local) => {
        const holiday = cal.holidays.get(local.toISODate() as string);
        if (holiday !== undefined) return { allowed: null, reason: `Holiday:${st}-${holiday}` };
        const m = cal.minutesByWeekday[local.weekday];
        if (m === null) return { allowed: null, reason: `ClosedDay:${st}-${WEEKDAY_NAMES[local.weekday]}` };
        if (m === undefined) return null;
        return { allowed: m, reason: `StateHours:${st}` };
      },
    });
  }
  return rules;
}
const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function reasonsAt(rules: ZonedRule[], ms: number): string[] {
  const reasons: string[] = [];
  for (const rule of rules) {
    const local = DateTime.fromMillis(ms, { zone: rule.zone });
    const d = rule.day(local);
    if (d === null) continue;
    const minute = local.hour * 60 + local.minute;
    if (d.allowed === null || minute < d.allowed[0] || minute >= d.allowed[1]) {
      if (!reasons.includes(d.reason)) reasons.push(d.reason);
    }
  }
  return reasons;
}

/**
 * Callable only when every rule allows; the next callable instant is searched among the
 * instants where some rule's allowed interval begins (every local day, every zone): being
 * callable can only start there, so the first such instant that is callable is exact to the
 * minute. Local times a DST gap skips resolve forward (luxon), as the clock does.
 */
export function checkCall(file: CallingRulesFile, input: CallCheckInput): CallCheck {
  const rules = rulesFor(file, input);
  const at = input.at.getTime();
  const reasons = reasonsAt(rules, at);
  if (reasons.length === 0) return { callable: true, reasons, nextCallableAt: input.at };
  const until = at + LOOKAHEAD_DAYS * DAY_MS;
  const candidates = new Set<number>();
  for (const rule of rules) {
    const first = DateTime.fromMillis(at, { zone: rule.zone }).startOf('day');
    for (let d = 0; d <= LOOKAHEAD_DAYS + 1; d++) {
      const day = first.plus({ days: d });
      for (const s of rule.starts) {
        const t = DateTime.fromObject(
          { year: day.year, month: day.month, day: day.day, hour: Math.floor(s / 60), minute: s % 60 },
          { zone: rule.zone },
        ).toMillis();
        if (t > at && t <= until) candidates.add(t);
      }
    }
  }
  const next = [...candidates].sort((a, b) => a - b).find((t) => reasonsAt(rules, t).length === 0);
  return { callable: false, reasons, nextCallableAt: next === undefined ? null : new Date(next) };
}
