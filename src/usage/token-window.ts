/**
 * Tokens per minute with reservations: a call reserves its estimate before it runs and the
 * difference to its real usage is added or refunded afterwards. SharedState.rateLimit cannot
 * refund, so this keeps its own counters with the same arithmetic (two fixed windows, the
 * previous one fading out linearly; src/store/shared/sliding-window.ts):
 *
 *   reserve: count = INCR(window, n); estimate = count + previous x (1 - elapsed/window)
 *            over the limit -> INCR(window, -n) and refuse with the time until it would fit.
 *
 * Each step is one atomic operation on the shared store, so instances never admit more than the
 * limit between them; two calls racing for the last tokens may both be refused (never both
 * admitted). Settling adds (actual - reserved) to the window the reservation went to (or to the
 * current one when that window is gone and the call used more), so a long stream that overshoots
 * its reservation makes the next calls wait.
 */
import type { SharedState } from '../store/shared/shared-state.js';
import { retryAfterMs } from '../store/shared/sliding-window.js';

export const TPM_WINDOW_MS = 60_000;
const KEY_TTL_MS = 2 * TPM_WINDOW_MS + 5_000;

export interface TokenReservation {
  window: number;
  tokens: number;
}

export type ReserveResult = { ok: true; reservation: TokenReservation } | { ok: false; retryAfterMs: number };

export class TokenWindow {
  constructor(
    private readonly shared: SharedState,
    private readonly prefix: string,
    private readonly windowMs: number = TPM_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  private key(id: string, w: number): string {
    return `${this.prefix}${id}:${w}`;
  }

  async reserve(id: string, limit: number, tokens: number): Promise<ReserveResult> {
    const t = this.now();
    const w = Math.floor(t / this.windowMs);
    const elapsed = t - w * this.windowMs;
    const [count, prevText] = await Promise.all([
      this.shared.incr(this.key(id, w), tokens, KEY_TTL_MS),
      this.shared.get(this.key(id, w - 1)),
    ]);
    const previous = Math.max(0, Number(prevText ?? 0) || 0);
    const estimate = Math.max(0, count) + (previous * (this.windowMs - elapsed)) / this.windowMs;
    if (estimate <= limit + 1e-9) return { ok: true, reservation: { window: w, tokens } };
    await this.shared.incr(this.key(id, w), -tokens, KEY_TTL_MS);
    const current = Math.max(0, count - tokens);
    return { ok: false, retryAfterMs: retryAfterMs(limit, this.windowMs, tokens, current, previous, elapsed) };
  }

  /** Correct a reservation by what the call really used. */
  async settle(id: string, r: TokenReservation, used: number): Promise<void> {
    const delta = used - r.tokens;
    if (delta === 0) return;
    const w = Math.floor(this.now() / this.windowMs);
    if (r.window >= w - 1) await this.shared.incr(this.key(id, r.window), delta, KEY_TTL_MS);
    else if (delta > 0) await this.shared.incr(this.key(id, w), delta, KEY_TTL_MS);
  }

  /** Tokens counted in the current window (for tests and the key's own usage view). */
  async current(id: string): Promise<number> {
    const w = Math.floor(this.now() / this.windowMs);
    return Math.max(0, Number((await this.shared.get(this.key(id, w))) ?? 0) || 0);
  }
}
