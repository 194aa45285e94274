/**
 * A small fixed latency histogram for the usage rollups: 10 buckets whose upper bounds are below
 * (the last one is open). Percentiles are estimated by linear interpolation inside the bucket
 * that holds the wanted rank, so they are as good as the bucket widths (a p95 in the
 * 2.5 s–5 s bucket is known to within that range).
 */

/** Upper bounds (exclusive) of buckets 0..8, in ms; bucket 9 holds everything from 60 s up. */
export const LATENCY_BUCKETS_MS: readonly number[] = [100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000];

/** Number of buckets (the usage_rollups table has lat_h0..lat_h9). */
export const HISTOGRAM_SIZE = LATENCY_BUCKETS_MS.length + 1;

export function latencyBucket(ms: number): number {
  for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) if (ms < LATENCY_BUCKETS_MS[i]!) return i;
  return LATENCY_BUCKETS_MS.length;
}

/**
 * The latency at quantile `q` (0..1) estimated from bucket counts; null when empty. Inside the
 * open last bucket the estimate is its lower bound (60 s): "at least".
 */
export function estimateQuantile(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (c > 0 && seen + c >= rank) {
      const lo = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1]!;
      if (i >= LATENCY_BUCKETS_MS.length) return lo;
      const hi = LATENCY_BUCKETS_MS[i]!;
      return Math.round(lo + ((rank - seen) / c) * (hi - lo));
    }
    seen += c;
  }
  return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]!;
}
