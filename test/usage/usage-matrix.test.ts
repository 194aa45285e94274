/**
 * Persisted usage for every client dialect x provider kind x stream/non-stream: the request-log
 * row has non-zero input and output tokens taken from the upstream's own figures (never an
 * estimate) — the gateway asks every upstream for stream usage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { postRaw } from './helpers.js';

const KEY = 'usage-matrix-client-key-001';
let em: Emulator;
let gw: TestGateway;

const PROVIDERS = {
  openai: 'gpt-4o-mini',
  compat: 'llama-3.1-8b',
  azure: 'gpt-4o',
  anthropic: 'claude-sonnet-4-6',
  gemini: 'gemini-2.5-flash',
} as const;

type Dialect = 'chat' | 'responses' | 'messages' | 'gemini';

function request(dialect: Dialect, model: string, stream: boolean): { path: string; headers: Record<string, string>; body: unknown } {
  const text = 'tell me three things about usage';
  switch (dialect) {
    case 'chat':
      return { path: '/v1/chat/completions', headers: { authorization: `Bearer ${KEY}` }, body: { model, stream, messages: [{ role: 'user', content: text }] } };
    case 'responses':
      return { path: '/v1/responses', headers: { authorization: `Bearer ${KEY}` }, body: { model, stream, input: text } };
    case 'messages':
      return {
        path: '/v1/messages',
        headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
        body: { model, stream, max_tokens: 200, messages: [{ role: 'user', content: text }] },
      };
    case 'gemini':
      return {
        path: `/v1beta/models/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
        headers: { 'x-goog-api-key': KEY },
        body: { contents: [{ role: 'user', parts: [{ text }] }] },
      };
  }
}

beforeAll(async () => {
  em = await startEmulator({ keys: ['provider-key'], models: { openai: ['*'], azure: ['gpt-4o'] } });
  gw = await startGateway({
    config: `
providers:
  - {id: openai, kind: openai, base_url: "${em.url}", api_keys: [provider-key], models: [gpt-4o-mini]}
  - {id: compat, kind: openai-compatible, base_url: "${em.url}/v1", api_keys: [provider-key], models: [llama-3.1-8b]}
  - {id: azure, kind: azure-openai, base_url: "${em.url}", api_version: "2024-10-21", api_keys: [provider-key], models: [gpt-4o]}
  - {id: anthropic, kind: anthropic, base_url: "${em.url}", api_keys: [provider-key], models: [claude-sonnet-4-6]}
  - {id: gemini, kind: gemini, base_url: "${em.url}", api_keys: [provider-key], models: [gemini-2.5-flash]}
api_keys:
  - {name: m, key: ${KEY}}
`,
  });
});
afterAll(async () => {
  await gw?.close();
  await em?.close();
});

const cases: Array<[Dialect, keyof typeof PROVIDERS, boolean]> = [];
for (const d of ['chat', 'responses', 'messages', 'gemini'] as const) {
  for (const p of Object.keys(PROVIDERS) as Array<keyof typeof PROVIDERS>) for (const s of [false, true]) cases.push([d, p, s]);
}

describe('persisted usage, every dialect x provider x stream', () => {
  it.each(cases)('%s client -> %s provider, stream %s', async (dialect, provider, stream) => {
    const r = request(dialect, PROVIDERS[provider], stream);
    const res = await postRaw(`${gw.url}${r.path}`, r.headers, r.body);
    expect(res.status, res.body.slice(0, 300)).toBe(200);
    await gw.flushLogs();
    const row = await gw.gw.store.requestLogs.get(String(res.headers['x-request-id']));
    expect(row).toMatchObject({ provider_id: provider, stream: stream ? 1 : 0, partial: 0, estimated: 0 });
    expect(row!.input_tokens + row!.cache_read_tokens).toBeGreaterThan(0);
    expect(row!.output_tokens + row!.reasoning_tokens).toBeGreaterThan(0);
  });
});
