/**
 * Spend per client key and budget period, kept in SharedState (shared by every instance through
 * Redis) as a USD counter: `spend:<key id>:<period id>`. Periods are UTC: `total`, the calendar
 * day (`d2025-01-31`) or month (`m2025-01`). A counter that is missing (first use, a restart of a
 * single in-memory instance, an expired `total` counter) is recounted from the hourly usage
 * rollups, which outlive the request-log retention; the first instance to recount sets it
 * (set-if-absent), the others read it. Rows still waiting in another instance's log queue
 * (at most REQUEST_LOG_FLUSH_MS old) are not in a recount.
 */
import type { SharedState } from '../store/shared/shared-state.js';

export type BudgetPeriod = 'total' | 'day' | 'month';

export interface PeriodWindow {
  id: string;
  /** first millisecond of the period (0 for total) */
  start: number;
  /** first millisecond after it (null for total) */
  end: number | null;
}

const HOUR_MS = 3_600_000;
/** a `total` counter is recounted from the rollups once a day */
const TOTAL_COUNTER_TTL_MS = 24 * HOUR_MS;

const pad = (n: number): string => String(n).padStart(2, '0');

export function periodWindow(period: BudgetPeriod, now: number): PeriodWindow {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (period === 'day') {
    const start = Date.UTC(y, m, d.getUTCDate());
    return { id: `d${y}-${pad(m + 1)}-${pad(d.getUTCDate())}`, start, end: start + 24 * HOUR_MS };
  }
  if (period === 'month') {
    return { id: `m${y}-${pad(m + 1)}`, start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
  }
  return { id: 'total', start: 0, end: null };
}

export interface SpendSource {
  /** USD spent by the key since `from` (the rollups) */
  costSince(apiKeyId: string, from: number): Promise<number>;
}

export class SpendCounter {
  constructor(
    private readonly shared: SharedState,
    private readonly source: SpendSource,
    private readonly now: () => number = Date.now,
  ) {}

  private counter(keyId: string, w: PeriodWindow): { key: string; ttlMs: number } {
    const t = this.now();
    // the counter outlives its period by an hour, so late settlements still find it
    const ttlMs = w.end === null ? TOTAL_COUNTER_TTL_MS : Math.max(1000, w.end - t + HOUR_MS);
    return { key: `spend:${keyId}:${w.id}`, ttlMs };
  }

  /** USD spent by the key in the current period (recounted when the counter is missing). */
  async spent(keyId: string, period: BudgetPeriod): Promise<number> {
    const w = periodWindow(period, this.now());
    const c = this.counter(keyId, w);
    const v = await this.shared.get(c.key);
    if (v !== null) return Number(v) || 0;
    return this.recount(keyId, w, c);
  }

  private async recount(keyId: string, w: PeriodWindow, c: { key: string; ttlMs: number }): Promise<number> {
    const total = await this.source.costSince(keyId, w.start);
    if (await this.shared.setIfAbsent(c.key, String(total), c.ttlMs)) return total;
    const v = await this.shared.get(c.key);
    return v === null ? total : Number(v) || 0;
  }

  /** Add a call's cost to the key's current period. */
  async add(keyId: string, period: BudgetPeriod, usd: number): Promise<number> {
    if (!(usd > 0)) return this.spent(keyId, period);
    const w = periodWindow(period, this.now());
    const c = this.counter(keyId, w);
    // a missing counter is recounted first, or this add would start it from zero
    if ((await this.shared.get(c.key)) === null) await this.recount(keyId, w, c);
    return this.shared.incr(c.key, usd, c.ttlMs);
  }
}
