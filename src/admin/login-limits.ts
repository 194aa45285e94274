/**
 * Brute-force protection for POST /auth/login, shared by every instance (SharedState, so Redis
 * when several instances run): failed attempts are counted per client IP and per login name in a
 * sliding window; while either is over its limit, further attempts are refused with 429 and
 * Retry-After before the password is even looked at. Successful sign-ins are not counted, so a
 * team behind one NAT address is not locked out by its own logins.
 *
 * A known trade-off: anyone can lock a login name for the window by failing on purpose. The
 * ADMIN_API_KEY (when set) is not affected.
 */
import { createHash } from 'node:crypto';
import { GatewayError } from '../canonical/errors.js';
import type { SharedState } from '../store/shared/shared-state.js';

export interface LoginLimits {
  windowMs: number;
  perIp: number;
  perLogin: number;
}

export const LOGIN_LIMITS: Readonly<LoginLimits> = { windowMs: 5 * 60_000, perIp: 10, perLogin: 5 };

function keys(login: string, ip: string): { ip: string; login: string } {
  const name = createHash('sha256').update(login.trim().toLowerCase()).digest('hex').slice(0, 32);
  return { ip: `login-failures:ip:${ip}`, login: `login-failures:name:${name}` };
}

/** Throws 429 (with Retry-After) while this IP or this login name is locked out. */
export async function assertLoginAllowed(shared: SharedState, login: string, ip: string, limits: LoginLimits = LOGIN_LIMITS): Promise<void> {
  const k = keys(login, ip);
  for (const [key, limit] of [
    [k.ip, limits.perIp],
    [k.login, limits.perLogin],
  ] as const) {
    const state = await shared.rateLimit(key, limit, limits.windowMs, 0);
    if (state.remaining >= 1) continue;
    // a cost of 1 cannot fit now, so this call is refused (not counted) and says how long to wait
    const probe = await shared.rateLimit(key, limit, limits.windowMs, 1);
    const waitMs = probe.allowed ? 1000 : probe.retryAfterMs;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new GatewayError(429, 'rate_limit', `Too many failed sign-in attempts; try again in ${seconds} seconds.`, {
      code: 'too_many_login_attempts',
      headers: { 'retry-after': String(seconds) },
    });
  }
}

/** Count one failed attempt against the IP and the login name. */
export async function recordLoginFailure(shared: SharedState, login: string, ip: string, limits: LoginLimits = LOGIN_LIMITS): Promise<void> {
  const k = keys(login, ip);
  await Promise.all([
    shared.rateLimit(k.ip, limits.perIp, limits.windowMs, 1),
    shared.rateLimit(k.login, limits.perLogin, limits.windowMs, 1),
  ]);
}
