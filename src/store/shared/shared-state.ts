/**
 * SharedState: the small key-value store that several gateway instances share (Redis), or that
 * one instance keeps in memory. Stickiness, health and breaker state, rate-limit counters,
 * caches and config-change notices live here. Every operation is atomic on its own.
 *
 * Keys are plain strings; implementations may prefix them (namespace) so several deployments can
 * share one Redis. TTLs are in milliseconds; a TTL of undefined means "no expiry".
 */

export interface RateLimitResult {
  /** true when the cost fitted under the limit and was counted */
  allowed: boolean;
  /** what is left in the current window after this call (0 when refused) */
  remaining: number;
  /** when refused: milliseconds until enough budget frees up; 0 when allowed */
  retryAfterMs: number;
}

export type Unsubscribe = () => Promise<void>;

export interface SharedState {
  /** "memory" or "redis" */
  readonly kind: 'memory' | 'redis';

  get(key: string): Promise<string | null>;
  mget(keys: string[]): Promise<Array<string | null>>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Set only if absent (NX); true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Remaining TTL in ms, -1 without expiry, -2 when missing. */
  ttl(key: string): Promise<number>;
  /** Reset the TTL of an existing key; false when the key is missing. */
  expire(key: string, ttlMs: number): Promise<boolean>;

  /** Atomic add; creates the key at 0 first. The TTL is applied only when the key is created. */
  incr(key: string, by?: number, ttlMs?: number): Promise<number>;

  /**
   * Atomic exponentially weighted moving average: value = alpha*sample + (1-alpha)*value
   * (the first sample initialises it). Returns the new value. TTL refreshed on every update.
   */
  ewma(key: string, sample: number, alpha: number, ttlMs?: number): Promise<number>;

  /**
   * Sliding-window limiter (two fixed windows, weighted), atomic check-and-count: counts `cost`
   * against `limit` per `windowMs` and refuses, without counting, what would exceed it.
   * A cost of 0 only reads the state.
   */
  rateLimit(key: string, limit: number, windowMs: number, cost?: number): Promise<RateLimitResult>;

  /** Push to the head of a list, trim it to `maxLength` newest, refresh its TTL. */
  listPush(key: string, value: string, maxLength: number, ttlMs?: number): Promise<void>;
  /** Newest first, `start`..`stop` inclusive (Redis LRANGE semantics; -1 = last). */
  listRange(key: string, start: number, stop: number): Promise<string[]>;

  /** Fire-and-forget notice to every instance (including this one) subscribed to `channel`. */
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<Unsubscribe>;

  /** Health check (Redis PING); resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
