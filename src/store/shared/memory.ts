import {
  alphaArg,
  finiteArg,
  integerArg,
  positiveIntArg,
  rateLimitWindowArg,
  requiredTtl,
  ttlArg,
  wrongTypeError,
} from './args.js';
import type { RateLimitResult, SharedState, Unsubscribe } from './shared-state.js';
import { FIT_EPSILON, remainingAfter, retryAfterMs } from './sliding-window.js';

/**
 * SharedState kept in this process: one Map of entries, each with an absolute expiry on the
 * monotonic clock (Infinity = no expiry). Expired entries vanish on the next read of their key
 * (lazy expiry) and a periodic, unref'd sweep removes the ones nobody reads, a bounded batch per
 * tick, so there is no timer per key and no call costs more than O(1) (listRange: O(result)).
 */

interface StringEntry {
  kind: 'string';
  value: string;
  expiresAt: number;
}

/** Items oldest first from `head`; the newest item is the last element. */
interface ListEntry {
  kind: 'list';
  items: string[];
  head: number;
  expiresAt: number;
}

/** Rate-limit counters: fixed window number `w`, its count `c`, the previous window's count `p`. */
interface WindowEntry {
  kind: 'window';
  w: number;
  c: number;
  p: number;
  expiresAt: number;
}

type Entry = StringEntry | ListEntry | WindowEntry;

interface Subscription {
  readonly handler: (message: string) => void;
  active: boolean;
}

export interface MemorySharedStateOptions {
  /** How often the sweep removes expired keys nobody read (default 1000 ms). */
  sweepIntervalMs?: number;
  /** How many keys one sweep tick examines at most (default 10 000). */
  sweepBatch?: number;
  /** Receives errors thrown by subscription handlers (default: console.error). */
  onError?: (err: Error) => void;
}

/** Stop trimmed list heads from piling up: compact once this many dead slots lead the array. */
const LIST_COMPACT_MIN = 32;

const now = (): number => performance.now();

function reportToConsole(err: Error): void {
  console.error('[apiproxy] shared state:', err);
}

function toNumber(key: string, value: string): number {
  const n = Number(value);
  if (value.length === 0 || !Number.isFinite(n)) {
    throw new Error(`ERR value is not a valid number (${key})`);
  }
  return n;
}

export class MemorySharedState implements SharedState {
  readonly kind = 'memory' as const;

  private readonly entries = new Map<string, Entry>();
  private readonly channels = new Map<string, Set<Subscription>>();
  private readonly onError: (err: Error) => void;
  private readonly sweepBatch: number;
  private sweepCursor: Iterator<[string, Entry]> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: MemorySharedStateOptions = {}) {
    this.onError = options.onError ?? reportToConsole;
    this.sweepBatch = options.sweepBatch ?? 10_000;
    this.timer = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Number of stored entries, including expired ones the sweep has not reached yet. */
  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<string | null> {
    this.assertOpen();
    const e = this.live(key);
    if (e === undefined) return null;
    if (e.kind !== 'string') throw wrongTypeError(key);
    return e.value;
  }

  async mget(keys: string[]): Promise<Array<string | null>> {
    this.assertOpen();
    const out = new Array<string | null>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const e = this.live(keys[i] as string);
      // Like Redis MGET: a key holding another kind of value reads as null.
      out[i] = e !== undefined && e.kind === 'string' ? e.value : null;
    }
    return out;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.assertOpen();
    this.store(key, value, expiryFor(ttlArg(ttlMs)));
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    this.assertOpen();
    const expiresAt = expiryFor(ttlArg(ttlMs));
    if (this.live(key) !== undefined) return false;
    this.store(key, value, expiresAt);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.assertOpen();
    this.entries.delete(key);
  }

  async ttl(key: string): Promise<number> {
    this.assertOpen();
    const e = this.live(key);
    if (e === undefined) return -2;
    if (e.expiresAt === Infinity) return -1;
    return Math.max(1, Math.ceil(e.expiresAt - now()));
  }

  async expire(key: string, ttlMs: number): Promise<boolean> {
    this.assertOpen();
    const ttl = requiredTtl(ttlMs);
    const e = this.live(key);
    if (e === undefined) return false;
    e.expiresAt = now() + ttl;
    return true;
  }

  async incr(key: string, by = 1, ttlMs?: number): Promise<number> {
    this.assertOpen();
    finiteArg('by', by);
    const ttl = ttlArg(ttlMs);
    const e = this.live(key);
    if (e === undefined) {
      this.entries.set(key, { kind: 'string', value: String(by), expiresAt: expiryFor(ttl) });
      return by;
    }
    if (e.kind !== 'string') throw wrongTypeError(key);
    const next = toNumber(key, e.value) + by;
    e.value = String(next);
    return next;
  }

  async ewma(key: string, sample: number, alpha: number, ttlMs?: number): Promise<number> {
    this.assertOpen();
    finiteArg('sample', sample);
    alphaArg(alpha);
    const expiresAt = expiryFor(ttlArg(ttlMs));
    const e = this.live(key);
    if (e !== undefined && e.kind !== 'string') throw wrongTypeError(key);
    const next = e === undefined ? sample : alpha * sample + (1 - alpha) * toNumber(key, e.value);
    this.store(key, String(next), expiresAt);
    return next;
  }

  async rateLimit(key: string, limit: number, windowMs: number, cost = 1): Promise<RateLimitResult> {
    this.assertOpen();
    const win = rateLimitWindowArg(limit, windowMs, cost);
    const wallNow = Date.now();
    const w = Math.floor(wallNow / win);
    const elapsed = wallNow - w * win;
    const e = this.live(key);
    if (e !== undefined && e.kind !== 'window') throw wrongTypeError(key);
    let current = 0;
    let previous = 0;
    if (e !== undefined) {
      if (e.w === w) {
        current = e.c;
        previous = e.p;
      } else if (e.w === w - 1) {
        previous = e.c;
      }
    }
    const estimate = current + (previous * (win - elapsed)) / win;
    if (estimate + cost > limit + FIT_EPSILON) {
      return {
        allowed: false,
        remaining: 0,
        retryAfterMs: retryAfterMs(limit, win, cost, current, previous, elapsed),
      };
    }
    if (cost > 0) {
      const expiresAt = now() + 2 * win;
      if (e === undefined) {
        this.entries.set(key, { kind: 'window', w, c: current + cost, p: previous, expiresAt });
      } else {
        e.w = w;
        e.c = current + cost;
        e.p = previous;
        e.expiresAt = expiresAt;
      }
    }
    return { allowed: true, remaining: remainingAfter(limit, estimate, cost), retryAfterMs: 0 };
  }

  async listPush(key: string, value: string, maxLength: number, ttlMs?: number): Promise<void> {
    this.assertOpen();
    positiveIntArg('maxLength', maxLength);
    const expiresAt = expiryFor(ttlArg(ttlMs));
    const e = this.live(key);
    if (e === undefined) {
      this.entries.set(key, { kind: 'list', items: [value], head: 0, expiresAt });
      return;
    }
    if (e.kind !== 'list') throw wrongTypeError(key);
    e.items.push(value);
    const length = e.items.length - e.head;
    if (length > maxLength) e.head += length - maxLength;
    if (e.head >= LIST_COMPACT_MIN && e.head * 2 >= e.items.length) {
      e.items = e.items.slice(e.head);
      e.head = 0;
    }
    e.expiresAt = expiresAt;
  }

  async listRange(key: string, start: number, stop: number): Promise<string[]> {
    this.assertOpen();
    integerArg('start', start);
    integerArg('stop', stop);
    const e = this.live(key);
    if (e === undefined) return [];
    if (e.kind !== 'list') throw wrongTypeError(key);
    const length = e.items.length - e.head;
    let from = start < 0 ? length + start : start;
    let to = stop < 0 ? length + stop : stop;
    if (from < 0) from = 0;
    if (to >= length) to = length - 1;
    if (from > to) return [];
    const out = new Array<string>(to - from + 1);
    const last = e.items.length - 1;
    for (let i = from; i <= to; i++) out[i - from] = e.items[last - i] as string;
    return out;
  }

  async publish(channel: string, message: string): Promise<void> {
    this.assertOpen();
    const subs = this.channels.get(channel);
    if (subs === undefined || subs.size === 0) return;
    // Deliver to those subscribed now, after this call returns (as a remote broker would).
    const targets = Array.from(subs);
    setImmediate(() => {
      for (const sub of targets) {
        if (!sub.active) continue;
        try {
          sub.handler(message);
        } catch (err) {
          this.onError(err instanceof Error ? err : new Error(String(err)));
        }
      }
    });
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe> {
    this.assertOpen();
    let subs = this.channels.get(channel);
    if (subs === undefined) {
      subs = new Set();
      this.channels.set(channel, subs);
    }
    const sub: Subscription = { handler, active: true };
    subs.add(sub);
    const set = subs;
    return async () => {
      if (!sub.active) return;
      sub.active = false;
      set.delete(sub);
      if (set.size === 0 && this.channels.get(channel) === set) this.channels.delete(channel);
    };
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.sweepCursor = undefined;
    this.entries.clear();
    for (const subs of this.channels.values()) for (const sub of subs) sub.active = false;
    this.channels.clear();
  }

  /** The entry under `key` unless it has expired (then it is removed). */
  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt !== Infinity && e.expiresAt <= now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Write a string value, reusing the entry object when the key already holds a string. */
  private store(key: string, value: string, expiresAt: number): void {
    const e = this.entries.get(key);
    if (e !== undefined && e.kind === 'string') {
      e.value = value;
      e.expiresAt = expiresAt;
    } else {
      this.entries.set(key, { kind: 'string', value, expiresAt });
    }
  }

  /** Examine up to `sweepBatch` keys, resuming where the previous tick stopped. */
  private sweep(): void {
    const t = now();
    const cursor = this.sweepCursor ?? this.entries.entries();
    for (let budget = this.sweepBatch; budget > 0; budget--) {
      const step = cursor.next();
      if (step.done === true) {
        this.sweepCursor = undefined;
        return;
      }
      const [key, e] = step.value;
      if (e.expiresAt <= t) this.entries.delete(key);
    }
    this.sweepCursor = cursor;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SharedState is closed');
  }
}

function expiryFor(ttl: number | undefined): number {
  return ttl === undefined ? Infinity : now() + ttl;
}
