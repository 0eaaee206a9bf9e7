import { z } from 'zod';
import raw from './data/calling-rules.json';

/**
 * The calling-rules file (data/calling-rules.json): per US state its allowed local hours by
 * weekday, closed weekdays, holidays (by a rule, so every year has its dates) and attempt caps;
 * every rule names its citation, the date it took effect and where it was read. Validated here,
 * once, when the module is first imported: a rule without a citation or a date fails the load.
 */
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
const WeekdaySchema = z.enum(WEEKDAYS);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** What every rule carries: where it comes from and since when it holds. */
const Cited = {
  Citation: z.string().trim().min(3),
  EffectiveDate: IsoDate,
  /** `Enacted`: the date the law took effect; `InForceOn`: a date the text read shows it in force. */
  EffectiveDateBasis: z.enum(['Enacted', 'InForceOn']),
  /** Where the text was read. */
  Source: z.url(),
  Note: z.string().optional(),
  /**
   * `Automated`: the text governs automated calls only (an automated dialing system, a prerecorded
   * message): it holds Autodial claims, CallableNow and the check's default, not Manual claims.
   */
  Dialing: z.literal('Automated').optional(),
};

const HolidayDateSchema = z.union([
  z.object({ Month: z.number().int().min(1).max(12), Day: z.number().int().min(1).max(31) }).strict(),
  z
    .object({
      Month: z.number().int().min(1).max(12),
      Weekday: WeekdaySchema,
      /** 1-4: the nth such weekday of the month; -1: the last. */
      Nth: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(-1)]),
      /** Days after that weekday: 1 for "the Tuesday next after the first Monday in November". */
      PlusDays: z.number().int().min(1).max(6).optional(),
    })
    .strict(),
  /** Days from Western Easter Sunday (Mardi Gras -47, Good Friday -2). */
  z.object({ EasterOffset: z.number().int().min(-60).max(60) }).strict(),
]);
export type HolidayDate = z.infer<typeof HolidayDateSchema>;

const RuleSchema = z.discriminatedUnion('Kind', [
  z
    .object({
      Kind: z.literal('Hours'),
      Days: z.array(WeekdaySchema).min(1),
      Start: z.string().regex(CLOCK),
      End: z.string().regex(CLOCK),
      ...Cited,
    })
    .strict()
    .refine((r) => r.Start < r.End, 'Start must be before End'),
  z.object({ Kind: z.literal('ClosedWeekday'), Day: WeekdaySchema, ...Cited }).strict(),
  z
    .object({
      Kind: z.literal('Holiday'),
      Id: z.string().regex(/^[A-Za-z]+$/),
      Name: z.string().min(1),
      On: HolidayDateSchema,
      /**
       * A second day closed when the date falls on a weekend, as the statute moves the holiday:
       * `MondayIfSunday` (the day following a Sunday), `MondayIfWeekend` (the following Monday),
       * `FridayIfSaturdayMondayIfSunday` (5 U.S.C. § 6103(b)'s in-lieu-of days). The date itself
       * stays closed too: both are holidays, and closing the day a text might not is the lawful side.
       */
      Observed: z.enum(['MondayIfSunday', 'MondayIfWeekend', 'FridayIfSaturdayMondayIfSunday']).optional(),
      /** `Even`: only in even years (an election day in the years of a general election). */
      Years: z.literal('Even').optional(),
      ...Cited,
    })
    .strict(),
  z
    .object({
      Kind: z.literal('Cap'),
      Calls: z.number().int().min(1),
      WindowHours: z.number().int().min(1),
      Scope: z.enum(['SameSubject', 'Number', 'Contact']),
      ...Cited,
    })
    .strict(),
]);
export type CallingRule = z.infer<typeof RuleSchema>;

/** One state's entry: its name and its cited rules. */
export const StateRulesSchema = z.record(
  z.string().regex(/^[A-Z]{2}$/),
  z.object({ Name: z.string().min(1), Rules: z.array(RuleSchema).min(1) }).strict(),
);

export const CallingRulesFileSchema = z
  .object({
    Version: z.string().min(1),
    Federal: z.object({ Start: z.string().regex(CLOCK), End: z.string().regex(CLOCK), ...Cited }).strict(),
    States: StateRulesSchema,
  })
  .strict();
export type CallingRulesFile = z.infer<typeof CallingRulesFileSchema>;

/** Parses a rules file; throws, naming the path, when a rule lacks a citation or a date. */
export function parseCallingRules(value: unknown): CallingRulesFile {
  return CallingRulesFileSchema.parse(value);
}

/** How a number is dialed: by an autodialer (the default), or by hand (contract section 9). */
export type DialMode = 'Autodial' | 'Manual';

/**
 * The rules that hold a call dialed in `mode`: all of them for Autodial; for Manual, all but
 * those written for automated calls (`Dialing: "Automated"`). A state left with none is dropped.
 */
export function rulesForDialMode(file: CallingRulesFile, mode: DialMode): CallingRulesFile {
  if (mode === 'Autodial') return file;
  const states: CallingRulesFile['States'] = {};
  for (const [state, entry] of Object.entries(file.States)) {
    const rules = entry.Rules.filter((r) => r.Dialing !== 'Automated');
    if (rules.length > 0) states[state] = { ...entry, Rules: rules };
  }
  return { ...file, States: states };
}

/** The repository's rules file, read and checked once. */
export const callingRules: CallingRulesFile = parseCallingRules(raw);

/** Western Easter Sunday of `year` (anonymous Gregorian computus), as [month, day]. */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

const DAY_MS = 86_400_000;
/** ISO weekday (Mon = 1 .. Sun = 7) of a calendar date. */
export function isoWeekday(year: number, month: number, day: number): number {
  const dow = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return dow === 0 ? 7 : dow;
}
const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The holiday's date in `year`, as "YYYY-MM-DD". */
export function holidayDate(on: HolidayDate, year: number): string {
  let month: number;
  let day: number;
  if ('EasterOffset' in on) {
    const [em, ed] = easterSunday(year);
    const t = new Date(Date.UTC(year, em - 1, ed) + on.EasterOffset * DAY_MS);
    month = t.getUTCMonth() + 1;
    day = t.getUTCDate();
  } else if ('Weekday' in on) {
    month = on.Month;
    const want = WEEKDAYS.indexOf(on.Weekday) + 1;
    if (on.Nth === -1) {
      const last = daysInMonth(year, month);
      day = last - ((isoWeekday(year, month, last) - want + 7) % 7);
    } else {
      const first = (want - isoWeekday(year, month, 1) + 7) % 7;
      day = 1 + first + 7 * (on.Nth - 1);
    }
    day += on.PlusDays ?? 0;
  } else {
    month = on.Month;
    day = on.Day;
  }
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

type HolidayRule = Extract<CallingRule, { Kind: 'Holiday' }>;

/**
 * Every date the holiday closes in `year`: its own date (none in an odd year for an even-years
 * rule) and, where the rule says, the weekday it is moved to ("YYYY-MM-DD"; a Saturday 1 January
 * moved to Friday falls in the year before).
 */
export function holidayDates(rule: Pick<HolidayRule, 'On' | 'Observed' | 'Years'>, year: number): string[] {
  if (rule.Years === 'Even' && year % 2 !== 0) return [];
  const date = holidayDate(rule.On, year);
  if (rule.Observed === undefined) return [date];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dow = isoWeekday(y, m, d);
  let shift = 0;
  if (dow === 7) shift = 1;
  else if (dow === 6 && rule.Observed === 'MondayIfWeekend') shift = 2;
  else if (dow === 6 && rule.Observed === 'FridayIfSaturdayMondayIfSunday') shift = -1;
  if (shift === 0) return [date];
  return [date, new Date(Date.UTC(y, m - 1, d) + shift * DAY_MS).toISOString().slice(0, 10)];
}

/** One state's rules in the shape a lookup (or a SQL statement's parameters) wants. */
export interface StateCalendar {
  state: string;
  /** Index 1..7 (Mon..Sun): allowed local minutes [start, end) by the state's own hours; null = closed all day; undefined = no state hours that day. */
  minutesByWeekday: ReadonlyArray<readonly [number, number] | null | undefined>;
  /** Holiday ids by date ("YYYY-MM-DD"), for the years asked. */
  holidays: ReadonlyMap<string, string>;
  caps: ReadonlyArray<Extract<CallingRule, { Kind: 'Cap' }>>;
}

export const clockMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The state's calendar from the rules file: where two Hours rules cover one weekday the
 * narrower intersection holds; a closed weekday wins over hours. Holidays for fromYear..toYear.
 */
export function stateCalendar(file: CallingRulesFile, state: string, fromYear: number, toYear: number): StateCalendar | null {
  const entry = file.States[state];
  if (entry === undefined) return null;
  const minutes: Array<readonly [number, number] | null | undefined> = new Array(8).fill(undefined);
  const holidays = new Map<string, string>();
  const caps: Array<Extract<CallingRule, { Kind: 'Cap' }>> = [];
  for (const rule of entry.Rules) {
    if (rule.Kind === 'Hours') {
      for (const d of rule.Days) {
        const i = WEEKDAYS.indexOf(d) + 1;
        const cur = minutes[i];
        if (cur === null) continue;
        const s = clockMinutes(rule.Start);
        const e = clockMinutes(rule.End);
        minutes[i] = cur === undefined ? [s, e] : [Math.max(cur[0], s), Math.min(cur[1], e)];
      }
    } else if (rule.Kind === 'ClosedWeekday') {
      minutes[WEEKDAYS.indexOf(rule.Day) + 1] = null;
    } else if (rule.Kind === 'Holiday') {
      // A year past the range too: its 1 January may be moved back into toYear's last day.
      for (let y = fromYear; y <= toYear + 1; y++) for (const date of holidayDates(rule, y)) holidays.set(date, rule.Id);
    } else {
      caps.push(rule);
    }
  }
  return { state, minutesByWeekday: minutes, holidays, caps };
}
