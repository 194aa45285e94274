/**
 * Provider keys: weighted choice, max_qps shared across instances, Retry-After and exponential
 * back-off, dead keys persisted and revived.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KeyPool, type KeyPoolHooks } from '../../src/routing/key-pool.js';
import { LiveSync } from '../../src/routing/live-sync.js';
import { MemorySharedState } from '../../src/store/shared/memory.js';
import { FakeClock, key, provider, seeded } from './helpers.js';

let shared: MemorySharedState;
afterEach(async () => {
  await shared?.close();
});

function pool(clock = new FakeClock(), hooks: Partial<KeyPoolHooks> = {}, random = seeded()) {
  return new KeyPool(
    shared,
    { afterFailures: 3, baseMs: 1000, maxMs: 8000 },
    { persistDead: async () => undefined, persistRevived: async () => undefined, ...hooks },
    clock.now,
    random,
  );
}

describe('KeyPool', () => {
  it('chooses keys in proportion to their weights', async () => {
    shared = new MemorySharedState();
    const p = provider('p', { keys: [key('heavy', { weight: 3 }), key('light', { weight: 1 })] });
    const kp = pool();
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const pick = await kp.pick(p, new Set(), false);
      counts.set(pick.key!.id, (counts.get(pick.key!.id) ?? 0) + 1);
    }
    expect(counts.get('heavy')! / 4000).toBeCloseTo(0.75, 1);
  });

  it('skips keys already tried in this request', async () => {
    shared = new MemorySharedState();
    const p = provider('p', { keys: [key('a'), key('b')] });
    const kp = pool();
    const first = await kp.pick(p, new Set(), false);
    const second = await kp.pick(p, new Set([first.key!.id]), false);
    expect(second.key!.id).not.toBe(first.key!.id);
    const none = await kp.pick(p, new Set(['a', 'b']), false);
    expect(none.key).toBeNull();
  });

  it('holds max_qps across two instances sharing state', async () => {
    shared = new MemorySharedState();
    const p = provider('p', { keys: [key('q', { maxQps: 3 })] });
    const one = pool();
    const two = pool();
    const picks = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? one : two).pick(p, new Set(), false)));
    expect(picks.filter((x) => x.key !== null)).toHaveLength(3);
    const refused = picks.find((x) => x.key === null);
    expect(refused).toMatchObject({ rateLimited: true });
  });

  it('honours Retry-After on a 429: the key is not used until it passes', async () => {
    shared = new MemorySharedState();
    const clock = new FakeClock();
    const p = provider('p', { keys: [key('k')] });
    const kp = pool(clock);
    kp.onRateLimited(p.keys[0]!, 7000);
    expect(kp.availability(p)).toMatchObject({ level: 'blocked', retryAfterMs: 7000 });
    const pick = await kp.pick(p, new Set(), true);
    expect(pick).toMatchObject({ key: null, rateLimited: true, retryAfterMs: 7000 });
    clock.advance(7000);
    expect((await kp.pick(p, new Set(), false)).key?.id).toBe('k');
  });

  it('backs a key off exponentially after consecutive failures (soft: still usable as a last resort)', async () => {
    shared = new MemorySharedState();
    const clock = new FakeClock();
    const p = provider('p', { keys: [key('k')] });
    const kp = pool(clock);
    kp.onRetryableFailure(p.keys[0]!, 'HTTP 503');
    kp.onRetryableFailure(p.keys[0]!, 'HTTP 503');
    expect(kp.availability(p).level).toBe('ready');
    kp.onRetryableFailure(p.keys[0]!, 'HTTP 503');
    expect(kp.availability(p).level).toBe('soft');
    expect((await kp.pick(p, new Set(), false)).key).toBeNull();
    expect((await kp.pick(p, new Set(), true)).key?.id).toBe('k');
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const until = kp.state(p.keys[0]!).until!;
      waits.push(until - clock.t);
      kp.onRetryableFailure(p.keys[0]!, 'HTTP 503');
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
    kp.onSuccess(p.keys[0]!);
    expect(kp.availability(p).level).toBe('ready');
  });

  it('marks a refused key dead, persists it, and revives it', async () => {
    shared = new MemorySharedState();
    const persisted: string[] = [];
    const p = provider('p', { keys: [key('bad'), key('good')] });
    const kp = pool(new FakeClock(), {
      persistDead: async (pid, kid, reason) => void persisted.push(`dead ${pid}/${kid} ${reason}`),
      persistRevived: async (pid, kid) => void persisted.push(`alive ${pid}/${kid}`),
    });
    kp.markDead(p, p.keys[0]!, 'HTTP 401: invalid key');
    expect(kp.state(p.keys[0]!).state).toBe('dead');
    for (let i = 0; i < 20; i++) expect((await kp.pick(p, new Set(), true)).key?.id).toBe('good');
    await kp.revive(p, p.keys[0]!);
    expect(kp.state(p.keys[0]!).state).toBe('ready');
    expect(persisted).toEqual(['dead p/bad HTTP 401: invalid key', 'alive p/bad']);
  });

  it('after a reload, the database decides: a key it shows dead stays dead, an old local mark on an active key is dropped', () => {
    shared = new MemorySharedState();
    const clock = new FakeClock();
    const p = provider('p', { keys: [key('k')] });
    const kp = pool(clock);
    kp.markDead(p, p.keys[0]!, 'HTTP 403');
    kp.reconcile([p]); // the reload raced the write: still marked
    expect(kp.state(p.keys[0]!).state).toBe('dead');
    clock.advance(10_000);
    kp.reconcile([p]); // an operator set it active again
    expect(kp.state(p.keys[0]!).state).toBe('ready');
  });

  it('shares back-offs between instances', async () => {
    shared = new MemorySharedState();
    const clock = new FakeClock();
    const p = provider('p', { keys: [key('k')] });
    const a = pool(clock);
    const b = pool(clock);
    const sync = new LiveSync(shared, 1000, () => undefined, clock.now);
    sync.add(b);
    b.watch(p);
    a.onRateLimited(p.keys[0]!, 5000);
    clock.advance(1);
    await sync.tick();
    expect(b.availability(p)).toMatchObject({ level: 'blocked' });
  });
});
