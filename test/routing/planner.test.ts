/**
 * The planner: the scoring formula (numbers worked out by hand from the documented formula),
 * tiers, weighted spread, the groups (breaker open and keys backing off go last, no usable key
 * is skipped), de-duplication and the stickiness preference.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Breakers } from '../../src/routing/breaker.js';
import { HealthBook } from '../../src/routing/health.js';
import { KeyPool } from '../../src/routing/key-pool.js';
import { Planner, healthFactor, speedFactor, weightedOrder } from '../../src/routing/planner.js';
import type { SessionBinding } from '../../src/routing/stickiness.js';
import { MemorySharedState } from '../../src/store/shared/memory.js';
import { FakeClock, candidate, key, provider, seeded } from './helpers.js';

let shared: MemorySharedState;
afterEach(async () => {
  await shared?.close();
});

function setup(random = seeded()) {
  shared = new MemorySharedState();
  const clock = new FakeClock();
  const health = new HealthBook(shared, { windowMs: 60_000, alpha: 0.5 }, clock.now);
  const breakers = new Breakers(shared, health, { errorRatio: 0.5, minSamples: 4, cooldownMs: 10_000, maxCooldownMs: 60_000, windowMs: 60_000 }, undefined, clock.now);
  const keys = new KeyPool(shared, { afterFailures: 3, baseMs: 1000, maxMs: 60_000 }, { persistDead: async () => undefined, persistRevived: async () => undefined }, clock.now);
  return { clock, health, breakers, keys, planner: new Planner(health, breakers, keys, random) };
}

const binding = (provider: string, model = 'm'): SessionBinding => ({ provider, model, boundAt: 0, lastUsedAt: 0, uses: 1, rebinds: 0 });

describe('scoring formula', () => {
  it('health = max(0.05, (1 - errors/(samples + 5))^2)', () => {
    expect(healthFactor({ samples: 0, errors: 0 })).toBe(1);
    expect(healthFactor({ samples: 5, errors: 5 })).toBeCloseTo(0.25); // (1 - 5/10)^2
    expect(healthFactor({ samples: 15, errors: 5 })).toBeCloseTo(0.5625); // (1 - 5/20)^2
    expect(healthFactor({ samples: 1000, errors: 1000 })).toBe(0.05);
  });

  it('speed = sqrt((best + 250) / (L + 250)), 1 when unknown', () => {
    expect(speedFactor(null, 100)).toBe(1);
    expect(speedFactor(100, null)).toBe(1);
    expect(speedFactor(100, 100)).toBe(1);
    expect(speedFactor(750, 250)).toBeCloseTo(Math.sqrt(500 / 1000));
    // loopback-scale differences do not matter
    expect(speedFactor(4, 2)).toBeGreaterThan(0.99);
  });

  it('weighted order spreads first picks in proportion to weight', () => {
    const random = seeded(7);
    const counts = { a: 0, b: 0, c: 0 };
    const items = [
      { id: 'a' as const, w: 6 },
      { id: 'b' as const, w: 3 },
      { id: 'c' as const, w: 1 },
    ];
    const n = 20_000;
    for (let i = 0; i < n; i++) counts[weightedOrder(items, (x) => x.w, random)[0]!.id]++;
    expect(counts.a / n).toBeCloseTo(0.6, 1);
    expect(counts.b / n).toBeCloseTo(0.3, 1);
    expect(counts.c / n).toBeCloseTo(0.1, 1);
  });

  it('weight 0 goes last in its tier', () => {
    const order = weightedOrder([{ w: 0, id: 'z' }, { w: 1, id: 'a' }], (x) => x.w, seeded());
    expect(order.map((x) => x.id)).toEqual(['a', 'z']);
  });
});

describe('Planner', () => {
  it('tries priority tiers in order and scores by weight x health x speed', () => {
    const { planner, health } = setup();
    const a = provider('a');
    const b = provider('b');
    const c = provider('c');
    for (let i = 0; i < 5; i++) health.record('a/m', false);
    for (let i = 0; i < 5; i++) health.record('a/m', true, { latencyMs: 750 });
    health.record('b/m', true, { latencyMs: 250 });
    const plan = planner.plan({ candidates: [candidate(c, 'm', 1, 1), candidate(a, 'm', 2, 0), candidate(b, 'm', 1, 0)], stream: false });
    expect(plan.order.map((s) => s.upstream).slice(2)).toEqual(['c/m']);
    const sa = plan.order.find((s) => s.upstream === 'a/m')!;
    // health (1 - 5/15)^2; speed sqrt((250 + 250) / (750 + 250))
    expect(sa.health).toBeCloseTo((1 - 5 / 15) ** 2);
    expect(sa.speed).toBeCloseTo(Math.sqrt(0.5));
    expect(sa.score).toBeCloseTo(2 * (1 - 5 / 15) ** 2 * Math.sqrt(0.5));
    const sb = plan.order.find((s) => s.upstream === 'b/m')!;
    expect(sb.score).toBeCloseTo(1);
  });

  it('uses the TTFB figure for streams', () => {
    const { planner, health } = setup();
    const a = provider('a');
    const b = provider('b');
    health.record('a/m', true, { latencyMs: 100, ttfbMs: 1750 });
    health.record('b/m', true, { latencyMs: 5000, ttfbMs: 250 });
    const plan = planner.plan({ candidates: [candidate(a), candidate(b)], stream: true });
    expect(plan.order.find((s) => s.upstream === 'a/m')!.speed).toBeCloseTo(Math.sqrt(500 / 2000));
    expect(plan.order.find((s) => s.upstream === 'b/m')!.speed).toBe(1);
  });

  it('merges duplicate upstreams so none is tried twice', () => {
    const { planner } = setup();
    const a = provider('a');
    const plan = planner.plan({ candidates: [candidate(a, 'm', 1, 1), candidate(a, 'm', 1, 0), candidate(provider('b'))], stream: false });
    expect(plan.order.map((s) => s.upstream).sort()).toEqual(['a/m', 'b/m']);
    expect(plan.order.find((s) => s.upstream === 'a/m')!.tier).toBe(0);
  });

  it('puts an open breaker and keys backing off behind every ready candidate, and skips keyless ones', () => {
    const { planner, health, breakers, keys } = setup();
    const broken = provider('broken');
    const tired = provider('tired');
    const dead = provider('dead', { keys: [key('dead-k', { status: 'dead' })] });
    const fine = provider('fine', { priority: 5 });
    for (let i = 0; i < 4; i++) {
      health.record('broken/m', false);
      breakers.onFailure('broken/m');
    }
    for (let i = 0; i < 3; i++) keys.onRetryableFailure(tired.keys[0]!, 'HTTP 503');
    const plan = planner.plan({
      candidates: [candidate(broken, 'm', 10, 0), candidate(tired, 'm', 10, 0), candidate(dead, 'm', 10, 0), candidate(fine, 'm', 1, 5)],
      stream: false,
    });
    expect(plan.order[0]!.upstream).toBe('fine/m');
    expect(plan.order.slice(1).map((s) => s.group)).toEqual(['last_resort', 'last_resort']);
    expect(plan.order.find((s) => s.upstream === 'broken/m')!.reason).toMatch(/breaker open/);
    expect(plan.skipped.map((s) => s.upstream)).toEqual(['dead/m']);
  });

  it('honours a session binding while the bound upstream is healthy', () => {
    const { planner } = setup(() => 0); // without the binding, always 'a' first
    const a = provider('a');
    const b = provider('b');
    const plan = planner.plan({ candidates: [candidate(a), candidate(b)], stream: false, binding: binding('b') });
    expect(plan.order[0]!.upstream).toBe('b/m');
    expect(plan.order[0]!.sticky).toBe(true);
    expect(plan.sticky).toMatchObject({ honoured: true });
  });

  it('ignores the binding when the bound upstream is not a candidate, or its breaker is not closed', () => {
    const { planner, health, breakers, clock } = setup(() => 0);
    const a = provider('a');
    const b = provider('b');
    const gone = planner.plan({ candidates: [candidate(a), candidate(b)], stream: false, binding: binding('c') });
    expect(gone.sticky).toMatchObject({ honoured: false, why: expect.stringMatching(/no longer a candidate/) as unknown });
    for (let i = 0; i < 4; i++) {
      health.record('b/m', false);
      breakers.onFailure('b/m');
    }
    const open = planner.plan({ candidates: [candidate(a), candidate(b)], stream: false, binding: binding('b') });
    expect(open.order[0]!.upstream).toBe('a/m');
    expect(open.sticky?.honoured).toBe(false);
    clock.advance(10_000);
    const halfOpen = planner.plan({ candidates: [candidate(a), candidate(b)], stream: false, binding: binding('b') });
    expect(halfOpen.sticky?.honoured).toBe(false);
    expect(halfOpen.order.find((s) => s.upstream === 'b/m')!.trial).toBe(true);
  });
});
