/**
 * Argument checks shared by the SharedState implementations, so the in-memory store and Redis
 * refuse the same inputs with the same messages (Redis would otherwise answer with its own
 * errors, or silently accept values the memory store treats differently).
 */

/** A TTL in ms rounded up to a whole millisecond; undefined stays undefined (no expiry). */
export function ttlArg(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) return undefined;
  return requiredTtl(ttlMs);
}

export function requiredTtl(ttlMs: number): number {
  if (!(ttlMs > 0) || !Number.isFinite(ttlMs)) {
    throw new RangeError(`ttlMs must be a positive, finite number of milliseconds (got ${String(ttlMs)})`);
  }
  return Math.ceil(ttlMs);
}

export function finiteArg(name: string, value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number (got ${String(value)})`);
  return value;
}

export function alphaArg(alpha: number): number {
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`alpha must be in (0, 1] (got ${String(alpha)})`);
  return alpha;
}

export function positiveIntArg(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be an integer >= 1 (got ${String(value)})`);
  }
  return value;
}

export function integerArg(name: string, value: number): number {
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be an integer (got ${String(value)})`);
  return value;
}

/** Checks rateLimit arguments; returns the window rounded up to a whole millisecond. */
export function rateLimitWindowArg(limit: number, windowMs: number, cost: number): number {
  if (!(limit >= 0) || !Number.isFinite(limit)) {
    throw new RangeError(`limit must be a finite number >= 0 (got ${String(limit)})`);
  }
  if (!(windowMs > 0) || !Number.isFinite(windowMs)) {
    throw new RangeError(`windowMs must be a positive, finite number (got ${String(windowMs)})`);
  }
  if (!(cost >= 0) || !Number.isFinite(cost)) {
    throw new RangeError(`cost must be a finite number >= 0 (got ${String(cost)})`);
  }
  return Math.ceil(windowMs);
}

/** The error both stores give when an operation meets a key holding another kind of value. */
export function wrongTypeError(key: string): Error {
  return new Error(`WRONGTYPE Operation against a key holding the wrong kind of value (${key})`);
}
