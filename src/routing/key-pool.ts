/**
 * Provider keys: several per provider, each with a weight and an optional max_qps. A key is
 * chosen by weight among the provider's keys that
 * - are active (not disabled, not dead: a 401/402/403 marks a key dead, in the database, until an
 *   operator or a successful probe revives it);
 * - are not backing off: a 429 backs the key off for its Retry-After (or exponentially without
 *   one) — a hard back-off, the key is not used until it ends; other retryable failures back it
 *   off exponentially once it failed `afterFailures` times in a row — a soft back-off, the key
 *   is still used when nothing better is left;
 * - are under their max_qps (one atomic SharedState rate-limit call per attempt, so the limit
 *   holds across instances).
 * Back-offs live in SharedState (`rt:key:<id>`, JSON) and are read from the local copy LiveSync
 * refreshes; changes are written at once (fire-and-forget).
 */
import type { Provider, ProviderKey } from '../providers/types.js';
import type { SharedState } from '../store/shared/shared-state.js';
import type { LiveSource } from './live-sync.js';

export interface KeyBackoffOptions {
  afterFailures: number;
  baseMs: number;
  maxMs: number;
}

interface BackoffRecord {
  /** consecutive failures */
  fails: number;
  /** back-off end (epoch ms); 0 = none */
  until: number;
  /** true: rate limited (429), never used before `until` */
  hard: boolean;
  reason: string;
}

export type KeyState = 'ready' | 'soft' | 'hard' | 'dead' | 'disabled';

export interface KeyView {
  id: string;
  label: string;
  weight: number;
  maxQps: number | null;
  state: KeyState;
  /** back-off end (epoch ms) */
  until: number | null;
  fails: number;
  reason: string | null;
}

/** How usable a provider's keys are right now, for the planner. */
export interface KeyAvailability {
  /** ready: a key can be used; soft: only keys in a soft back-off; blocked: none at all */
  level: 'ready' | 'soft' | 'blocked';
  /** blocked by rate limits: when the first key frees up (ms from now) */
  retryAfterMs?: number;
  why?: string;
}

export type KeyPick =
  | { key: ProviderKey }
  | { key: null; rateLimited: boolean; retryAfterMs?: number; why: string };

export interface KeyPoolHooks {
  /** persist a key's death (status 'dead' in the store) and tell every instance */
  persistDead(providerId: string, keyId: string, reason: string): Promise<void>;
  /** persist a revival (status 'active') and tell every instance */
  persistRevived(providerId: string, keyId: string): Promise<void>;
  onDead?(providerId: string, key: ProviderKey, reason: string): void;
}

interface KeyStateView {
  readonly state: KeyState;
  readonly until: number | null;
  readonly rec: BackoffRecord | null;
}

// the common answers, shared rather than made for every request
const READY: KeyStateView = Object.freeze({ state: 'ready', until: null, rec: null });
const DEAD: KeyStateView = Object.freeze({ state: 'dead', until: null, rec: null });
const DISABLED: KeyStateView = Object.freeze({ state: 'disabled', until: null, rec: null });
const AVAILABLE: KeyAvailability = Object.freeze({ level: 'ready' });

/** local dead marks younger than this survive a catalog reload that still shows the key active */
const DEAD_MARK_GRACE_MS = 5000;
const RECORD_MEMORY_MS = 10 * 60_000;

export class KeyPool implements LiveSource {
  private readonly records = new Map<string, BackoffRecord | null>();
  private readonly changedAt = new Map<string, number>();
  private readonly deadMarks = new Map<string, number>();
  private readStartedAt = 0;
  private lastRead: string[] = [];

  constructor(
    private readonly shared: SharedState,
    private readonly opts: KeyBackoffOptions,
    private readonly hooks: KeyPoolHooks,
    private readonly clock: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** Keep the back-off state of these keys fresh. */
  watch(p: Provider): void {
    for (const k of p.keys) if (!this.records.has(k.id)) this.records.set(k.id, null);
  }

  state(k: ProviderKey): KeyStateView {
    if (k.status === 'disabled') return DISABLED;
    if (k.status === 'dead' || this.deadMarks.has(k.id)) return DEAD;
    const rec = this.records.get(k.id) ?? null;
    if (rec === null) return READY;
    if (rec.until > this.clock()) return { state: rec.hard ? 'hard' : 'soft', until: rec.until, rec };
    return { state: 'ready', until: null, rec };
  }

  views(p: Provider): KeyView[] {
    return p.keys.map((k) => {
      const s = this.state(k);
      return {
        id: k.id,
        label: k.label,
        weight: k.weight,
        maxQps: k.maxQps,
        state: s.state,
        until: s.until,
        fails: s.rec?.fails ?? 0,
        reason: s.state === 'dead' ? 'rejected by the provider (401/402/403)' : (s.rec?.reason ?? null),
      };
    });
  }

  availability(p: Provider): KeyAvailability {
    let soft = false;
    let hardUntil = Infinity;
    for (const k of p.keys) {
      const s = this.state(k);
      if (s.state === 'ready') return AVAILABLE;
      if (s.state === 'soft') soft = true;
      else if (s.state === 'hard' && s.until !== null) hardUntil = Math.min(hardUntil, s.until);
    }
    if (soft) return { level: 'soft' };
    if (hardUntil < Infinity) return { level: 'blocked', retryAfterMs: Math.max(0, hardUntil - this.clock()), why: 'every key is rate limited' };
    return { level: 'blocked', why: 'no usable key (dead or disabled)' };
  }

  /**
   * A key for one attempt: weighted among ready keys not tried yet in this request (soft
   * back-offs too when `allowSoft`), under their max_qps.
   */
  pick(p: Provider, tried: ReadonlySet<string>, allowSoft: boolean): KeyPick | Promise<KeyPick> {
    const pool: ProviderKey[] = [];
    const softPool: ProviderKey[] = [];
    let hardUntil = Infinity;
    let limited = false;
    for (const k of p.keys) {
      if (tried.has(k.id)) continue;
      const s = this.state(k);
      if (s.state === 'ready') {
        pool.push(k);
        if (k.maxQps !== null && k.maxQps > 0) limited = true;
      } else if (s.state === 'soft') softPool.push(k);
      else if (s.state === 'hard' && s.until !== null) hardUntil = Math.min(hardUntil, s.until);
    }
    // ready keys without max_qps: the weighted pick needs no shared-state round trip
    if (pool.length > 0 && !limited) return { key: this.weighted(pool) };
    return this.pickLimited(pool, softPool, hardUntil, allowSoft);
  }

  private async pickLimited(pool: ProviderKey[], softPool: ProviderKey[], hardUntil: number, allowSoft: boolean): Promise<KeyPick> {
    let qpsWait = Infinity;
    for (const tier of allowSoft ? [pool, softPool] : [pool]) {
      let candidates = tier;
      while (candidates.length > 0) {
        const k = this.weighted(candidates);
        if (k.maxQps === null || k.maxQps <= 0) return { key: k };
        let allowed = true;
        try {
          const r = await this.shared.rateLimit(`rt:qps:${k.id}`, k.maxQps, 1000, 1);
          allowed = r.allowed;
          if (!allowed) qpsWait = Math.min(qpsWait, r.retryAfterMs);
        } catch {
          // shared state unavailable: do not refuse traffic over a limiter we cannot read
        }
        if (allowed) return { key: k };
        candidates = candidates.filter((c) => c !== k);
      }
    }
    const waits = [qpsWait, hardUntil < Infinity ? hardUntil - this.clock() : Infinity].filter((w) => w < Infinity);
    if (waits.length > 0) {
      return { key: null, rateLimited: true, retryAfterMs: Math.max(0, Math.min(...waits)), why: qpsWait < Infinity ? 'every key is at its max_qps' : 'every key is rate limited' };
    }
    if (softPool.length > 0) return { key: null, rateLimited: false, why: 'every key is backing off after failures' };
    return { key: null, rateLimited: false, why: 'no usable provider key (dead, disabled or already tried)' };
  }

  private weighted(keys: ProviderKey[]): ProviderKey {
    let total = 0;
    for (const k of keys) total += k.weight > 0 ? k.weight : 0;
    if (total <= 0) return keys[0]!;
    let r = this.random() * total;
    for (const k of keys) {
      if (k.weight <= 0) continue;
      r -= k.weight;
      if (r <= 0) return k;
    }
    return keys[keys.length - 1]!;
  }

  private put(keyId: string, rec: BackoffRecord | null): void {
    this.records.set(keyId, rec);
    this.changedAt.set(keyId, this.clock());
    if (rec === null) void this.shared.delete(`rt:key:${keyId}`).catch(() => undefined);
    else {
      const ttl = Math.max(rec.until - this.clock(), 0) + RECORD_MEMORY_MS;
      void this.shared.set(`rt:key:${keyId}`, JSON.stringify(rec), ttl).catch(() => undefined);
    }
  }

  private backoffMs(n: number): number {
    return Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** Math.max(0, n));
  }

  onSuccess(k: ProviderKey): void {
    const rec = this.records.get(k.id);
    if (rec && rec.fails > 0) this.put(k.id, null);
  }

  /** The provider rate limited this key (429): back off for Retry-After, or exponentially. */
  onRateLimited(k: ProviderKey, retryAfterMs: number | undefined): void {
    const rec = this.records.get(k.id) ?? null;
    const fails = (rec?.fails ?? 0) + 1;
    const wait = retryAfterMs !== undefined ? Math.min(retryAfterMs, 24 * 3_600_000) : this.backoffMs(fails - 1);
    this.put(k.id, { fails, until: this.clock() + wait, hard: true, reason: retryAfterMs !== undefined ? 'rate limited (Retry-After)' : 'rate limited' });
  }

  /** A retryable failure with this key (5xx, connection, timeout). */
  onRetryableFailure(k: ProviderKey, what: string): void {
    const rec = this.records.get(k.id) ?? null;
    const fails = (rec?.fails ?? 0) + 1;
    const over = fails - this.opts.afterFailures;
    const until = over >= 0 ? this.clock() + this.backoffMs(over) : 0;
    this.put(k.id, { fails, until, hard: false, reason: `${fails} failures in a row; last: ${what}` });
  }

  /** The provider refused the key (401/402/403): dead until revived. */
  markDead(p: Provider, k: ProviderKey, reason: string): void {
    if (this.deadMarks.has(k.id)) return;
    this.deadMarks.set(k.id, this.clock());
    this.hooks.onDead?.(p.id, k, reason);
    void this.hooks.persistDead(p.id, k.id, reason).catch(() => undefined);
  }

  /** Revive a dead key (a probe succeeded with it). */
  async revive(p: Provider, k: ProviderKey): Promise<void> {
    this.deadMarks.delete(k.id);
    this.put(k.id, null);
    await this.hooks.persistRevived(p.id, k.id);
  }

  /** After the catalog was reloaded: the database now holds the truth about dead keys. */
  reconcile(providers: Iterable<Provider>): void {
    const now = this.clock();
    const status = new Map<string, ProviderKey['status']>();
    for (const p of providers) for (const k of p.keys) status.set(k.id, k.status);
    for (const [id, at] of this.deadMarks) {
      const s = status.get(id);
      if (s === undefined || s === 'dead' || now - at > DEAD_MARK_GRACE_MS) this.deadMarks.delete(id);
    }
  }

  keys(now: number): string[] {
    this.readStartedAt = now;
    this.lastRead = [...this.records.keys()];
    return this.lastRead.map((id) => `rt:key:${id}`);
  }

  accept(_keys: readonly string[], values: ReadonlyArray<string | null>): void {
    this.lastRead.forEach((id, i) => {
      if ((this.changedAt.get(id) ?? 0) >= this.readStartedAt) return;
      const v = values[i] ?? null;
      let rec: BackoffRecord | null = null;
      if (v !== null) {
        try {
          const o = JSON.parse(v) as Partial<BackoffRecord>;
          if (typeof o.fails === 'number' && typeof o.until === 'number') {
            rec = { fails: o.fails, until: o.until, hard: o.hard === true, reason: typeof o.reason === 'string' ? o.reason : '' };
          }
        } catch {
          rec = null;
        }
      }
      this.records.set(id, rec);
    });
  }
}
