/**
 * Usage figures for the overview charts. The server keeps hourly rollups (/usage/timeseries); for
 * the last hour that is one or two points, so the overview buckets the request log itself into
 * five-minute steps when the hour holds few enough requests to read them all.
 */
import type { RequestLog, Timeseries, TimeseriesPoint, UsageSums } from '../api/types.js';

export const FIVE_MIN = 5 * 60_000;

export function emptySums(): UsageSums {
  return {
    requests: 0,
    errors: 0,
    partial: 0,
    estimated: 0,
    input_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: 0,
    reasoning_tokens: 0,
    total_tokens: 0,
    cost_usd: 0,
  };
}

const SUM_KEYS = Object.keys(emptySums()) as Array<keyof UsageSums>;

export function addInto(into: UsageSums, p: UsageSums): void {
  for (const k of SUM_KEYS) into[k] += p[k];
}

/** The value at quantile q of sorted numbers (nearest rank). */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

/** The logs' answers, bucketed like /usage/timeseries (one series, or one per provider/model). */
export function bucketLogs(rows: RequestLog[], from: number, to: number, stepMs: number, group: 'provider' | 'model' | null): Timeseries {
  const first = Math.floor(from / stepMs) * stepMs;
  const last = Math.floor(to / stepMs) * stepMs;
  const steps = Math.floor((last - first) / stepMs) + 1;
  interface Acc {
    sums: UsageSums;
    lat: number[];
    ttfb: number[];
  }
  const groups = new Map<string | null, Acc[]>();
  const accFor = (g: string | null): Acc[] => {
    let a = groups.get(g);
    if (!a) {
      a = Array.from({ length: steps }, () => ({ sums: emptySums(), lat: [], ttfb: [] }));
      groups.set(g, a);
    }
    return a;
  };
  for (const r of rows) {
    const ts = Date.parse(r.ts);
    if (!(ts >= first && ts < last + stepMs)) continue;
    const g = group === 'provider' ? r.provider_id : group === 'model' ? r.model : null;
    const acc = accFor(g)[Math.floor((ts - first) / stepMs)]!;
    const s = acc.sums;
    s.requests++;
    if (r.status >= 400) s.errors++;
    if (r.partial) s.partial++;
    if (r.estimated) s.estimated++;
    s.input_tokens += r.usage.input_tokens;
    s.cache_read_tokens += r.usage.cache_read_tokens;
    s.cache_write_tokens += r.usage.cache_write_tokens;
    s.output_tokens += r.usage.output_tokens;
    s.reasoning_tokens += r.usage.reasoning_tokens;
    s.total_tokens += r.usage.input_tokens + r.usage.cache_read_tokens + r.usage.cache_write_tokens + r.usage.output_tokens + r.usage.reasoning_tokens;
    s.cost_usd += r.cost_usd ?? 0;
    if (r.status < 400) acc.lat.push(r.latency_ms);
    if (r.ttfb_ms !== null && r.status < 400) acc.ttfb.push(r.ttfb_ms);
  }
  if (groups.size === 0) accFor(null);
  const series = [...groups.entries()].map(([g, accs]) => ({
    group: g,
    points: accs.map((a, i): TimeseriesPoint => {
      const lat = a.lat.slice().sort((x, y) => x - y);
      return {
        t: new Date(first + i * stepMs).toISOString(),
        ...a.sums,
        latency_avg_ms: lat.length ? Math.round(lat.reduce((x, y) => x + y, 0) / lat.length) : null,
        latency_p50_ms: quantile(lat, 0.5),
        latency_p95_ms: quantile(lat, 0.95),
        ttfb_avg_ms: a.ttfb.length ? Math.round(a.ttfb.reduce((x, y) => x + y, 0) / a.ttfb.length) : null,
      };
    }),
  }));
  return { range: 'hour', step: `${stepMs / 60_000}m`, from: new Date(first).toISOString(), to: new Date(to).toISOString(), group, series };
}

/** Sums of every point of every series (the figures of the whole range). */
export function totalsOf(ts: Timeseries | undefined): UsageSums {
  const s = emptySums();
  for (const se of ts?.series ?? []) for (const p of se.points) addInto(s, p);
  return s;
}

/** One point per step across the series (series of a grouped answer added up). */
export function combined(ts: Timeseries | undefined): TimeseriesPoint[] {
  if (!ts || ts.series.length === 0) return [];
  if (ts.series.length === 1) return ts.series[0]!.points;
  const base = ts.series[0]!.points.map((p) => ({ ...p }));
  for (const se of ts.series.slice(1)) {
    se.points.forEach((p, i) => {
      const b = base[i];
      if (b) addInto(b, p);
    });
  }
  return base;
}

/**
 * A figure for the whole range from per-point latencies: the request-weighted mean of the points
 * that had traffic. `exact` when only one point had traffic (then it is that point's own figure).
 */
export function weightedLatency(points: TimeseriesPoint[], pick: (p: TimeseriesPoint) => number | null): { value: number | null; exact: boolean } {
  let w = 0;
  let sum = 0;
  let used = 0;
  for (const p of points) {
    const v = pick(p);
    const n = p.requests - p.errors;
    if (v === null || n <= 0) continue;
    w += n;
    sum += v * n;
    used++;
  }
  return { value: w > 0 ? Math.round(sum / w) : null, exact: used <= 1 };
}

/** Exact percentiles of the successful answers in a list of log rows. */
export function logPercentiles(rows: RequestLog[]): { p50: number | null; p95: number | null; ttfb: number | null } {
  const ok = rows.filter((r) => r.status < 400);
  const lat = ok.map((r) => r.latency_ms).sort((a, b) => a - b);
  const tt = ok.map((r) => r.ttfb_ms).filter((v): v is number => v !== null);
  return { p50: quantile(lat, 0.5), p95: quantile(lat, 0.95), ttfb: tt.length ? Math.round(tt.reduce((a, b) => a + b, 0) / tt.length) : null };
}
