import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fetchCount, isDue, manualFetchCount, planRefills, type SkillRefillView } from '../../src/domain/refill-plan';

const NOW = Date.parse('2026-03-01T15:00:00Z');

const view = fc
  .record({
    skillNo: fc.integer({ min: 1, max: 1_000_000 }),
    lowWaterMark: fc.integer({ min: 0, max: 5_000 }),
    targetDepth: fc.integer({ min: 1, max: 10_000 }),
    maxInventory: fc.integer({ min: 1, max: 20_000 }),
    checkIntervalSeconds: fc.integer({ min: 1, max: 3_600 }),
    callableNow: fc.integer({ min: 0, max: 20_000 }),
    activeTotal: fc.integer({ min: 0, max: 30_000 }),
    lastCheckMs: fc.option(fc.integer({ min: NOW - 4_000_000, max: NOW + 10_000 }), { nil: null }),
  })
  // CallableNow counts a subset of the active prospects.
  .map((v) => ({ ...v, activeTotal: Math.max(v.activeTotal, v.callableNow) }));

const views = fc.uniqueArray(view, { selector: (v) => v.skillNo, maxLength: 40 });

describe('planRefills', () => {
  it('never asks more than TargetDepth - CallableNow, nor past MaxInventory active prospects', () => {
    fc.assert(
      fc.property(views, (vs) => {
        const byNo = new Map(vs.map((v) => [v.skillNo, v]));
        for (const f of planRefills(vs, NOW).fetches) {
          const v = byNo.get(f.skillNo)!;
          expect(f.count).toBeGreaterThan(0);
          expect(f.count).toBeLessThanOrEqual(v.targetDepth - v.callableNow);
          expect(v.activeTotal + f.count).toBeLessThanOrEqual(v.maxInventory);
        }
      }),
    );
  });

  it('fetches only for skills below their low-water mark, and asks for all that fits', () => {
    fc.assert(
      fc.property(views, (vs) => {
        const plan = planRefills(vs, NOW);
        const checked = new Set(plan.checked.map((c) => c.skillNo));
        const fetched = new Map(plan.fetches.map((f) => [f.skillNo, f.count]));
        for (const v of vs) {
          if (!checked.has(v.skillNo)) {
            expect(fetched.has(v.skillNo)).toBe(false);
            continue;
          }
          const expected = Math.min(v.targetDepth - v.callableNow, v.maxInventory - v.activeTotal);
          if (v.callableNow >= v.lowWaterMark || expected <= 0) expect(fetched.has(v.skillNo)).toBe(false);
          else expect(fetched.get(v.skillNo)).toBe(expected);
        }
      }),
    );
  });

  it('checks a skill only once its CheckIntervalSeconds has elapsed since its last check, less the tolerance', () => {
    fc.assert(
      fc.property(views, fc.constantFrom(0, 125, 500, 10_000), (vs, tolerance) => {
        const checked = new Set(planRefills(vs, NOW, tolerance).checked.map((c) => c.skillNo));
        for (const v of vs) {
          const elapsed = v.lastCheckMs === null ? Infinity : NOW - v.lastCheckMs;
          const intervalMs = v.checkIntervalSeconds * 1000;
          const due = v.lastCheckMs === null || v.lastCheckMs > NOW || elapsed >= intervalMs - Math.min(tolerance, intervalMs / 2);
          expect(checked.has(v.skillNo)).toBe(due);
        }
      }),
    );
  });

  it('with half a tick of tolerance, a skill checked on ticks read late by jitter is never skipped for an extra tick', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(100, 250, 500, 1000),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.array(fc.double({ min: 0, max: 0.499, noNaN: true }), { minLength: 20, maxLength: 80 }),
        (periodMs, intervalS, skillNo, jitters) => {
          const ticksPerInterval = (intervalS * 1000) / periodMs;
          let v: SkillRefillView = {
            skillNo,
            lowWaterMark: 10,
            targetDepth: 50,
            maxInventory: 1_000,
            checkIntervalSeconds: intervalS,
            callableNow: 0,
            activeTotal: 0,
            lastCheckMs: null,
          };
          const checkedTicks: number[] = [];
          jitters.forEach((jitter, k) => {
            // Tick k is scheduled at k * period and reads the clock up to just under half a period late.
            const now = NOW + k * periodMs + Math.floor(jitter * periodMs);
            const [checked] = planRefills([v], now, periodMs / 2).checked;
            if (checked) {
              checkedTicks.push(k);
              v = { ...v, lastCheckMs: checked.checkMs };
            }
          });
          expect(checkedTicks[0]).toBe(0);
          // After the first (staggered) check, exactly one check every interval's worth of ticks.
          for (let i = 2; i < checkedTicks.length; i++) expect(checkedTicks[i]! - checkedTicks[i - 1]!).toBe(ticksPerInterval);
          // The staggered first wait is never longer than one interval.
          if (checkedTicks.length > 1) expect(checkedTicks[1]!).toBeLessThanOrEqual(ticksPerInterval);
        },
      ),
    );
  });

  it('without tolerance the same late ticks do slip a whole tick (what the tolerance is for)', () => {
    // Checked at 1,000 + 20 ms late; the tick at 2,000 + 5 ms late sees 985 ms < 1 s: wait to 3,000.
    const v: SkillRefillView = {
      skillNo: 1,
      lowWaterMark: 10,
      targetDepth: 50,
      maxInventory: 1_000,
      checkIntervalSeconds: 1,
      callableNow: 0,
      activeTotal: 0,
      lastCheckMs: NOW + 1_020,
    };
    expect(planRefills([v], NOW + 2_005).checked).toEqual([]);
    expect(planRefills([v], NOW + 2_005, 125).checked).toEqual([{ skillNo: 1, checkMs: NOW + 2_005 }]);
  });

  it('never finds a skill due again at the instant of its first (staggered) check', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 3_600 }),
        fc.constantFrom(0, 125, 500),
        (skillNo, interval, tolerance) => {
          const v: SkillRefillView = {
            skillNo,
            lowWaterMark: 10,
            targetDepth: 50,
            maxInventory: 1_000,
            checkIntervalSeconds: interval,
            callableNow: 0,
            activeTotal: 0,
            lastCheckMs: null,
          };
          const [first] = planRefills([v], NOW, tolerance).checked;
          expect(NOW - first!.checkMs).toBeLessThan(interval * 1000);
          expect(planRefills([{ ...v, lastCheckMs: first!.checkMs }], NOW, tolerance).checked).toEqual([]);
        },
      ),
    );
  });

  it('checks each skill once per interval when ticks come every second', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 10, max: 120 }),
        fc.integer({ min: 1, max: 100_000 }),
        (interval, seconds, skillNo) => {
          let v: SkillRefillView = {
            skillNo,
            lowWaterMark: 10,
            targetDepth: 50,
            maxInventory: 1_000,
            checkIntervalSeconds: interval,
            callableNow: 0,
            activeTotal: 0,
            lastCheckMs: null,
          };
          const checks: number[] = [];
          for (let s = 0; s < seconds; s++) {
            const now = NOW + s * 1000;
            const [checked] = planRefills([v], now).checked;
            if (checked) {
              checks.push(now);
              expect(checked.checkMs).toBeLessThanOrEqual(now);
              expect(now - checked.checkMs).toBeLessThan(interval * 1000);
              v = { ...v, lastCheckMs: checked.checkMs };
            }
          }
          expect(checks[0]).toBe(NOW);
          // After the first (staggered) check, one check every interval exactly.
          for (let i = 2; i < checks.length; i++) expect(checks[i]! - checks[i - 1]!).toBe(interval * 1000);
          expect(checks.length).toBeLessThanOrEqual(Math.ceil(seconds / interval) + 1);
          expect(checks.length).toBeGreaterThanOrEqual(Math.floor(seconds / interval));
        },
      ),
    );
  });

  it('spreads skills that start together over their interval', () => {
    const interval = 5;
    let views: SkillRefillView[] = Array.from({ length: 1000 }, (_, i) => ({
      skillNo: 4000 + i,
      lowWaterMark: 10,
      targetDepth: 50,
      maxInventory: 1_000,
      checkIntervalSeconds: interval,
      callableNow: 100,
      activeTotal: 100,
      lastCheckMs: null,
    }));
    const perTick: number[] = [];
    const seen = new Map<number, number>();
    for (let s = 0; s <= interval; s++) {
      const now = NOW + s * 1000;
      const plan = planRefills(views, now);
      perTick.push(plan.checked.length);
      const at = new Map(plan.checked.map((c) => [c.skillNo, c.checkMs]));
      if (s > 0) for (const c of plan.checked) seen.set(c.skillNo, (seen.get(c.skillNo) ?? 0) + 1);
      views = views.map((v) => (at.has(v.skillNo) ? { ...v, lastCheckMs: at.get(v.skillNo)! } : v));
    }
    expect(perTick[0]).toBe(1000);
    // Each later tick checks about a fifth; over one interval every skill exactly once.
    for (const n of perTick.slice(1, interval + 1)) {
      expect(n).toBeGreaterThan(120);
      expect(n).toBeLessThan(280);
    }
    expect(perTick.slice(1).reduce((a, b) => a + b, 0)).toBe(1000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it('answers the contract example: CallableNow 10 below 50 asks 190 of a 200 target', () => {
    const plan = planRefills(
      [
        {
          skillNo: 4100,
          lowWaterMark: 50,
          targetDepth: 200,
          maxInventory: 1_000_000,
          checkIntervalSeconds: 5,
          callableNow: 10,
          activeTotal: 400,
          lastCheckMs: NOW - 5_000,
        },
      ],
      NOW,
    );
    expect(plan).toEqual({ checked: [{ skillNo: 4100, checkMs: NOW }], fetches: [{ skillNo: 4100, count: 190 }] });
  });

  it('stops at MaxInventory and fetches nothing at or above the low-water mark', () => {
    const base = { lowWaterMark: 50, targetDepth: 200, maxInventory: 1_000, callableNow: 0, activeTotal: 0 };
    expect(fetchCount({ ...base, activeTotal: 950 })).toBe(50);
    expect(fetchCount({ ...base, activeTotal: 1_000 })).toBe(0);
    expect(fetchCount({ ...base, activeTotal: 1_200 })).toBe(0);
    expect(fetchCount({ ...base, callableNow: 50, activeTotal: 50 })).toBe(0);
    expect(fetchCount({ ...base, callableNow: 49, activeTotal: 49 })).toBe(151);
    // At or above the mark the total is not counted; were it missing below, nothing is fetched.
    expect(fetchCount({ ...base, callableNow: 50, activeTotal: null })).toBe(0);
    expect(fetchCount({ ...base, callableNow: 10, activeTotal: null })).toBe(0);
  });

  it('treats a last check in the future (clock skew) as due', () => {
    expect(isDue({ checkIntervalSeconds: 60, lastCheckMs: NOW + 5_000 }, NOW)).toBe(true);
    expect(isDue({ checkIntervalSeconds: 60, lastCheckMs: NOW - 59_999 }, NOW)).toBe(false);
    expect(isDue({ checkIntervalSeconds: 60, lastCheckMs: NOW - 60_000 }, NOW)).toBe(true);
  });
});

describe('manualFetchCount', () => {
  it('never passes MaxInventory, is 0 only when the skill is at or past it, and takes a Count that fits', () => {
    fc.assert(
      fc.property(view, fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }), (v, asked) => {
        const count = manualFetchCount(v, asked);
        const room = v.maxInventory - v.activeTotal;
        if (room <= 0) {
          expect(count).toBe(0);
        } else {
          expect(count).toBeGreaterThanOrEqual(1);
          expect(count).toBeLessThanOrEqual(room);
          expect(count).toBe(Math.min(asked ?? Math.max(1, v.targetDepth - v.callableNow), room));
        }
      }),
    );
  });

  it('asks at least one record below MaxInventory, whatever CallableNow', () => {
    const base = { targetDepth: 200, maxInventory: 1_000, callableNow: 300, activeTotal: 999 };
    expect(manualFetchCount(base)).toBe(1);
    expect(manualFetchCount(base, 50)).toBe(1);
    expect(manualFetchCount({ ...base, activeTotal: 1_000 }, 50)).toBe(0);
    expect(manualFetchCount({ ...base, callableNow: 10, activeTotal: 500 })).toBe(190);
  });
});
