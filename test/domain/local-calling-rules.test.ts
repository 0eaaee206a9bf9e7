import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callingRules, stateCalendar, WEEKDAYS, type CallingRule } from '../../src/domain/calling-rules';
import { LocalCallingRulesSchema, withLocalRules, type LocalCallingRules } from '../../src/domain/local-calling-rules';
import { counselCited as cited, texasRules as texasSundays } from '../support/local-rules-fixture';

describe("an installation's own calling rules (CALLING_RULES_FILE)", () => {
  it("add a state the repository's file lacks, and the version says so", () => {
    const merged = withLocalRules(callingRules, texasSundays);
    expect(merged.Version).toBe(`${callingRules.Version}+acme-1`);
    expect(stateCalendar(merged, 'TX', 2026, 2026)?.minutesByWeekday[7]).toEqual([720, 1260]);
    expect(stateCalendar(callingRules, 'TX', 2026, 2026)).toBeNull();
    expect(merged.States.FL).toEqual(callingRules.States.FL);
  });

  it("need a citation, a date and a source on every rule, as the repository's do", () => {
    const { Citation: _dropped, ...uncited } = cited;
    const bad = { Version: 'x', States: { TX: { Name: 'Texas', Rules: [{ Kind: 'ClosedWeekday', Day: 'Sun', ...uncited }] } } };
    const parsed = LocalCallingRulesSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['States', 'TX', 'Rules', 0, 'Citation']);
    expect(LocalCallingRulesSchema.safeParse({ ...texasSundays, Version: 'has spaces' }).success).toBe(false);
  });

  it("can only narrow: hours stay inside the repository's, closed days and caps only add up", () => {
    const states = ['FL', 'LA', 'RI', 'TX', 'WA'];
    const clock = fc.integer({ min: 0, max: 23 }).map((h) => `${String(h).padStart(2, '0')}:00`);
    const rule: fc.Arbitrary<CallingRule> = fc.oneof(
      fc
        .tuple(fc.subarray([...WEEKDAYS], { minLength: 1 }), clock, clock)
        .filter(([, s, e]) => s < e)
        .map(([Days, Start, End]) => ({ Kind: 'Hours' as const, Days, Start, End, ...cited })),
      fc.constantFrom(...WEEKDAYS).map((Day) => ({ Kind: 'ClosedWeekday' as const, Day, ...cited })),
      fc
        .integer({ min: 1, max: 5 })
        .map((Calls) => ({ Kind: 'Cap' as const, Calls, WindowHours: 24, Scope: 'Contact' as const, ...cited })),
    );
    const local = fc
      .dictionary(fc.constantFrom(...states), fc.array(rule, { minLength: 1, maxLength: 4 }))
      .map((byState): LocalCallingRules => ({
        Version: 'p',
        States: Object.fromEntries(Object.entries(byState).map(([s, Rules]) => [s, { Name: s, Rules }])),
      }));
    fc.assert(
      fc.property(local, (l) => {
        const merged = withLocalRules(callingRules, l);
        for (const state of states) {
          const before = stateCalendar(callingRules, state, 2026, 2026);
          const after = stateCalendar(merged, state, 2026, 2026);
          if (after === null) continue;
          for (let dow = 1; dow <= 7; dow++) {
            const a = after.minutesByWeekday[dow];
            const b = before?.minutesByWeekday[dow];
            if (b === null) expect(a).toBeNull();
            if (a === null || a === undefined) continue;
            // Allowed after => allowed before (undefined before: the federal hours, which still hold).
            if (b !== undefined && b !== null) expect(a[0] >= b[0] && a[1] <= b[1]).toBe(true);
          }
          for (const day of before?.holidays.keys() ?? []) expect(after.holidays.has(day)).toBe(true);
          expect(after.caps.length).toBeGreaterThanOrEqual(before?.caps.length ?? 0);
        }
      }),
    );
  });
});
