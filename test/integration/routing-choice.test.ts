/**
 * Choosing an upstream: weights spread traffic in proportion, priority tiers come first, a pinned
 * `provider/model` goes where it says, and POST /routing/decide explains the choice.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { ADMIN_KEY, admin, ask, pool } from '../routing/gateway-helpers.js';

const CLIENT_KEY = 'client-key-for-choice-001';
let a: Emulator;
let b: Emulator;
let c: Emulator;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  a = await startEmulator({ keys: ['key-a'], models: { openai: ['*'] } });
  b = await startEmulator({ keys: ['key-b'], models: { openai: ['*'] } });
  c = await startEmulator({ keys: ['key-c'], models: { openai: ['*'] } });
  gw = await startGateway({
    env: { ADMIN_API_KEY: ADMIN_KEY },
    config: `
providers:
  - {id: pa, kind: openai-compatible, base_url: "${a.url}/v1", api_keys: [key-a], models: [m1, shared-name]}
  - {id: pb, kind: openai-compatible, base_url: "${b.url}/v1", api_keys: [key-b], models: [m1, shared-name]}
  - {id: pc, kind: openai-compatible, base_url: "${c.url}/v1", api_keys: [key-c], models: ["pa/special", m1], aliases: {nick: m1}}
logical_models:
  - id: weighted
    upstreams:
      - {provider: pa, model: m1, weight: 3}
      - {provider: pb, model: m1, weight: 1}
      - {provider: pc, model: m1, weight: 100, priority: 1}
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
  await c?.close();
});

beforeEach(() => {
  a.reset();
  b.reset();
  c.reset();
});

describe('weights and tiers', () => {
  it('spreads traffic in proportion to the weights within the first tier, and never to a lower tier while it serves', async () => {
    const n = 400;
    const answers = await pool(
      Array.from({ length: n }, (_, i) => i),
      10,
      (i) => ask(client, 'weighted', `w${i}`, i % 2 === 0),
    );
    const share = answers.filter((r) => r.provider === 'pa').length / n;
    // expected 0.75; the tolerance is about 3.7 standard deviations at n = 400
    expect(share).toBeGreaterThan(0.67);
    expect(share).toBeLessThan(0.83);
    expect(answers.filter((r) => r.provider === 'pc')).toHaveLength(0);
    expect(answers.every((r, i) => r.text === `Echo: w${i}`)).toBe(true);
    expect(a.received.length + b.received.length).toBe(n);
  });
});

describe('pinned provider/model', () => {
  it('goes to the named provider only', async () => {
    for (let i = 0; i < 6; i++) {
      const r = await ask(client, 'pb/m1', `pinned ${i}`, i % 2 === 1);
      expect(r.provider).toBe('pb');
    }
    expect(b.received).toHaveLength(6);
    expect(a.received).toHaveLength(0);
    expect(b.received.every((r) => r.model === 'm1')).toBe(true);
  });

  it("applies the provider's aliases", async () => {
    const r = await ask(client, 'pc/nick', 'alias', false);
    expect(r.provider).toBe('pc');
    expect(c.received[0]?.model).toBe('m1');
  });

  it('matches the whole name when the named provider does not serve the rest (a model id with a slash)', async () => {
    const r = await ask(client, 'pa/special', 'slash in the id', false);
    expect(r.provider).toBe('pc');
    expect(c.received[0]?.model).toBe('pa/special');
  });

  it('answers 404 naming the provider when nothing serves it', async () => {
    const err = await ask(client, 'pa/nothing-like-it', 'x', false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as Error).message).toContain("The provider 'pa' does not serve the model 'nothing-like-it'");
  });

  it('zero-config: a name several providers serve is spread over them', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) seen.add((await ask(client, 'shared-name', `z${i}`, false)).provider ?? '');
    expect([...seen].sort()).toEqual(['pa', 'pb']);
  });
});

describe('POST /routing/decide', () => {
  it('returns the selected upstream and every candidate with its score and figures', async () => {
    const r = await admin<{
      selected: { provider: string; model: string };
      resolved_via: string;
      formula: string;
      candidates: Array<{ provider: string; model: string; rank: number; group: string; priority: number; weight: number; health: number; speed: number; score: number; figures: Record<string, unknown>; breaker: { state: string } }>;
    }>(gw.url, 'POST', '/routing/decide', { model: 'weighted' });
    expect(r.status).toBe(200);
    expect(r.json.resolved_via).toBe('logical');
    expect(r.json.formula).toMatch(/score = weight × health × speed/);
    expect(r.json.candidates.map((x) => x.provider).sort()).toEqual(['pa', 'pb', 'pc']);
    expect(['pa', 'pb']).toContain(r.json.selected.provider);
    const pc = r.json.candidates.find((x) => x.provider === 'pc')!;
    expect(pc.rank).toBe(3);
    expect(pc.priority).toBe(1);
    for (const x of r.json.candidates) {
      expect(x.group).toBe('ready');
      expect(x.breaker.state).toBe('closed');
      expect(x.score).toBeCloseTo(x.weight * x.health * x.speed, 3);
      expect(x.figures).toHaveProperty('error_ratio');
    }
  });

  it('is for administrators only', async () => {
    const res = await fetch(`${gw.url}/routing/decide`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'weighted' }),
    });
    expect(res.status).toBe(401);
  });

  it('answers 404 for a model nothing serves', async () => {
    const r = await admin(gw.url, 'POST', '/routing/decide', { model: 'no-such-model' });
    expect(r.status).toBe(404);
  });
});
