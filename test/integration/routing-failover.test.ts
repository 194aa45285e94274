/**
 * Failing over, through the OpenAI SDK (no retries of its own): 503, 429 with Retry-After, a
 * refused connection, a timeout and an in-band stream error before any content each move the
 * request to the next upstream without the client seeing anything; a 400 is the client's own
 * error and is not failed over. Every scenario has its own provider (own key), so the state one
 * leaves behind (a key waiting out Retry-After) does not touch the next.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { ask, closedPort } from '../routing/gateway-helpers.js';

const CLIENT_KEY = 'client-key-for-failover-01';
let a: Emulator;
let b: Emulator;
let gw: TestGateway;
let client: OpenAI;

const MODES = [
  ['non-stream', false],
  ['stream', true],
] as const;
const SCENARIOS = ['s503', 's429', 'refused', 'timeout', 'inband', 's400'] as const;
type Scenario = (typeof SCENARIOS)[number];
const keyOf = (s: Scenario, stream: boolean): string => `key-${s}-${stream ? 'st' : 'ns'}`;

beforeAll(async () => {
  const keys = SCENARIOS.flatMap((s) => [keyOf(s, false), keyOf(s, true)]);
  a = await startEmulator({ keys, models: { openai: ['*'] } });
  b = await startEmulator({ keys: ['key-b'], models: { openai: ['*'] } });
  const deadPort = await closedPort();
  const providers: string[] = [];
  const models: string[] = [];
  for (const s of SCENARIOS) {
    for (const [mode, stream] of MODES) {
      const id = `a-${s}-${mode}`;
      const base = s === 'refused' ? `http://127.0.0.1:${deadPort}/v1` : `${a.url}/v1`;
      const timeouts = s === 'timeout' ? ', timeouts: {ttfb_ms: 400, total_ms: 400}' : '';
      providers.push(`  - {id: ${id}, kind: openai-compatible, base_url: "${base}", api_keys: [${keyOf(s, stream)}], models: [m1]${timeouts}}`);
      models.push(`  - id: via-${s}-${mode}\n    upstreams:\n      - {provider: ${id}, model: m1, priority: 0}\n      - {provider: b, model: m1, priority: 1}`);
    }
  }
  gw = await startGateway({
    config: `
providers:
${providers.join('\n')}
  - {id: b, kind: openai-compatible, base_url: "${b.url}/v1", api_keys: [key-b], models: [m1]}
logical_models:
${models.join('\n')}
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

const seenByA = (s: Scenario, stream: boolean): number => a.received.filter((r) => r.key === keyOf(s, stream)).length;

describe.each(MODES)('fails over invisibly (%s)', (mode, stream) => {
  const model = (s: Scenario): string => `via-${s}-${mode}`;

  it('on a 503', async () => {
    a.fault({ key: keyOf('s503', stream), status: 503, message: 'engine overloaded', times: 1 });
    const r = await ask(client, model('s503'), 'after a 503', stream);
    expect(r).toEqual({ text: 'Echo: after a 503', provider: 'b', attempts: 2 });
    expect(seenByA('s503', stream)).toBe(1);
  });

  it('on a 429 with Retry-After, and keeps that key out until it has passed', async () => {
    a.fault({ key: keyOf('s429', stream), status: 429, retryAfter: 30, times: 1 });
    const r = await ask(client, model('s429'), 'after a 429', stream);
    expect(r).toEqual({ text: 'Echo: after a 429', provider: 'b', attempts: 2 });
    const again = await ask(client, model('s429'), 'while waiting', stream);
    expect(again).toEqual({ text: 'Echo: while waiting', provider: 'b', attempts: 1 });
    expect(seenByA('s429', stream)).toBe(1);
  });

  it('on a refused connection', async () => {
    const r = await ask(client, model('refused'), 'nobody home', stream);
    expect(r).toEqual({ text: 'Echo: nobody home', provider: 'b', attempts: 2 });
  });

  it('on a timeout', async () => {
    a.fault({ key: keyOf('timeout', stream), hang: true, times: 1 });
    const r = await ask(client, model('timeout'), 'too slow', stream);
    expect(r).toEqual({ text: 'Echo: too slow', provider: 'b', attempts: 2 });
    expect(seenByA('timeout', stream)).toBe(1);
  });

  it('does not fail over a 400: the client gets the upstream status and message', async () => {
    a.fault({ key: keyOf('s400', stream), status: 400, message: "'temperature' must be at most 2", times: 1 });
    const before = b.received.length;
    const err = await ask(client, model('s400'), 'bad request', stream).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).status).toBe(400);
    expect((err as Error).message).toContain("'temperature' must be at most 2");
    expect(b.received.length).toBe(before);
  });
});

describe('streams', () => {
  it('fail over invisibly on an in-band error before any content, without leaking the first upstream\'s frames', async () => {
    a.fault({ key: keyOf('inband', true), inBandError: { afterChunks: 0, message: 'overloaded', type: 'server_error' }, times: 1 });
    const res = await client.chat.completions
      .create({ model: 'via-inband-stream', stream: true, messages: [{ role: 'user', content: 'in band' }] })
      .withResponse();
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of res.data) chunks.push(c);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Echo: in band');
    // one answer: a single id and a single role chunk
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks.filter((c) => c.choices[0]?.delta.role === 'assistant')).toHaveLength(1);
    expect(res.response.headers.get('x-apiproxy-provider')).toBe('b');
    expect(seenByA('inband', true)).toBe(1);
  });
});
