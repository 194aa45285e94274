/**
 * Circuit breakers per upstream (provider + model), shared by every instance:
 * - closed: traffic flows; after each failure the error ratio since the breaker last closed is
 *   checked over the rolling window, and the breaker opens once the window holds at least
 *   `minSamples` outcomes and `errorRatio` of them failed;
 * - open: the planner puts the upstream behind every other candidate (it is still tried when
 *   nothing else is left: a breaker never makes a request fail that could have been served);
 * - half-open: once the cool-down has passed, one request at a time (a trial, claimed through
 *   SharedState) goes to the upstream in its normal place. Success closes the breaker and
 *   starts a fresh window; failure opens it again with the cool-down doubled, up to a cap.
 * A successful background probe moves an open breaker to half-open at once. Nothing is ever
 * shut out for good: every open breaker turns half-open after its cool-down.
 *
 * State lives in SharedState under `rt:brk:<upstream>` (JSON); the request path reads the local
 * copy LiveSync refreshes, transitions are written at once (fire-and-forget).
 */
import type { SharedState } from '../store/shared/shared-state.js';
import type { BucketMark, HealthBook } from './health.js';
import type { LiveSource } from './live-sync.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  errorRatio: number;
  minSamples: number;
  cooldownMs: number;
  maxCooldownMs: number;
  /** how long shared records outlive their last change (the health window is enough) */
  windowMs: number;
}

interface BreakerRecord {
  state: 'open' | 'closed';
  /** when it last opened or closed (epoch ms) */
  since: number;
  /** open: when a trial may start */
  until: number;
  cooldownMs: number;
  /** how many times it opened in a row without closing */
  trips: number;
  /** closed: the health counts at the close; the error ratio counts what came after */
  mark?: BucketMark;
}

export interface BreakerView {
  state: BreakerState;
  since: number;
  /** open / half-open: when the cool-down ends (ended) */
  until: number | null;
  cooldownMs: number;
  trips: number;
}

export type BreakerChange = (upstream: string, view: BreakerView, reason: string) => void;

interface Slot {
  rec: BreakerRecord | null;
  /** local change time; a read that began before it is ignored for this upstream */
  changedAt: number;
}

function parse(text: string | null): BreakerRecord | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<BreakerRecord>;
    if ((v.state === 'open' || v.state === 'closed') && typeof v.since === 'number') {
      const m = v.mark;
      return {
        state: v.state,
        since: v.since,
        until: typeof v.until === 'number' ? v.until : 0,
        cooldownMs: typeof v.cooldownMs === 'number' ? v.cooldownMs : 0,
        trips: typeof v.trips === 'number' ? v.trips : 0,
        ...(m && typeof m.bucket === 'number' && typeof m.ok === 'number' && typeof m.err === 'number' ? { mark: { bucket: m.bucket, ok: m.ok, err: m.err } } : {}),
      };
    }
  } catch {
    // a damaged record counts as closed
  }
  return null;
}

export class Breakers implements LiveSource {
  private readonly slots = new Map<string, Slot>();
  private readStartedAt = 0;
  private lastRead: string[] = [];

  constructor(
    private readonly shared: SharedState,
    private readonly health: HealthBook,
    private readonly opts: BreakerOptions,
    private readonly onChange: BreakerChange = () => undefined,
    private readonly clock: () => number = Date.now,
  ) {}

  private slot(id: string): Slot {
    let s = this.slots.get(id);
    if (!s) {
      s = { rec: null, changedAt: 0 };
      this.slots.set(id, s);
    }
    return s;
  }

  watch(id: string): void {
    this.slot(id);
  }

  view(id: string): BreakerView {
    const rec = this.slots.get(id)?.rec ?? null;
    if (!rec || rec.state === 'closed') {
      return { state: 'closed', since: rec?.since ?? 0, until: null, cooldownMs: this.opts.cooldownMs, trips: 0 };
    }
    return {
      state: this.clock() >= rec.until ? 'half_open' : 'open',
      since: rec.since,
      until: rec.until,
      cooldownMs: rec.cooldownMs,
      trips: rec.trips,
    };
  }


  private write(id: string, rec: BreakerRecord, reason: string): void {
    const s = this.slot(id);
    s.rec = rec;
    s.changedAt = this.clock();
    const ttl = rec.state === 'open' ? rec.until - this.clock() + 86_400_000 : 2 * this.opts.windowMs;
    void this.shared.set(`rt:brk:${id}`, JSON.stringify(rec), Math.max(1000, ttl)).catch(() => undefined);
    this.onChange(id, this.view(id), reason);
  }

  private closedRecord(id: string): BreakerRecord {
    const now = this.clock();
    return { state: 'closed', since: now, until: 0, cooldownMs: this.opts.cooldownMs, trips: 0, mark: this.health.bucketCounts(id, this.health.bucketOf(now)) };
  }

  /** An attempt on this upstream got an answer (any answer that is not the upstream's fault). */
  onSuccess(id: string): void {
    const rec = this.slots.get(id)?.rec;
    if (!rec || rec.state === 'closed') return;
    this.write(id, this.closedRecord(id), 'a request succeeded');
  }

  /** An attempt on this upstream failed (record it in the HealthBook first). */
  onFailure(id: string): void {
    const now = this.clock();
    const rec = this.slots.get(id)?.rec ?? null;
    if (rec && rec.state === 'open') {
      if (now < rec.until) return; // still cooling down; a last-resort attempt failed
      const cooldownMs = Math.min(rec.cooldownMs * 2, this.opts.maxCooldownMs);
      this.write(id, { state: 'open', since: now, until: now + cooldownMs, cooldownMs, trips: rec.trips + 1 }, 'the half-open trial failed');
      return;
    }
    const f = this.health.figures(id, rec?.mark);
    if (f.samples >= this.opts.minSamples && f.errorRatio >= this.opts.errorRatio) {
      const cooldownMs = this.opts.cooldownMs;
      this.write(
        id,
        { state: 'open', since: now, until: now + cooldownMs, cooldownMs, trips: 1 },
        `error ratio ${f.errorRatio.toFixed(2)} over ${f.samples} requests`,
      );
    }
  }

  /** Claim the one trial of a half-open upstream (true: this request may try it). */
  async claimTrial(id: string, ttlMs: number): Promise<boolean> {
    const rec = this.slots.get(id)?.rec;
    if (!rec) return true;
    try {
      return await this.shared.setIfAbsent(`rt:brk:${id}:trial:${rec.since}`, '1', Math.max(1000, ttlMs));
    } catch {
      return true;
    }
  }

  /** A probe found the provider answering: an open breaker may try traffic now. */
  halfOpenNow(id: string, reason: string): void {
    const rec = this.slots.get(id)?.rec;
    if (!rec || rec.state !== 'open' || rec.until <= this.clock()) return;
    this.write(id, { ...rec, until: this.clock() }, reason);
  }

  /** Close (an operator or a successful completion probe). */
  close(id: string, reason: string): void {
    const rec = this.slots.get(id)?.rec;
    if (!rec || rec.state === 'closed') return;
    this.write(id, this.closedRecord(id), reason);
  }

  /** Upstreams whose breaker state is known here. */
  known(): string[] {
    return [...this.slots.keys()];
  }

  keys(now: number): string[] {
    this.readStartedAt = now;
    this.lastRead = [...this.slots.keys()];
    return this.lastRead.map((id) => `rt:brk:${id}`);
  }

  accept(_keys: readonly string[], values: ReadonlyArray<string | null>): void {
    this.lastRead.forEach((id, i) => {
      const s = this.slots.get(id);
      if (!s || s.changedAt >= this.readStartedAt) return;
      const next = parse(values[i] ?? null);
      const before = this.view(id).state;
      s.rec = next;
      const after = this.view(id);
      if (after.state !== before && !(before === 'open' && after.state === 'half_open')) this.onChange(id, after, 'changed by another instance');
    });
  }
}
