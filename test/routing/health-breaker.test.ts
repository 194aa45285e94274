/**
 * Live health (rolling error window, latency EWMA) and circuit breakers, with a clock the test
 * moves. Two books on one SharedState stand for two gateway instances.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Breakers } from '../../src/routing/breaker.js';
import { HealthBook } from '../../src/routing/health.js';
import { LiveSync } from '../../src/routing/live-sync.js';
import { MemorySharedState } from '../../src/store/shared/memory.js';
import { FakeClock } from './helpers.js';

const WINDOW = 60_000;
const U = 'pa/m1';
let shared: MemorySharedState;

afterEach(async () => {
  await shared?.close();
});

function instance(clock: FakeClock, opts: { minSamples?: number; ratio?: number; cooldownMs?: number } = {}) {
  const health = new HealthBook(shared, { windowMs: WINDOW, alpha: 0.5 }, clock.now);
  const changes: string[] = [];
  const breakers = new Breakers(
    shared,
    health,
    { errorRatio: opts.ratio ?? 0.5, minSamples: opts.minSamples ?? 4, cooldownMs: opts.cooldownMs ?? 10_000, maxCooldownMs: 40_000, windowMs: WINDOW },
    (_id, view) => changes.push(view.state),
    clock.now,
  );
  const sync = new LiveSync(shared, 1000, () => undefined, clock.now);
  sync.add(health);
  sync.add(breakers);
  health.watch(U);
  breakers.watch(U);
  return { health, breakers, sync, changes };
}

function fail(i: ReturnType<typeof instance>, n = 1): void {
  for (let k = 0; k < n; k++) {
    i.health.record(U, false);
    i.breakers.onFailure(U);
  }
}

function succeed(i: ReturnType<typeof instance>, n = 1): void {
  for (let k = 0; k < n; k++) {
    i.health.record(U, true, { latencyMs: 100 });
    i.breakers.onSuccess(U);
  }
}

describe('HealthBook', () => {
  it('counts outcomes over the window and forgets them after it', () => {
    shared = new MemorySharedState();
    const clock = new FakeClock();
    const { health } = instance(clock);
    health.record(U, true);
    health.record(U, false);
    health.record(U, false);
    expect(health.figures(U)).toMatchObject({ samples: 3, errors: 2 });
    expect(health.figures(U).errorRatio).toBeCloseTo(2 / 3);
    clock.advance(WINDOW + 1);
    expect(health.figures(U)).toMatchObject({ samples: 0, errors: 0, errorRatio: 0 });
  });

  it('keeps an EWMA of latency and TTFB apart', () => {
    shared = new MemorySharedState();
    const { health } = instance(new FakeClock());
    health.record(U, true, { latencyMs: 1000 });
    health.record(U, true, { latencyMs: 2000 });
    health.record(U, true, { ttfbMs: 300 });
    const f = health.figures(U);
    // alpha 0.5: first sample 1000, then 0.5*2000 + 0.5*1000
    expect(f.latencyMs).toBeCloseTo(1500);
    expect(f.ttfbMs).toBeCloseTo(300);
  });

  it('shares figures between instances through SharedState', async () => {
    shared = new MemorySharedState();
    const clock = new FakeClock();
    const a = instance(clock);
    const b = instance(clock);
    a.health.record(U, false, { latencyMs: 800 });
    a.health.record(U, true, { latencyMs: 800 });
    b.health.record(U, true, { latencyMs: 800 });
    await a.sync.tick();
    await b.sync.tick();
    await a.sync.tick();
    for (const i of [a, b]) {
      const f = i.health.figures(U);
      expect(f.samples).toBe(3);
      expect(f.errors).toBe(1);
      expect(f.latencyMs).toBeCloseTo(800);
    }
  });
});

describe('Breakers', () => {
  it('stays closed below the minimum number of samples, then opens on the error ratio', () => {
    shared = new MemorySharedState();
    const i = instance(new FakeClock(), { minSamples: 4, ratio: 0.5 });
    fail(i, 3);
    expect(i.breakers.view(U).state).toBe('closed');
    fail(i, 1);
    expect(i.breakers.view(U).state).toBe('open');
    expect(i.changes).toEqual(['open']);
  });

  it('does not open while the error ratio is under the threshold', () => {
    shared = new MemorySharedState();
    const i = instance(new FakeClock(), { minSamples: 4, ratio: 0.5 });
    succeed(i, 6);
    fail(i, 5);
    expect(i.breakers.view(U).state).toBe('closed');
    fail(i, 1);
    expect(i.breakers.view(U).state).toBe('open');
  });

  it('turns half-open after the cool-down, lets one trial through, and closes on its success', async () => {
    shared = new MemorySharedState();
    const clock = new FakeClock();
    const i = instance(clock, { cooldownMs: 10_000 });
    fail(i, 4);
    clock.advance(9_999);
    expect(i.breakers.view(U).state).toBe('open');
    clock.advance(1);
    expect(i.breakers.view(U).state).toBe('half_open');
    expect(await i.breakers.claimTrial(U, 5000)).toBe(true);
    expect(await i.breakers.claimTrial(U, 5000)).toBe(false);
    succeed(i);
    expect(i.breakers.view(U).state).toBe('closed');
    // the old failures are behind the close: one more failure does not reopen it ...
    fail(i, 1);
    expect(i.breakers.view(U).state).toBe('closed');
    // ... but enough new ones do, even within the same time bucket
    fail(i, 3);
    expect(i.breakers.view(U).state).toBe('open');
    expect(i.changes).toEqual(['open', 'closed', 'open']);
  });

  it('reopens with a doubled cool-down when the trial fails, up to the cap, and never stays open for good', () => {
    shared = new MemorySharedState();
    const clock = new FakeClock();
    const i = instance(clock, { cooldownMs: 10_000 });
    fail(i, 4);
    const cooldowns: number[] = [];
    for (let n = 0; n < 4; n++) {
      const v = i.breakers.view(U);
      cooldowns.push(v.cooldownMs);
      clock.advance(v.cooldownMs);
      expect(i.breakers.view(U).state).toBe('half_open');
      fail(i, 1);
      expect(i.breakers.view(U).state).toBe('open');
    }
    expect(cooldowns).toEqual([10_000, 20_000, 40_000, 40_000]);
  });

  it('a failure while open and cooling down changes nothing (a last-resort attempt)', () => {
    shared = new MemorySharedState();
    const clock = new FakeClock();
    const i = instance(clock, { cooldownMs: 10_000 });
    fail(i, 4);
    const until = i.breakers.view(U).until;
    clock.advance(5000);
    fail(i, 3);
    expect(i.breakers.view(U).until).toBe(until);
  });

  it('a successful probe ends the cool-down at once', () => {
    shared = new MemorySharedState();
    const i = instance(new FakeClock(), { cooldownMs: 60_000 });
    fail(i, 4);
    i.breakers.halfOpenNow(U, 'probe');
    expect(i.breakers.view(U).state).toBe('half_open');
  });

  it('is shared: an instance sees the breaker another one opened, and the close', async () => {
    shared = new MemorySharedState();
    const clock = new FakeClock();
    const a = instance(clock);
    const b = instance(clock);
    fail(a, 4);
    expect(a.breakers.view(U).state).toBe('open');
    clock.advance(10);
    await b.sync.tick();
    expect(b.breakers.view(U).state).toBe('open');
    clock.advance(10_000);
    expect(await b.breakers.claimTrial(U, 5000)).toBe(true);
    expect(await a.breakers.claimTrial(U, 5000)).toBe(false);
    succeed(b);
    clock.advance(10);
    await a.sync.tick();
    expect(a.breakers.view(U).state).toBe('closed');
  });
});
