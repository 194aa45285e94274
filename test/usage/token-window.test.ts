/**
 * The TPM window (reservations with refunds) and the budget counters, on the in-process shared
 * state with a controlled clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySharedState } from '../../src/store/shared/memory.js';
import { SpendCounter, periodWindow } from '../../src/usage/budget.js';
import { TokenWindow } from '../../src/usage/token-window.js';

const shared: MemorySharedState[] = [];
function state(): MemorySharedState {
  const s = new MemorySharedState();
  shared.push(s);
  return s;
}
afterEach(async () => {
  for (const s of shared.splice(0)) await s.close();
});

describe('TokenWindow', () => {
  it('admits reservations up to the limit and refuses the one that would pass it, with a wait', async () => {
    let now = 60_000 * 1000 + 10_000; // 10 s into a window
    const w = new TokenWindow(state(), 't:', 60_000, () => now);
    const a = await w.reserve('k', 1000, 600);
    expect(a.ok).toBe(true);
    const b = await w.reserve('k', 1000, 500);
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.retryAfterMs).toBeGreaterThan(0);
    // the refused reservation was not kept
    expect(await w.current('k')).toBe(600);
    // the first call used only 100: the refund makes room
    if (a.ok) await w.settle('k', a.reservation, 100);
    expect(await w.current('k')).toBe(100);
    expect((await w.reserve('k', 1000, 500)).ok).toBe(true);
    now += 1; // still the same window
    expect(await w.current('k')).toBe(600);
  });

  it('counts what a call used beyond its reservation, so the next calls wait (overshoot)', async () => {
    const now = 60_000 * 2000 + 1000;
    const w = new TokenWindow(state(), 't:', 60_000, () => now);
    const a = await w.reserve('k', 1000, 200);
    if (!a.ok) throw new Error('refused');
    await w.settle('k', a.reservation, 1500);
    expect(await w.current('k')).toBe(1500);
    const b = await w.reserve('k', 1000, 1);
    expect(b.ok).toBe(false);
  });

  it('lets the previous window fade out', async () => {
    let now = 60_000 * 3000 + 59_000;
    const w = new TokenWindow(state(), 't:', 60_000, () => now);
    expect((await w.reserve('k', 1000, 1000)).ok).toBe(true);
    now += 2000; // 1 s into the next window: the previous counts 59/60
    expect((await w.reserve('k', 1000, 100)).ok).toBe(false);
    now += 50_000; // 51 s in: the previous counts 9/60 = 150
    expect((await w.reserve('k', 1000, 800)).ok).toBe(true);
  });
});

describe('budget periods and spend', () => {
  it('uses UTC calendar periods', () => {
    const t = Date.UTC(2025, 0, 31, 23, 59, 59);
    expect(periodWindow('day', t)).toEqual({ id: 'd2025-01-31', start: Date.UTC(2025, 0, 31), end: Date.UTC(2025, 1, 1) });
    expect(periodWindow('month', t)).toEqual({ id: 'm2025-01', start: Date.UTC(2025, 0, 1), end: Date.UTC(2025, 1, 1) });
    expect(periodWindow('total', t)).toEqual({ id: 'total', start: 0, end: null });
  });

  it('recounts a missing counter from the rollups once, then adds to it', async () => {
    const s = state();
    const calls: Array<[string, number]> = [];
    const source = {
      costSince: async (key: string, from: number) => {
        calls.push([key, from]);
        return 1.5;
      },
    };
    const now = Date.UTC(2025, 5, 10, 12);
    const c = new SpendCounter(s, source, () => now);
    expect(await c.spent('k', 'month')).toBe(1.5);
    expect(calls).toEqual([['k', Date.UTC(2025, 5, 1)]]);
    expect(await c.add('k', 'month', 0.25)).toBe(1.75);
    expect(await c.spent('k', 'month')).toBe(1.75);
    expect(calls).toHaveLength(1);
    // a second instance sharing the state sees the same spend without recounting
    const other = new SpendCounter(s, { costSince: async () => 99 }, () => now);
    expect(await other.spent('k', 'month')).toBe(1.75);
    // an add on a missing counter recounts first instead of starting from zero
    const fresh = new SpendCounter(state(), source, () => now);
    expect(await fresh.add('k', 'day', 0.5)).toBe(2);
  });
});
