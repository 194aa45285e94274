/**
 * The Prometheus exposition: the series a request adds, cumulative histogram buckets, escaped
 * label values, gauges read from live state at scrape time.
 */
import { describe, expect, it } from 'vitest';
import type { CallContext } from '../../src/routing/call.js';
import { Metrics } from '../../src/telemetry/metrics.js';

function call(extra: Partial<CallContext> = {}): CallContext {
  return {
    route: '/v1/chat/completions',
    providerId: 'pa',
    upstreamModel: 'gpt-4o',
    status: 200,
    error: null,
    t0: performance.now() - 700,
    ttfbMs: 120,
    attempts: [{ providerId: 'pa', model: 'gpt-4o', keyId: 'k', status: 200, error: null, ms: 1 }],
    usage: { input: 10, cacheRead: 4, cacheWrite: 0, output: 7, reasoning: 2 },
    ...extra,
  } as CallContext;
}

describe('Metrics', () => {
  it('counts requests, errors, tokens and attempts, with histograms in cumulative buckets', async () => {
    const m = new Metrics();
    m.observeCall(call());
    m.observeCall(call());
    m.observeCall(call({ status: 502, error: 'upstream failed', providerId: null, upstreamModel: null, ttfbMs: null, usage: { input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0 } }));
    m.attempt('pa', 'gpt-4o', 'ok');
    m.attempt('pa', 'gpt-4o', 'timeout');
    m.attempt('pa', 'gpt-4o', 'timeout');
    const text = await m.render();
    expect(text).toContain('apiproxy_requests_total{route="/v1/chat/completions",provider="pa",model="gpt-4o",status_class="2xx"} 2');
    expect(text).toContain('apiproxy_requests_total{route="/v1/chat/completions",provider="",model="",status_class="5xx"} 1');
    expect(text).toContain('apiproxy_request_errors_total{route="/v1/chat/completions",provider="",model="",status_class="5xx"} 1');
    expect(text).toContain('apiproxy_tokens_total{provider="pa",model="gpt-4o",kind="input"} 20');
    expect(text).toContain('apiproxy_tokens_total{provider="pa",model="gpt-4o",kind="cache_read"} 8');
    expect(text).toContain('apiproxy_tokens_total{provider="pa",model="gpt-4o",kind="reasoning"} 4');
    expect(text).not.toContain('kind="cache_write"');
    expect(text).toContain('apiproxy_upstream_attempts_total{provider="pa",model="gpt-4o",outcome="timeout"} 2');
    // 0.12 s falls in le=0.25 and every bucket above it
    expect(text).toContain('apiproxy_time_to_first_byte_seconds_bucket{route="/v1/chat/completions",provider="pa",model="gpt-4o",le="0.1"} 0');
    expect(text).toContain('apiproxy_time_to_first_byte_seconds_bucket{route="/v1/chat/completions",provider="pa",model="gpt-4o",le="0.25"} 2');
    expect(text).toContain('apiproxy_time_to_first_byte_seconds_bucket{route="/v1/chat/completions",provider="pa",model="gpt-4o",le="+Inf"} 2');
    expect(text).toContain('apiproxy_time_to_first_byte_seconds_count{route="/v1/chat/completions",provider="pa",model="gpt-4o"} 2');
    expect(text).toMatch(/# TYPE apiproxy_request_duration_seconds histogram/);
  });

  it('escapes label values', async () => {
    const m = new Metrics();
    m.observeCall(call({ upstreamModel: 'odd"model\\x' }));
    expect(await m.render()).toContain('model="odd\\"model\\\\x"');
  });

  it('reads breaker state and upstream figures at scrape time', async () => {
    const m = new Metrics(() => [{ provider: 'pa', model: 'm1', breaker: 2, errorRatio: 0.75, samples: 8, latencyMs: 1500, ttfbMs: null }]);
    const text = await m.render();
    expect(text).toContain('apiproxy_circuit_breaker_state{provider="pa",model="m1"} 2');
    expect(text).toContain('apiproxy_upstream_error_ratio{provider="pa",model="m1"} 0.75');
    expect(text).toContain('apiproxy_upstream_latency_ewma_seconds{provider="pa",model="m1",kind="total"} 1.5');
  });
});
