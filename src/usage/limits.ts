/**
 * Per-key limits, checked before a call reaches any upstream and settled after it:
 * - budget (USD, total or per UTC day / month): over it -> 402; a call admitted under the budget
 *   may end above it (its cost is only known afterwards); the next one is refused;
 * - RPM: requests per minute (SharedState.rateLimit, sliding window) -> 429 with Retry-After;
 * - TPM: tokens per minute; a call reserves its input estimate plus the output it allows
 *   (max_tokens, capped at 4096; 1024 when it sets none) and is corrected by its real usage when
 *   it ends -> 429 with Retry-After. A stream that produces more than it reserved overshoots the
 *   limit for that minute; the calls after it wait until the window has room again.
 * Every counter lives in SharedState, so several instances sharing Redis enforce one limit.
 * When the shared store fails, the call is let through (logged): limits protect the upstreams,
 * they should not take the gateway down with Redis.
 */
import type { Logger } from 'pino';
import { GatewayError } from '../canonical/errors.js';
import type { Usage } from '../canonical/types.js';
import type { Principal } from '../server/principal.js';
import type { SharedState } from '../store/shared/shared-state.js';
import { SpendCounter, type BudgetPeriod, type SpendSource } from './budget.js';
import { estimateInputTokens, requestedMaxOutput } from './estimate.js';
import { totalTokens } from './extract.js';
import { TokenWindow, type TokenReservation } from './token-window.js';

const MINUTE_MS = 60_000;
/** output reserved for a request that sets no max_tokens */
export const DEFAULT_OUTPUT_RESERVATION = 1024;
/** most output reserved up front, whatever max_tokens says */
export const MAX_OUTPUT_RESERVATION = 4096;

export interface LimitTicket {
  keyId: string;
  tpm: TokenReservation | null;
  budget: BudgetPeriod | null;
}

/** True when the principal has any limit to enforce (the common unlimited key costs nothing). */
export function hasLimits(p: Principal): boolean {
  return p.keyId !== null && (p.rpmLimit !== null || p.tpmLimit !== null || p.budgetUsd !== null);
}

/** The tokens a call reserves against a TPM limit. */
export function tpmReservation(body: unknown, limit: number): number {
  const out = Math.min(requestedMaxOutput(body) ?? DEFAULT_OUTPUT_RESERVATION, MAX_OUTPUT_RESERVATION);
  return Math.max(1, Math.min(limit, estimateInputTokens(body) + out));
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
const usd = (v: number): string => `$${v.toFixed(v < 1 ? 4 : 2)}`;

function periodText(p: BudgetPeriod): string {
  return p === 'total' ? 'total' : p === 'day' ? 'daily (UTC day)' : 'monthly (UTC month)';
}

export class UsageLimiter {
  readonly spend: SpendCounter;
  readonly tokens: TokenWindow;
  private lastWarn = 0;

  constructor(
    private readonly shared: SharedState,
    source: SpendSource,
    private readonly logger: Logger,
  ) {
    this.spend = new SpendCounter(shared, source);
    this.tokens = new TokenWindow(shared, 'lim:tpm:');
  }

  /** Admit a call or throw the 402 / 429 for the client. */
  async admit(p: Principal, body: unknown): Promise<LimitTicket | null> {
    const keyId = p.keyId;
    if (keyId === null) return null;
    const ticket: LimitTicket = { keyId, tpm: null, budget: null };
    try {
      if (p.budgetUsd !== null) {
        const period = p.budgetPeriod ?? 'total';
        const spent = await this.spend.spent(keyId, period);
        if (spent >= p.budgetUsd) {
          throw new GatewayError(
            402,
            'permission',
            `This API key has used its ${periodText(period)} budget of ${usd(p.budgetUsd)} (spent ${usd(spent)}). ` +
              (period === 'total' ? 'Ask an administrator to raise the budget.' : 'It resets with the next period, or ask an administrator to raise it.'),
            { code: 'budget_exceeded' },
          );
        }
        ticket.budget = period;
      }
      if (p.rpmLimit !== null) {
        const r = await this.shared.rateLimit(`lim:rpm:${keyId}`, p.rpmLimit, MINUTE_MS, 1);
        if (!r.allowed) {
          const s = seconds(r.retryAfterMs);
          throw new GatewayError(429, 'rate_limit', `This API key is limited to ${p.rpmLimit} requests per minute; retry in ${s} s.`, {
            code: 'rate_limit_exceeded',
            headers: { 'retry-after': String(s) },
          });
        }
      }
      if (p.tpmLimit !== null) {
        const need = tpmReservation(body, p.tpmLimit);
        const r = await this.tokens.reserve(keyId, p.tpmLimit, need);
        if (!r.ok) {
          const s = seconds(r.retryAfterMs);
          throw new GatewayError(
            429,
            'rate_limit',
            `This API key is limited to ${p.tpmLimit} tokens per minute and this request needs about ${need} ` +
              `(its input plus max_tokens); retry in ${s} s.`,
            { code: 'tokens_rate_limit_exceeded', headers: { 'retry-after': String(s) } },
          );
        }
        ticket.tpm = r.reservation;
      }
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      this.warn(err, 'checking limits failed; the call goes through unchecked');
    }
    return ticket;
  }

  /** After the call: correct the token reservation and add the cost to the budget period. */
  async settle(ticket: LimitTicket, usage: Usage, costUsd: number | null): Promise<void> {
    try {
      const work: Array<Promise<unknown>> = [];
      if (ticket.tpm) work.push(this.tokens.settle(ticket.keyId, ticket.tpm, totalTokens(usage)));
      if (ticket.budget && costUsd !== null && costUsd > 0) work.push(this.spend.add(ticket.keyId, ticket.budget, costUsd));
      await Promise.all(work);
    } catch (err) {
      this.warn(err, 'settling limits failed; this call is not counted');
    }
  }

  private warn(err: unknown, msg: string): void {
    const t = Date.now();
    if (t - this.lastWarn < 10_000) return;
    this.lastWarn = t;
    this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, msg);
  }
}
