import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SharedState } from '../../src/store/shared/shared-state.js';
import { sleep, waitFor } from './helpers.js';

export interface ContractOptions {
  onError?: (err: Error) => void;
}

/** Makes a fresh, ready store; the suite closes it after each test. */
export type SharedStateFactory = (opts: ContractOptions) => Promise<SharedState>;

/**
 * The behaviour every SharedState must show, whatever stores it. Keys are unique per test so a
 * store shared between tests (one Redis database) cannot leak state from one test into another.
 */
export function sharedStateContract(name: string, kind: SharedState['kind'], factory: SharedStateFactory): void {
  describe(`SharedState contract: ${name}`, () => {
    let state: SharedState;
    let errors: Error[];
    let seq = 0;
    const key = (label: string): string => `${label}:${Date.now()}:${++seq}`;

    beforeEach(async () => {
      errors = [];
      state = await factory({ onError: (err) => errors.push(err) });
    });

    afterEach(async () => {
      await state.close();
    });

    it(`reports its kind as ${kind}`, () => {
      expect(state.kind).toBe(kind);
    });

    describe('get / set / mget / delete', () => {
      it('reads back what was set, null for a missing key', async () => {
        const k = key('plain');
        expect(await state.get(k)).toBeNull();
        await state.set(k, 'héllo ✓');
        expect(await state.get(k)).toBe('héllo ✓');
        await state.set(k, 'second');
        expect(await state.get(k)).toBe('second');
      });

      it('mget keeps the order of the keys and gives null for missing ones', async () => {
        const [a, b, c] = [key('a'), key('b'), key('c')];
        await state.set(a, '1');
        await state.set(c, '3');
        expect(await state.mget([a, b, c])).toEqual(['1', null, '3']);
        expect(await state.mget([])).toEqual([]);
      });

      it('delete removes the key and tolerates a missing one', async () => {
        const k = key('del');
        await state.set(k, 'x');
        await state.delete(k);
        expect(await state.get(k)).toBeNull();
        expect(await state.ttl(k)).toBe(-2);
        await expect(state.delete(k)).resolves.toBeUndefined();
      });

      it('keys are independent of each other', async () => {
        const [a, b] = [key('ind'), key('ind')];
        await state.set(a, 'A');
        await state.set(b, 'B');
        await state.delete(a);
        expect(await state.get(b)).toBe('B');
      });
    });

    describe('TTL', () => {
      it('ttl is -2 for a missing key, -1 without expiry, at most the TTL with one', async () => {
        const k = key('ttl');
        expect(await state.ttl(k)).toBe(-2);
        await state.set(k, 'v');
        expect(await state.ttl(k)).toBe(-1);
        await state.set(k, 'v', 60_000);
        const left = await state.ttl(k);
        expect(left).toBeGreaterThan(0);
        expect(left).toBeLessThanOrEqual(60_000);
      });

      it('a key set with a TTL disappears after it', async () => {
        const k = key('expiring');
        await state.set(k, 'soon gone', 80);
        await sleep(200);
        expect(await state.get(k)).toBeNull();
        expect(await state.mget([k])).toEqual([null]);
        expect(await state.ttl(k)).toBe(-2);
      });

      it('set without a TTL clears an earlier TTL', async () => {
        const k = key('persist');
        await state.set(k, 'a', 80);
        await state.set(k, 'b');
        await sleep(200);
        expect(await state.get(k)).toBe('b');
        expect(await state.ttl(k)).toBe(-1);
      });

      it('expire sets a new TTL on an existing key and reports a missing one', async () => {
        const k = key('expire');
        expect(await state.expire(k, 1000)).toBe(false);
        await state.set(k, 'v');
        expect(await state.expire(k, 100)).toBe(true);
        const left = await state.ttl(k);
        expect(left).toBeGreaterThan(0);
        expect(left).toBeLessThanOrEqual(100);
        await sleep(250);
        expect(await state.get(k)).toBeNull();
        expect(await state.expire(k, 1000)).toBe(false);
      });

      it('expire can lengthen a TTL', async () => {
        const k = key('lengthen');
        await state.set(k, 'v', 80);
        expect(await state.expire(k, 60_000)).toBe(true);
        await sleep(200);
        expect(await state.get(k)).toBe('v');
      });

      it('refuses a TTL that is not a positive number', async () => {
        const k = key('badttl');
        await expect(state.set(k, 'v', 0)).rejects.toThrow(RangeError);
        await expect(state.set(k, 'v', -5)).rejects.toThrow(RangeError);
        await expect(state.set(k, 'v', Number.NaN)).rejects.toThrow(RangeError);
        await expect(state.expire(k, 0)).rejects.toThrow(RangeError);
        expect(await state.get(k)).toBeNull();
      });
    });

    describe('setIfAbsent', () => {
      it('sets a missing key and leaves an existing one alone', async () => {
        const k = key('nx');
        expect(await state.setIfAbsent(k, 'first')).toBe(true);
        expect(await state.setIfAbsent(k, 'second')).toBe(false);
        expect(await state.get(k)).toBe('first');
      });

      it('exactly one of many concurrent callers wins, and its value is stored', async () => {
        const k = key('race');
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) => state.setIfAbsent(k, `caller-${i}`, 60_000)),
        );
        const winners = results.flatMap((won, i) => (won ? [i] : []));
        expect(winners).toHaveLength(1);
        expect(await state.get(k)).toBe(`caller-${winners[0]}`);
      });

      it('applies its TTL, after which the key can be taken again', async () => {
        const k = key('lease');
        expect(await state.setIfAbsent(k, 'a', 80)).toBe(true);
        const left = await state.ttl(k);
        expect(left === -2 || (left > 0 && left <= 80)).toBe(true);
        await sleep(200);
        expect(await state.setIfAbsent(k, 'b')).toBe(true);
        expect(await state.get(k)).toBe('b');
      });
    });

    describe('incr', () => {
      it('starts from 0, adds 1 by default, and adds any amount', async () => {
        const k = key('counter');
        expect(await state.incr(k)).toBe(1);
        expect(await state.incr(k)).toBe(2);
        expect(await state.incr(k, 10)).toBe(12);
        expect(await state.incr(k, -5)).toBe(7);
        expect(await state.get(k)).toBe('7');
      });

      it('adds fractions', async () => {
        const k = key('fraction');
        expect(await state.incr(k, 1.5)).toBe(1.5);
        expect(await state.incr(k, 0.25)).toBe(1.75);
      });

      it('counts an existing numeric string', async () => {
        const k = key('numeric');
        await state.set(k, '40');
        expect(await state.incr(k, 2)).toBe(42);
      });

      it('is atomic: 200 concurrent increments give 200 distinct results and a total of 200', async () => {
        const k = key('atomic');
        const results = await Promise.all(Array.from({ length: 200 }, () => state.incr(k)));
        expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
        expect(await state.get(k)).toBe('200');
      });

      it('applies the TTL only when it creates the key', async () => {
        const k = key('window');
        await state.incr(k, 1, 5000);
        await state.incr(k, 1, 60_000);
        await state.incr(k);
        const left = await state.ttl(k);
        expect(left).toBeGreaterThan(0);
        expect(left).toBeLessThanOrEqual(5000);
      });

      it('starts again from 0 after the key expired', async () => {
        const k = key('restart');
        expect(await state.incr(k, 5, 80)).toBe(5);
        await sleep(200);
        expect(await state.incr(k)).toBe(1);
        expect(await state.ttl(k)).toBe(-1);
      });

      it('rejects a key that does not hold a number, and leaves it unchanged', async () => {
        const k = key('text');
        await state.set(k, 'not a number');
        await expect(state.incr(k)).rejects.toThrow();
        expect(await state.get(k)).toBe('not a number');
      });
    });

    describe('ewma', () => {
      it('is initialised by the first sample, then weights each sample by alpha', async () => {
        const k = key('latency');
        expect(await state.ewma(k, 10, 0.5)).toBe(10);
        expect(await state.ewma(k, 20, 0.5)).toBe(15);
        expect(await state.ewma(k, 0, 0.5)).toBe(7.5);
        expect(await state.ewma(k, 100, 0.2)).toBeCloseTo(0.2 * 100 + 0.8 * 7.5, 10);
        expect(Number(await state.get(k))).toBeCloseTo(26, 10);
      });

      it('is atomic: concurrent updates each see the previous one', async () => {
        const k = key('ewma-race');
        await state.ewma(k, 0, 0.1);
        const results = await Promise.all(Array.from({ length: 50 }, () => state.ewma(k, 100, 0.1)));
        // Whatever the order, the n-th update moves the average to 100 * (1 - 0.9^n).
        const expected = Array.from({ length: 50 }, (_, i) => 100 * (1 - 0.9 ** (i + 1)));
        const sorted = [...results].sort((a, b) => a - b);
        sorted.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 9));
        expect(Number(await state.get(k))).toBeCloseTo(100 * (1 - 0.9 ** 50), 9);
      });

      it('refreshes the TTL on every update', async () => {
        const k = key('ewma-ttl');
        await state.ewma(k, 1, 0.5, 5000);
        await state.ewma(k, 1, 0.5, 60_000);
        expect(await state.ttl(k)).toBeGreaterThan(5000);
        await state.ewma(k, 1, 0.5, 80);
        await sleep(200);
        expect(await state.get(k)).toBeNull();
        expect(await state.ewma(k, 42, 0.5)).toBe(42);
        expect(await state.ttl(k)).toBe(-1);
      });

      it('refuses an alpha outside (0, 1]', async () => {
        const k = key('ewma-alpha');
        await expect(state.ewma(k, 1, 0)).rejects.toThrow(RangeError);
        await expect(state.ewma(k, 1, 1.5)).rejects.toThrow(RangeError);
        expect(await state.get(k)).toBeNull();
      });
    });

    describe('rateLimit', () => {
      it('counts calls against the limit and reports what remains', async () => {
        const k = key('rl');
        const seen = [];
        for (let i = 0; i < 6; i++) seen.push(await state.rateLimit(k, 5, 60_000));
        expect(seen.slice(0, 5).map((r) => [r.allowed, r.remaining, r.retryAfterMs])).toEqual([
          [true, 4, 0],
          [true, 3, 0],
          [true, 2, 0],
          [true, 1, 0],
          [true, 0, 0],
        ]);
        expect(seen[5]?.allowed).toBe(false);
        expect(seen[5]?.remaining).toBe(0);
        expect(seen[5]?.retryAfterMs).toBeGreaterThan(0);
        expect(seen[5]?.retryAfterMs).toBeLessThanOrEqual(120_000);
      });

      it('never lets more than the limit through under concurrent calls', async () => {
        const k = key('rl-burst');
        const results = await Promise.all(Array.from({ length: 60 }, () => state.rateLimit(k, 10, 60_000)));
        expect(results.filter((r) => r.allowed)).toHaveLength(10);
        for (const r of results.filter((x) => !x.allowed)) {
          expect(r.remaining).toBe(0);
          expect(r.retryAfterMs).toBeGreaterThan(0);
        }
        expect((await state.rateLimit(k, 10, 60_000, 0)).remaining).toBe(0);
      });

      it('does not count a refused call', async () => {
        const k = key('rl-cost');
        expect(await state.rateLimit(k, 5, 60_000, 3)).toMatchObject({ allowed: true, remaining: 2 });
        expect(await state.rateLimit(k, 5, 60_000, 3)).toMatchObject({ allowed: false, remaining: 0 });
        expect(await state.rateLimit(k, 5, 60_000, 2)).toMatchObject({ allowed: true, remaining: 0 });
        expect((await state.rateLimit(k, 5, 60_000, 1)).allowed).toBe(false);
      });

      it('refuses a cost above the limit without counting it', async () => {
        const k = key('rl-huge');
        const r = await state.rateLimit(k, 5, 60_000, 6);
        expect(r.allowed).toBe(false);
        expect(r.retryAfterMs).toBeGreaterThan(0);
        expect(await state.rateLimit(k, 5, 60_000, 5)).toMatchObject({ allowed: true, remaining: 0 });
      });

      it('a cost of 0 reads the state without counting', async () => {
        const k = key('rl-read');
        expect(await state.rateLimit(k, 5, 60_000, 0)).toEqual({ allowed: true, remaining: 5, retryAfterMs: 0 });
        await state.rateLimit(k, 5, 60_000, 2);
        expect(await state.rateLimit(k, 5, 60_000, 0)).toEqual({ allowed: true, remaining: 3, retryAfterMs: 0 });
        expect(await state.rateLimit(k, 5, 60_000, 0)).toEqual({ allowed: true, remaining: 3, retryAfterMs: 0 });
      });

      it('lets a refused call through once retryAfterMs has passed', async () => {
        const k = key('rl-retry');
        for (let i = 0; i < 3; i++) expect((await state.rateLimit(k, 3, 300)).allowed).toBe(true);
        const refused = await state.rateLimit(k, 3, 300);
        expect(refused.allowed).toBe(false);
        expect(refused.retryAfterMs).toBeGreaterThan(0);
        expect(refused.retryAfterMs).toBeLessThanOrEqual(600);
        await sleep(refused.retryAfterMs + 25);
        expect((await state.rateLimit(k, 3, 300)).allowed).toBe(true);
      });

      it('slides: the previous window still counts, fading out over the current one', async () => {
        const k = key('rl-slide');
        const windowMs = 1000;
        await sleepUntilWindowStart(windowMs);
        for (let i = 0; i < 10; i++) expect((await state.rateLimit(k, 10, windowMs)).allowed).toBe(true);
        await sleepUntilWindowStart(windowMs);
        // A new fixed window has just begun, but almost all of the previous one still weighs.
        const early = await state.rateLimit(k, 10, windowMs);
        expect(early.allowed).toBe(false);
        expect(early.retryAfterMs).toBeGreaterThan(0);
        expect(early.retryAfterMs).toBeLessThanOrEqual(windowMs);
        await sleep(early.retryAfterMs + 25);
        const later = await state.rateLimit(k, 10, windowMs);
        expect(later.allowed).toBe(true);
        // A plain fixed window would have 9 left here; the fading previous window takes some.
        expect(later.remaining).toBeLessThan(9);
      });

      it('keeps separate keys apart', async () => {
        const [a, b] = [key('rl-a'), key('rl-b')];
        expect((await state.rateLimit(a, 1, 60_000)).allowed).toBe(true);
        expect((await state.rateLimit(a, 1, 60_000)).allowed).toBe(false);
        expect((await state.rateLimit(b, 1, 60_000)).allowed).toBe(true);
      });

      it('refuses nonsensical arguments', async () => {
        const k = key('rl-bad');
        await expect(state.rateLimit(k, -1, 1000)).rejects.toThrow(RangeError);
        await expect(state.rateLimit(k, 5, 0)).rejects.toThrow(RangeError);
        await expect(state.rateLimit(k, 5, 1000, -1)).rejects.toThrow(RangeError);
      });

      it('rejects a key that holds another kind of value', async () => {
        const k = key('rl-type');
        await state.set(k, 'x');
        await expect(state.rateLimit(k, 5, 1000)).rejects.toThrow(/WRONGTYPE/);
      });
    });

    describe('lists', () => {
      it('keeps the newest maxLength items, newest first', async () => {
        const k = key('list');
        for (const v of ['a', 'b', 'c', 'd', 'e']) await state.listPush(k, v, 3);
        expect(await state.listRange(k, 0, -1)).toEqual(['e', 'd', 'c']);
        expect(await state.listRange(k, 0, 0)).toEqual(['e']);
        expect(await state.listRange(k, 1, 1)).toEqual(['d']);
        expect(await state.listRange(k, -2, -1)).toEqual(['d', 'c']);
        expect(await state.listRange(k, 1, 100)).toEqual(['d', 'c']);
        expect(await state.listRange(k, 2, 1)).toEqual([]);
        expect(await state.listRange(k, 5, 10)).toEqual([]);
      });

      it('stays trimmed over many pushes', async () => {
        const k = key('long-list');
        for (let i = 0; i < 300; i++) await state.listPush(k, String(i), 50);
        const all = await state.listRange(k, 0, -1);
        expect(all).toHaveLength(50);
        expect(all[0]).toBe('299');
        expect(all[49]).toBe('250');
      });

      it('keeps every concurrent push within the trim', async () => {
        const k = key('list-race');
        await Promise.all(Array.from({ length: 100 }, (_, i) => state.listPush(k, String(i), 1000)));
        const all = await state.listRange(k, 0, -1);
        expect([...all].sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
      });

      it('gives an empty list for a missing key', async () => {
        expect(await state.listRange(key('nolist'), 0, -1)).toEqual([]);
      });

      it('refreshes the TTL on each push and expires the list', async () => {
        const k = key('list-ttl');
        await state.listPush(k, 'a', 10, 5000);
        await state.listPush(k, 'b', 10, 60_000);
        expect(await state.ttl(k)).toBeGreaterThan(5000);
        await state.listPush(k, 'c', 10, 80);
        await sleep(200);
        expect(await state.listRange(k, 0, -1)).toEqual([]);
        expect(await state.ttl(k)).toBe(-2);
      });

      it('a push without a TTL leaves the list without expiry', async () => {
        const k = key('list-persist');
        await state.listPush(k, 'a', 10, 5000);
        await state.listPush(k, 'b', 10);
        expect(await state.ttl(k)).toBe(-1);
      });

      it('refuses a maxLength below 1', async () => {
        await expect(state.listPush(key('list-bad'), 'a', 0)).rejects.toThrow(RangeError);
      });

      it('a list key is not a string key', async () => {
        const k = key('list-type');
        await state.listPush(k, 'a', 3);
        await expect(state.get(k)).rejects.toThrow(/WRONGTYPE/);
        expect(await state.setIfAbsent(k, 'x')).toBe(false);
      });
    });

    describe('publish / subscribe', () => {
      it('delivers to a subscriber after publish returns, in order', async () => {
        const channel = key('ch');
        const got: string[] = [];
        await state.subscribe(channel, (m) => got.push(m));
        const pending = state.publish(channel, 'one');
        expect(got).toEqual([]);
        await pending;
        for (const m of ['two', 'three', 'four']) await state.publish(channel, m);
        await waitFor(() => got.length >= 4);
        expect(got).toEqual(['one', 'two', 'three', 'four']);
      });

      it('delivers to every subscriber of the channel and to no other channel', async () => {
        const [channel, other] = [key('ch'), key('other')];
        const a: string[] = [];
        const b: string[] = [];
        const c: string[] = [];
        await state.subscribe(channel, (m) => a.push(m));
        await state.subscribe(channel, (m) => b.push(m));
        await state.subscribe(other, (m) => c.push(m));
        await state.publish(channel, 'for channel');
        await state.publish(other, 'for other');
        await waitFor(() => a.length === 1 && b.length === 1 && c.length === 1);
        expect([a, b, c]).toEqual([['for channel'], ['for channel'], ['for other']]);
      });

      it('publishing to a channel nobody listens to is fine', async () => {
        await expect(state.publish(key('empty'), 'nobody')).resolves.toBeUndefined();
      });

      it('stops delivering to a handler once unsubscribed, keeps the others', async () => {
        const channel = key('unsub');
        const gone: string[] = [];
        const kept: string[] = [];
        const unsubscribe = await state.subscribe(channel, (m) => gone.push(m));
        await state.subscribe(channel, (m) => kept.push(m));
        await state.publish(channel, 'before');
        await waitFor(() => gone.length === 1 && kept.length === 1);
        await unsubscribe();
        await unsubscribe();
        await state.publish(channel, 'after');
        await waitFor(() => kept.length === 2);
        expect(kept).toEqual(['before', 'after']);
        expect(gone).toEqual(['before']);
      });

      it('a channel can be subscribed again after its last subscriber left', async () => {
        const channel = key('resub');
        const first: string[] = [];
        const second: string[] = [];
        const unsubscribe = await state.subscribe(channel, (m) => first.push(m));
        await unsubscribe();
        await state.publish(channel, 'lost');
        await state.subscribe(channel, (m) => second.push(m));
        await state.publish(channel, 'found');
        await waitFor(() => second.length === 1);
        expect(second).toEqual(['found']);
        expect(first).toEqual([]);
      });

      it('the same handler subscribed twice is two subscriptions', async () => {
        const channel = key('twice');
        const got: string[] = [];
        const handler = (m: string): void => {
          got.push(m);
        };
        const first = await state.subscribe(channel, handler);
        await state.subscribe(channel, handler);
        await first();
        await state.publish(channel, 'm');
        await waitFor(() => got.length === 1);
        await state.publish(channel, 'n');
        await waitFor(() => got.length === 2);
        expect(got).toEqual(['m', 'n']);
      });

      it('a throwing handler is reported and does not stop the others', async () => {
        const channel = key('throw');
        const got: string[] = [];
        await state.subscribe(channel, () => {
          throw new Error('handler broke');
        });
        await state.subscribe(channel, (m) => got.push(m));
        await state.publish(channel, 'still delivered');
        await waitFor(() => got.length === 1 && errors.length >= 1);
        expect(got).toEqual(['still delivered']);
        expect(errors.map((e) => e.message)).toContain('handler broke');
      });
    });

    describe('ping / close', () => {
      it('ping resolves while open; every call rejects after close; close twice is fine', async () => {
        await expect(state.ping()).resolves.toBeUndefined();
        await state.close();
        await expect(state.ping()).rejects.toThrow();
        await expect(state.get(key('closed'))).rejects.toThrow();
        await expect(state.set(key('closed'), 'x')).rejects.toThrow();
        await expect(state.subscribe(key('closed'), () => undefined)).rejects.toThrow();
        await expect(state.close()).resolves.toBeUndefined();
      });
    });
  });
}

/** Sleep until a few ms after the next multiple of `windowMs` on the wall clock. */
async function sleepUntilWindowStart(windowMs: number): Promise<void> {
  await sleep(windowMs - (Date.now() % windowMs) + 5);
}
