/**
 * The rate limiter's arithmetic: a sliding window approximated by two fixed windows.
 *
 * Time is cut into fixed windows of `windowMs` aligned to the Unix epoch. The limiter keeps the
 * count of the current window and of the one before it. At `elapsed` ms into the current window
 * the estimated use is
 *
 *     estimate = current + previous * (windowMs - elapsed) / windowMs
 *
 * i.e. the previous window's count fades out linearly as the current window advances. A call of
 * `cost` is allowed when `estimate + cost <= limit` (with a tiny tolerance for floating-point
 * error) and only then counted. The Redis implementation runs the same formula in Lua
 * (redis-scripts.ts) so both stores give the same answers.
 */

/** Tolerance on `estimate + cost <= limit`, so rounding in the weighting never refuses a fit. */
export const FIT_EPSILON = 1e-9;

/**
 * Milliseconds until a call of `cost` would fit, given a refusal at `elapsed` ms into the current
 * window. Always >= 1. When `cost > limit` nothing can ever fit; the answer is then the time until
 * both windows are empty (the caller can tell this case from `cost > limit` itself).
 */
export function retryAfterMs(
  limit: number,
  windowMs: number,
  cost: number,
  current: number,
  previous: number,
  elapsed: number,
): number {
  let wait: number;
  if (cost > limit) {
    wait = 2 * windowMs - elapsed;
  } else {
    const room = limit - current - cost;
    if (room >= 0) {
      // Fits later in this window, once enough of the previous window's weight has faded.
      wait = previous > 0 ? windowMs * (1 - room / previous) - elapsed : 1;
    } else {
      // This window alone is too full: in the next one, today's `current` becomes `previous`.
      const needed = current > 0 ? windowMs * (1 - (limit - cost) / current) : 0;
      wait = windowMs - elapsed + Math.max(0, needed);
    }
  }
  return Math.max(1, Math.ceil(wait));
}

/** Budget left after a counted call, floored to a whole unit and never negative. */
export function remainingAfter(limit: number, estimate: number, cost: number): number {
  const left = Math.floor(limit - estimate - cost + FIT_EPSILON);
  return left > 0 ? left : 0;
}
