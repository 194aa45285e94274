/**
 * Live health per upstream (provider + model), shared by every instance through SharedState:
 * - a rolling error ratio: successes and failures counted in time buckets (6 per window, each
 *   a counter key with a TTL, `rt:h:<upstream>:<bucket>:ok|err`), summed over the window;
 * - two EWMAs of latency (`rt:h:<upstream>:lat` for whole non-stream answers, `:ttfb` for the
 *   time to the first content event of streams).
 * The request path reads the local picture (`figures()`, no I/O): the last shared values read
 * by LiveSync plus what this instance recorded and has not seen come back yet. Records are
 * gathered locally and written once per tick (one INCRBY per touched bucket, one EWMA update
 * per upstream with the batch's mean and the equivalent alpha).
 */
import type { SharedState } from '../store/shared/shared-state.js';
import type { LiveSource } from './live-sync.js';

/** An upstream's id in state keys and metrics: provider id (a slug, no "/") + "/" + model id. */
export function upstreamId(providerId: string, model: string): string {
  return `${providerId}/${model}`;
}

export interface HealthFigures {
  /** successes + failures in the window */
  samples: number;
  errors: number;
  /** errors / samples (0 without samples) */
  errorRatio: number;
  /** EWMA of whole non-stream answers, ms (null until measured) */
  latencyMs: number | null;
  /** EWMA of time to first content event of streams, ms (null until measured) */
  ttfbMs: number | null;
}

/** What one bucket held at a moment (the breaker counts from there after it closes). */
export interface BucketMark {
  bucket: number;
  ok: number;
  err: number;
}

export interface HealthOptions {
  windowMs: number;
  alpha: number;
}

export const BUCKETS = 6;
const LATENCY_TTL_MS = 3_600_000;
/** an upstream nobody asked about for this long is no longer refreshed */
const INTEREST_MS = 10 * 60_000;

interface Cell {
  ok: number;
  err: number;
}

interface Mean {
  sum: number;
  n: number;
}

interface Local {
  cells: Map<number, Cell>;
  lat: Mean;
  ttfb: Mean;
}

interface Entry {
  id: string;
  lastUsed: number;
  /** bucket index -> counts, as last read from SharedState */
  shared: Map<number, Cell>;
  sharedLat: number | null;
  sharedTtfb: number | null;
  /** recorded here, not yet written */
  pending: Local;
  /** written, not yet seen in a read */
  inflight: Local;
  /** figures() over the whole window, until the next record, read or bucket */
  memo: { bucket: number; figures: HealthFigures } | null;
}

const emptyLocal = (): Local => ({ cells: new Map(), lat: { sum: 0, n: 0 }, ttfb: { sum: 0, n: 0 } });

function applyMean(base: number | null, m: Mean, alpha: number): number | null {
  if (m.n === 0) return base;
  const mean = m.sum / m.n;
  if (base === null) return mean;
  const keep = (1 - alpha) ** m.n;
  return keep * base + (1 - keep) * mean;
}

export class HealthBook implements LiveSource {
  private readonly entries = new Map<string, Entry>();
  private lastRead: Array<{ id: string; first: number }> = [];
  readonly bucketMs: number;

  constructor(
    private readonly shared: SharedState,
    private readonly opts: HealthOptions,
    private readonly clock: () => number = Date.now,
  ) {
    this.bucketMs = Math.max(1, Math.floor(opts.windowMs / BUCKETS));
  }

  private entry(id: string): Entry {
    let e = this.entries.get(id);
    if (!e) {
      e = { id, lastUsed: this.clock(), shared: new Map(), sharedLat: null, sharedTtfb: null, pending: emptyLocal(), inflight: emptyLocal(), memo: null };
      this.entries.set(id, e);
    }
    return e;
  }

  /** Keep this upstream's figures fresh (the planner calls it for every candidate). */
  watch(id: string, now = this.clock()): void {
    this.entry(id).lastUsed = now;
  }

  /** Upstreams with figures here (for the metrics routes). */
  watched(): string[] {
    return [...this.entries.keys()];
  }

  /** A finished attempt. `latencyMs`: whole answer (non-stream); `ttfbMs`: first content (stream). */
  record(id: string, ok: boolean, sample: { latencyMs?: number; ttfbMs?: number } = {}): void {
    const e = this.entry(id);
    const now = this.clock();
    e.lastUsed = now;
    e.memo = null;
    const b = Math.floor(now / this.bucketMs);
    let cell = e.pending.cells.get(b);
    if (!cell) {
      cell = { ok: 0, err: 0 };
      e.pending.cells.set(b, cell);
    }
    if (ok) cell.ok++;
    else cell.err++;
    if (sample.latencyMs !== undefined) {
      e.pending.lat.sum += sample.latencyMs;
      e.pending.lat.n++;
    }
    if (sample.ttfbMs !== undefined) {
      e.pending.ttfb.sum += sample.ttfbMs;
      e.pending.ttfb.n++;
    }
  }

  /** Counts of one bucket (all that is known here): a baseline for `figures(id, since)`. */
  bucketCounts(id: string, bucket: number): BucketMark {
    const e = this.entries.get(id);
    let ok = 0;
    let err = 0;
    if (e) {
      for (const cells of [e.shared, e.inflight.cells, e.pending.cells]) {
        const c = cells.get(bucket);
        if (c) {
          ok += c.ok;
          err += c.err;
        }
      }
    }
    return { bucket, ok, err };
  }

  /** The bucket a time falls in. */
  bucketOf(ms: number): number {
    return Math.floor(ms / this.bucketMs);
  }

  /**
   * The figures over the window; with `since`, only what came after that mark (its bucket
   * counts less what it held at the mark, and the later buckets).
   */
  figures(id: string, since?: BucketMark): HealthFigures {
    const e = this.entries.get(id);
    if (!e) return { samples: 0, errors: 0, errorRatio: 0, latencyMs: null, ttfbMs: null };
    const now = this.clock();
    const current = Math.floor(now / this.bucketMs);
    if (!since && e.memo !== null && e.memo.bucket === current) return e.memo.figures;
    const first = Math.max(current - BUCKETS + 1, since ? since.bucket : -Infinity);
    let ok = 0;
    let err = 0;
    for (const cells of [e.shared, e.inflight.cells, e.pending.cells]) {
      for (const [b, c] of cells) {
        if (b < first || b > current) continue;
        ok += c.ok;
        err += c.err;
      }
    }
    if (since && since.bucket >= first) {
      ok = Math.max(0, ok - since.ok);
      err = Math.max(0, err - since.err);
    }
    const samples = ok + err;
    let lat = applyMean(e.sharedLat, e.inflight.lat, this.opts.alpha);
    lat = applyMean(lat, e.pending.lat, this.opts.alpha);
    let ttfb = applyMean(e.sharedTtfb, e.inflight.ttfb, this.opts.alpha);
    ttfb = applyMean(ttfb, e.pending.ttfb, this.opts.alpha);
    const figures: HealthFigures = { samples, errors: err, errorRatio: samples > 0 ? err / samples : 0, latencyMs: lat, ttfbMs: ttfb };
    if (!since) e.memo = { bucket: current, figures };
    return figures;
  }

  private key(id: string, suffix: string): string {
    return `rt:h:${id}:${suffix}`;
  }

  async flush(): Promise<unknown> {
    const ops: Array<Promise<unknown>> = [];
    const ttl = this.opts.windowMs + 2 * this.bucketMs;
    for (const e of this.entries.values()) {
      const p = e.pending;
      if (p.cells.size === 0 && p.lat.n === 0 && p.ttfb.n === 0) continue;
      for (const [b, c] of p.cells) {
        if (c.ok > 0) ops.push(this.shared.incr(this.key(e.id, `${b}:ok`), c.ok, ttl));
        if (c.err > 0) ops.push(this.shared.incr(this.key(e.id, `${b}:err`), c.err, ttl));
      }
      for (const [name, m] of [['lat', p.lat], ['ttfb', p.ttfb]] as const) {
        if (m.n === 0) continue;
        const alpha = 1 - (1 - this.opts.alpha) ** m.n;
        ops.push(this.shared.ewma(this.key(e.id, name), m.sum / m.n, Math.min(1, alpha), LATENCY_TTL_MS));
      }
      // move pending into inflight (kept until a read shows it)
      for (const [b, c] of p.cells) {
        const f = e.inflight.cells.get(b);
        if (f) {
          f.ok += c.ok;
          f.err += c.err;
        } else e.inflight.cells.set(b, c);
      }
      e.inflight.lat.sum += p.lat.sum;
      e.inflight.lat.n += p.lat.n;
      e.inflight.ttfb.sum += p.ttfb.sum;
      e.inflight.ttfb.n += p.ttfb.n;
      e.pending = emptyLocal();
    }
    const results = await Promise.allSettled(ops);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    return undefined;
  }

  keys(now: number): string[] {
    const out: string[] = [];
    const first = Math.floor(now / this.bucketMs) - BUCKETS + 1;
    this.lastRead = [];
    for (const [id, e] of this.entries) {
      if (now - e.lastUsed > INTEREST_MS && e.pending.cells.size === 0) {
        this.entries.delete(id);
        continue;
      }
      this.lastRead.push({ id, first });
      for (let b = first; b < first + BUCKETS; b++) out.push(this.key(id, `${b}:ok`), this.key(id, `${b}:err`));
      out.push(this.key(id, 'lat'), this.key(id, 'ttfb'));
    }
    return out;
  }

  accept(_keys: readonly string[], values: ReadonlyArray<string | null>): void {
    const num = (v: string | null | undefined): number | null => {
      if (v === null || v === undefined) return null;
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    };
    let i = 0;
    for (const { id, first } of this.lastRead) {
      const e = this.entries.get(id);
      if (e) {
        const shared = new Map<number, Cell>();
        for (let j = 0; j < BUCKETS; j++) {
          const ok = num(values[i + 2 * j]) ?? 0;
          const err = num(values[i + 2 * j + 1]) ?? 0;
          if (ok > 0 || err > 0) shared.set(first + j, { ok, err });
        }
        e.shared = shared;
        e.sharedLat = num(values[i + BUCKETS * 2]);
        e.sharedTtfb = num(values[i + BUCKETS * 2 + 1]);
        e.inflight = emptyLocal();
        e.memo = null;
      }
      i += BUCKETS * 2 + 2;
    }
  }
}
