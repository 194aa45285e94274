/**
 * The console's pure parts: both dictionaries complete and with the same placeholders, the
 * language chosen at first, chart axes, the last-hour buckets built from the request log, and
 * the SSE reader of the playground.
 */
import { describe, expect, it } from 'vitest';
import { takeSseData } from '../../ui/src/api/chat-stream.js';
import type { RequestLog } from '../../ui/src/api/types.js';
import { labelIndices, monotonePath, niceTicks } from '../../ui/src/charts/scale.js';
import { en } from '../../ui/src/i18n/en.js';
import { zh } from '../../ui/src/i18n/zh.js';
import { bucketLogs, quantile, weightedLatency } from '../../ui/src/lib/series.js';
import { parseHeaders, slugify, splitList } from '../../ui/src/lib/presets.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('translate every English text into Chinese, keeping the placeholders', () => {
    const keys = Object.keys(en) as Array<keyof typeof en>;
    expect(Object.keys(zh).sort()).toEqual([...keys].sort());
    for (const k of keys) {
      expect(zh[k].trim(), k).not.toBe('');
      expect(placeholders(zh[k]), k).toEqual(placeholders(en[k]));
    }
  });

  it('have Chinese text in the Chinese dictionary', () => {
    const han = /[\u4e00-\u9fff]/;
    const translated = (Object.keys(zh) as Array<keyof typeof zh>).filter((k) => han.test(zh[k]));
    // brand names and codes (OpenAI, ADMIN_API_KEY, p95 …) may stay as they are; the rest is Chinese
    expect(translated.length / Object.keys(zh).length).toBeGreaterThan(0.9);
  });
});

describe('chart axes', () => {
  it('round the top of the axis up to a readable step', () => {
    expect(niceTicks(37)).toEqual({ ticks: [0, 10, 20, 30, 40], top: 40 });
    expect(niceTicks(0.063, 4)).toEqual({ ticks: [0, 0.02, 0.04, 0.06, 0.08], top: 0.08 });
    expect(niceTicks(2, 4, 0, true)).toEqual({ ticks: [0, 1, 2], top: 2 });
  });

  it('label a long axis with a few evenly spaced points', () => {
    expect(labelIndices(25, 6)).toEqual([0, 5, 10, 15, 20, 24]);
    expect(labelIndices(3, 6)).toEqual([0, 1, 2]);
  });

  it('draw a smooth line that never dips below two equal points', () => {
    const d = monotonePath([
      { x: 0, y: 100 },
      { x: 10, y: 100 },
      { x: 20, y: 0 },
    ]);
    const ys = [...d.matchAll(/[ ,]([\d.-]+)(?= |C|$)/g)].map((m) => Number(m[1]));
    expect(Math.max(...ys)).toBeLessThanOrEqual(100);
  });
});

function log(ts: number, over: Partial<RequestLog> = {}): RequestLog {
  return {
    id: `req_${ts}`,
    ts: new Date(ts).toISOString(),
    api_key_id: 'k',
    user_id: 'u',
    route: '/v1/chat/completions',
    model: 'chat',
    provider_id: 'openai',
    upstream_model: 'gpt-4o',
    status: 200,
    latency_ms: 100,
    ttfb_ms: 40,
    stream: true,
    partial: false,
    estimated: false,
    attempts: 1,
    usage: { input_tokens: 10, cache_read_tokens: 0, cache_write_tokens: 0, output_tokens: 5, reasoning_tokens: 0 },
    cost_usd: 0.001,
    error: null,
    session_id: null,
    client_ip: null,
    ...over,
  };
}

describe('last-hour buckets from the request log', () => {
  const step = 5 * 60_000;
  const from = Date.UTC(2025, 0, 1, 12, 0);
  const to = from + 3_600_000;

  it('count requests, errors, tokens and cost per five minutes, per provider', () => {
    const rows = [
      log(from + 1_000),
      log(from + 2_000, { provider_id: 'claude', latency_ms: 300 }),
      log(from + step + 1, { status: 502, provider_id: null, cost_usd: null }),
    ];
    const ts = bucketLogs(rows, from, to, step, 'provider');
    expect(ts.series.map((s) => s.group).sort()).toEqual(['claude', 'openai', null].sort());
    const openai = ts.series.find((s) => s.group === 'openai')!.points;
    expect(openai).toHaveLength(13);
    expect(openai[0]).toMatchObject({ requests: 1, errors: 0, input_tokens: 10, output_tokens: 5, total_tokens: 15, cost_usd: 0.001 });
    const failed = ts.series.find((s) => s.group === null)!.points[1]!;
    expect(failed).toMatchObject({ requests: 1, errors: 1, latency_p50_ms: null });
  });

  it('take percentiles of successful answers only', () => {
    const rows = [100, 200, 300, 400, 5000].map((l, i) => log(from + i, { latency_ms: l, status: l === 5000 ? 500 : 200 }));
    const p = bucketLogs(rows, from, to, step, null).series[0]!.points[0]!;
    expect(p.latency_p50_ms).toBe(200);
    expect(p.latency_p95_ms).toBe(400);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
  });

  it('weigh per-point latencies by their successful requests', () => {
    const pts = bucketLogs([log(from, { latency_ms: 100 }), log(from + step, { latency_ms: 400 }), log(from + step + 1, { latency_ms: 400 })], from, to, step, null).series[0]!.points;
    expect(weightedLatency(pts, (p) => p.latency_avg_ms)).toEqual({ value: 300, exact: false });
  });
});

describe('playground stream reader', () => {
  it('splits server-sent events, keeping an unfinished frame for later', () => {
    const out: string[] = [];
    const rest = takeSseData('data: {"a":1}\r\n\r\ndata: [DONE]\n\ndata: {"b"', out);
    expect(out).toEqual(['{"a":1}', '[DONE]']);
    expect(rest).toBe('data: {"b"');
  });
});

describe('provider form helpers', () => {
  it('derive an id from a name, read lists and headers', () => {
    expect(slugify('My Provider (EU) 2')).toBe('my-provider-eu-2');
    expect(splitList('a, b\nc,,a')).toEqual(['a', 'b', 'c']);
    expect(parseHeaders('X-Org: acme\n\nX-Team:  core ')).toEqual({ 'X-Org': 'acme', 'X-Team': 'core' });
    expect(parseHeaders('no colon here')).toBeNull();
  });
});
