/**
 * A broken provider is avoided and then recovers without an operator: its breaker opens on the
 * error ratio (clients see no error, the other provider answers), turns half-open after the
 * cool-down, and closes when a trial succeeds. The health and metrics routes and /metrics show
 * it; a probe revives a key the provider had refused.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { ADMIN_KEY, admin, ask, until } from '../routing/gateway-helpers.js';

const CLIENT_KEY = 'client-key-for-breaker-01';
let a: Emulator;
let b: Emulator;
let gw: TestGateway;
let client: OpenAI;

interface UpstreamFigures {
  model: string;
  samples: number;
  errors: number;
  breaker: { state: string; cooldown_ms: number };
}
interface ProviderMetrics {
  upstreams: UpstreamFigures[];
  keys: Array<{ label: string; state: string }>;
}

async function breakerOf(provider: string): Promise<string> {
  const r = await admin<ProviderMetrics>(gw.url, 'GET', `/providers/${provider}/metrics`);
  return r.json.upstreams.find((u) => u.model === 'm1')?.breaker.state ?? 'unknown';
}

beforeAll(async () => {
  a = await startEmulator({ keys: ['key-a', 'key-a2'], models: { openai: ['*'] } });
  b = await startEmulator({ keys: ['key-b', 'key-p'], models: { openai: ['*'] } });
  gw = await startGateway({
    env: {
      ADMIN_API_KEY: ADMIN_KEY,
      ROUTING_BREAKER_MIN_SAMPLES: '4',
      ROUTING_BREAKER_ERROR_RATIO: '0.5',
      ROUTING_BREAKER_COOLDOWN_MS: '1500',
      ROUTING_STATE_REFRESH_MS: '50',
      // keep the key's own back-off out of the way: this is about the breaker
      KEY_BACKOFF_AFTER_FAILURES: '1000',
    },
    config: `
providers:
  - {id: pa, kind: openai-compatible, base_url: "${a.url}/v1", api_keys: [key-a], models: [m1]}
  - {id: pb, kind: openai-compatible, base_url: "${b.url}/v1", api_keys: [key-b], models: [m1]}
  - {id: pk, kind: openai-compatible, base_url: "${a.url}/v1", api_keys: [{key: key-a2, label: second}], models: [m1]}
  - {id: pp, kind: openai-compatible, base_url: "${b.url}/v1", api_keys: [key-p], models: [m1], probe: {enabled: true, model: m1}}
logical_models:
  - id: pair
    upstreams:
      - {provider: pa, model: m1}
      - {provider: pb, model: m1}
api_keys:
  - {name: ci, key: ${CLIENT_KEY}}
`,
  });
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await a?.close();
  await b?.close();
});

describe('circuit breaker', () => {
  it('opens on a failing provider, keeps traffic away, half-opens after the cool-down and closes when it heals', async () => {
    const broken = a.fault({ key: 'key-a', status: 503, message: 'down for maintenance' });

    // 1. traffic until the breaker opens; no client sees an error
    let i = 0;
    await until('the breaker to open', async () => {
      const r = await ask(client, 'pair', `q${i}`, i % 2 === 0);
      expect(r.text).toBe(`Echo: q${i}`);
      expect(r.provider).toBe('pb');
      i++;
      return (await breakerOf('pa')) === 'open' ? true : undefined;
    }, 100, 0);
    const failuresAtOpen = a.received.filter((r) => r.key === 'key-a').length;
    expect(failuresAtOpen).toBeGreaterThanOrEqual(4);

    // 2. while open, requests do not go to it (checked only while the cool-down surely lasts)
    for (let k = 0; k < 5; k++) {
      const before = a.received.filter((r) => r.key === 'key-a').length;
      const stateBefore = await breakerOf('pa');
      const r = await ask(client, 'pair', `open ${k}`, k % 2 === 0);
      const stateAfter = await breakerOf('pa');
      expect(r.provider).toBe('pb');
      if (stateBefore === 'open' && stateAfter === 'open') expect(a.received.filter((x) => x.key === 'key-a').length).toBe(before);
    }
    const prom = await (await fetch(`${gw.url}/metrics`)).text();
    expect(prom).toMatch(/apiproxy_circuit_breaker_state\{provider="pa",model="m1"\} [12]/);
    expect(prom).not.toContain('key-a');

    // 3. after the cool-down: half-open
    await until('half-open', async () => ((await breakerOf('pa')) === 'half_open' ? true : undefined));

    // 4. the provider heals; a trial goes through and closes the breaker
    broken.cancel();
    await until('a trial to reach the healed provider', async () => {
      await ask(client, 'pair', 'heal', false);
      return (await breakerOf('pa')) === 'closed' ? true : undefined;
    });
    const served = new Set<string>();
    for (let k = 0; k < 30; k++) served.add((await ask(client, 'pair', `after ${k}`, false)).provider ?? '');
    expect(served.has('pa')).toBe(true);
  });

  it('a failed trial reopens the breaker with a longer cool-down', async () => {
    const broken = a.fault({ key: 'key-a', status: 500 });
    try {
      let i = 0;
      await until('the breaker to open again', async () => {
        await ask(client, 'pair', `again ${i++}`, false);
        return (await breakerOf('pa')) === 'open' ? true : undefined;
      }, 100, 0);
      await until('half-open', async () => ((await breakerOf('pa')) === 'half_open' ? true : undefined));
      await until('the trial to fail', async () => {
        const r = await ask(client, 'pair', 'trial', false);
        expect(r.text).toBe('Echo: trial');
        const m = await admin<ProviderMetrics>(gw.url, 'GET', '/providers/pa/metrics');
        const u = m.json.upstreams.find((x) => x.model === 'm1')!;
        return u.breaker.state === 'open' && u.breaker.cooldown_ms === 3000 ? true : undefined;
      });
    } finally {
      broken.cancel();
    }
  });
});

describe('provider health', () => {
  it('GET /providers/{id}/health runs a live probe and stores the result', async () => {
    const up = await admin<{ status: string; method: string; http_status: number; checked_at: string }>(gw.url, 'GET', '/providers/pb/health');
    expect(up.status).toBe(200);
    expect(up.json).toMatchObject({ status: 'up', method: 'models', http_status: 200 });
    const probeCalls = b.received.filter((r) => r.method === 'GET' && r.path === '/v1/models');
    expect(probeCalls.length).toBeGreaterThan(0);

    const m = await admin<{ last_probe: { ok: boolean } | null }>(gw.url, 'GET', '/providers/pb/metrics');
    expect(m.json.last_probe?.ok).toBe(true);

    b.fault({ status: 503, times: 1 });
    const down = await admin<{ status: string; error: string }>(gw.url, 'GET', '/providers/pb/health');
    expect(down.json.status).toBe('down');
    expect(down.json.error).toContain('503');

    expect((await admin(gw.url, 'GET', '/providers/nope/health')).status).toBe(404);
  });

  it('a key the provider refused (401) is marked dead, and a successful probe revives it', async () => {
    a.fault({ key: 'key-a2', status: 401, message: 'Incorrect API key provided', times: 1 });
    const err = await ask(client, 'pk/m1', 'refused', false).catch((e: unknown) => e);
    // the only key of the only candidate was refused: the client is told, without the key
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as Error).message).not.toContain('key-a2');

    const dead = await until('the key to show dead', async () => {
      const m = await admin<ProviderMetrics>(gw.url, 'GET', '/providers/pk/metrics');
      return m.json.keys[0]?.state === 'dead' ? m.json.keys[0] : undefined;
    });
    expect(dead.label).toBe('second');
    const row = (await gw.gw.store.providers.listKeys('pk'))[0]!;
    expect(row.status).toBe('dead');

    const probe = await admin<{ status: string; keys: Array<{ revived: boolean }> }>(gw.url, 'GET', '/providers/pk/health');
    expect(probe.json.keys.some((k) => k.revived)).toBe(true);
    expect((await gw.gw.store.providers.listKeys('pk'))[0]!.status).toBe('active');
    await until('the catalog to reload', async () => {
      const r = await ask(client, 'pk/m1', 'back again', false).catch(() => undefined);
      return r?.text === 'Echo: back again' ? true : undefined;
    });
  });

  it('probes providers with probes enabled in the background (a one-token completion with a probe model)', async () => {
    const probe = await until('a background probe', async () => {
      const m = await admin<{ last_probe: { ok: boolean; method: string; model: string } | null }>(gw.url, 'GET', '/providers/pp/metrics');
      return m.json.last_probe ?? undefined;
    });
    expect(probe).toMatchObject({ ok: true, method: 'completion', model: 'm1' });
    const sent = b.received.find((r) => r.key === 'key-p' && r.path === '/v1/chat/completions');
    expect(sent?.body).toMatchObject({ model: 'm1', max_tokens: 1 });
  });
});
