import { describe, expect, it } from 'vitest';
import type { NewRequestLogRow } from '../../src/store/db/schema.js';
import { estimateQuantile, latencyBucket } from '../../src/usage/latency-histogram.js';
import { rollupDeltas } from '../../src/usage/rollups.js';

const H = 3_600_000;

function row(over: Partial<NewRequestLogRow>): NewRequestLogRow {
  return {
    id: Math.random().toString(36),
    ts: 10 * H + 5,
    api_key_id: 'k1',
    user_id: 'u1',
    route: '/v1/chat/completions',
    model: 'm',
    provider_id: 'p',
    upstream_model: 'm',
    status: 200,
    latency_ms: 300,
    ttfb_ms: 100,
    input_tokens: 10,
    cache_read_tokens: 1,
    cache_write_tokens: 2,
    output_tokens: 5,
    reasoning_tokens: 3,
    cost_usd: 0.001,
    stream: 0,
    attempts: 1,
    partial: 0,
    error: null,
    session_id: null,
    client_ip: null,
    request_body: null,
    response_body: null,
    ...over,
  };
}

describe('rollupDeltas', () => {
  it('sums one hour x key x model x provider into one row', () => {
    const d = rollupDeltas([
      row({}),
      row({ ts: 10 * H + 3_000_000, status: 502, latency_ms: 1200, ttfb_ms: null, cost_usd: 0.002 }),
      row({ ts: 11 * H }),
      row({ provider_id: 'q' }),
      row({ status: 499, partial: 1, estimated: 1 }),
    ]);
    expect(d).toHaveLength(3);
    const main = d.find((x) => x.bucket_ts === 10 * H && x.provider_id === 'p')!;
    expect(main).toMatchObject({
      api_key_id: 'k1',
      user_id: 'u1',
      requests: 3,
      errors: 1, // 499 is the client leaving, not an error
      partial: 1,
      estimated: 1,
      input_tokens: 30,
      cache_read_tokens: 3,
      cache_write_tokens: 6,
      output_tokens: 15,
      reasoning_tokens: 9,
      cost_usd: 0.004,
      latency_sum_ms: 300 + 1200 + 300,
      latency_count: 3,
      ttfb_sum_ms: 200,
      ttfb_count: 2,
    });
    expect(main.lat_h2).toBe(2); // 250..500 ms
    expect(main.lat_h4).toBe(1); // 1000..2500 ms
  });

  it('keeps requests refused before routing (no key, no provider) apart, without latency', () => {
    const [d] = rollupDeltas([row({ api_key_id: null, user_id: null, model: null, provider_id: null, status: 401 })]);
    expect(d).toMatchObject({ api_key_id: '', user_id: '', model: '', provider_id: '', requests: 1, errors: 1, latency_count: 0 });
  });
});

describe('latency histogram', () => {
  it('puts latencies in their buckets and estimates quantiles inside them', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(99)).toBe(0);
    expect(latencyBucket(100)).toBe(1);
    expect(latencyBucket(120_000)).toBe(9);
    const counts = [0, 0, 10, 0, 0, 0, 0, 0, 0, 0]; // ten calls between 250 and 500 ms
    expect(estimateQuantile(counts, 0.5)).toBe(375);
    expect(estimateQuantile(counts, 1)).toBe(500);
    expect(estimateQuantile([0, 0, 0, 0, 0, 0, 0, 0, 0, 4], 0.5)).toBe(60_000);
    expect(estimateQuantile(new Array(10).fill(0), 0.5)).toBeNull();
  });
});
