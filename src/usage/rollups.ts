/**
 * Request-log rows -> hourly rollup additions (one per hour x key x model x provider), computed
 * in memory for a batch so the database sees one upsert per touched row.
 */
import type { NewRequestLogRow } from '../store/db/schema.js';
import type { RollupDelta } from '../store/db/repositories/usage-rollups.js';
import { latencyBucket } from './latency-histogram.js';

export const HOUR_MS = 3_600_000;

export const hourOf = (ts: number): number => Math.floor(ts / HOUR_MS) * HOUR_MS;

/** 499 (the client left) is not an error of the gateway or the provider. */
export const isErrorStatus = (status: number): boolean => status >= 400 && status !== 499;

function zero(bucket: number, row: NewRequestLogRow): RollupDelta {
  return {
    bucket_ts: bucket,
    api_key_id: row.api_key_id ?? '',
    model: row.model ?? '',
    provider_id: row.provider_id ?? '',
    user_id: row.user_id ?? '',
    requests: 0,
    errors: 0,
    partial: 0,
    estimated: 0,
    input_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: 0,
    reasoning_tokens: 0,
    cost_usd: 0,
    latency_sum_ms: 0,
    latency_count: 0,
    ttfb_sum_ms: 0,
    ttfb_count: 0,
    lat_h0: 0,
    lat_h1: 0,
    lat_h2: 0,
    lat_h3: 0,
    lat_h4: 0,
    lat_h5: 0,
    lat_h6: 0,
    lat_h7: 0,
    lat_h8: 0,
    lat_h9: 0,
  };
}

type HistogramColumn = `lat_h${0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}`;

export function rollupDeltas(rows: readonly NewRequestLogRow[]): RollupDelta[] {
  const byKey = new Map<string, RollupDelta>();
  for (const row of rows) {
    const bucket = hourOf(row.ts);
    const k = `${bucket}\u0000${row.api_key_id ?? ''}\u0000${row.model ?? ''}\u0000${row.provider_id ?? ''}`;
    let d = byKey.get(k);
    if (!d) {
      d = zero(bucket, row);
      byKey.set(k, d);
    }
    d.requests += 1;
    if (isErrorStatus(row.status)) d.errors += 1;
    if (row.partial === 1) d.partial += 1;
    if (row.estimated === 1) d.estimated += 1;
    d.input_tokens += row.input_tokens ?? 0;
    d.cache_read_tokens += row.cache_read_tokens ?? 0;
    d.cache_write_tokens += row.cache_write_tokens ?? 0;
    d.output_tokens += row.output_tokens ?? 0;
    d.reasoning_tokens += row.reasoning_tokens ?? 0;
    d.cost_usd += row.cost_usd ?? 0;
    // latency only of answered calls: refusals before routing would drag the charts to zero
    if (row.provider_id) {
      d.latency_sum_ms += row.latency_ms;
      d.latency_count += 1;
      const col: HistogramColumn = `lat_h${latencyBucket(row.latency_ms) as 0}`;
      d[col] += 1;
      if (row.ttfb_ms !== null && row.ttfb_ms !== undefined) {
        d.ttfb_sum_ms += row.ttfb_ms;
        d.ttfb_count += 1;
      }
    }
  }
  for (const d of byKey.values()) d.cost_usd = Math.round(d.cost_usd * 1e9) / 1e9;
  return [...byKey.values()];
}
