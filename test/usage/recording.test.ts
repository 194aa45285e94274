/**
 * Usage and cost of every call land in request_logs: non-stream and stream, passthrough and
 * translated, and a stream that ends early keeps what was produced (partial), with a flagged
 * estimate where the upstream never reported usage.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import type { RequestLogRow } from '../../src/store/db/schema.js';
import { anthropicStreamText, chatStreamText, postRaw } from './helpers.js';

const KEY = 'usage-recording-client-key-01';
let em: Emulator;
let gw: TestGateway;

beforeAll(async () => {
  em = await startEmulator({ keys: ['up-key'], models: { openai: ['*'], anthropic: ['*'] } });
  gw = await startGateway({
    config: `
providers:
  - id: oai
    kind: openai-compatible
    base_url: "${em.url}/v1"
    api_keys: [up-key]
    models: [m1, m2]
    prices: {m1: {input: 2.5, cached_input: 1.25, output: 10}}
  - id: ant
    kind: anthropic
    base_url: "${em.url}"
    api_keys: [up-key]
    models: [claude-sonnet-4-5]
    prices: {claude-sonnet-4-5: {input: 3, cached_input: 0.3, cache_write: 3.75, output: 15}}
api_keys:
  - {name: rec, key: ${KEY}}
`,
  });
});
afterAll(async () => {
  await gw?.close();
  await em?.close();
});
beforeEach(() => em.reset());

const auth = { authorization: `Bearer ${KEY}` };

async function row(id: string): Promise<RequestLogRow> {
  await gw.flushLogs();
  const r = await gw.gw.store.requestLogs.get(id);
  if (!r) throw new Error(`no request log ${id}`);
  return r;
}

function reqId(h: Record<string, string | string[] | undefined>): string {
  const v = h['x-request-id'];
  if (typeof v !== 'string') throw new Error('no x-request-id');
  return v;
}

describe('usage and cost in request_logs', () => {
  it('non-stream passthrough: the upstream figures in five buckets, and the cost', async () => {
    em.script({ model: 'm1', text: 'hello there', usage: { inputTokens: 1000, cachedTokens: 600, outputTokens: 50 } });
    const res = await postRaw(`${gw.url}/v1/chat/completions`, auth, { model: 'm1', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    const r = await row(reqId(res.headers));
    expect(r).toMatchObject({ input_tokens: 400, cache_read_tokens: 600, output_tokens: 50, reasoning_tokens: 0, partial: 0, estimated: 0, stream: 0 });
    // 400 x 2.50 + 600 x 1.25 + 50 x 10 = 2250 micro-dollars
    expect(r.cost_usd).toBeCloseTo(0.00225, 12);
    const attempts = JSON.parse(r.attempt_records ?? '[]') as Array<Record<string, unknown>>;
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ provider_id: 'oai', model: 'm1', status: 200, error: null, cost_usd: r.cost_usd });
    expect(attempts[0]!.usage).toEqual({ input: 400, cache_read: 600, cache_write: 0, output: 50, reasoning: 0 });
  });

  it('stream passthrough: usage from the final usage chunk even when the client did not ask for it', async () => {
    em.script({ model: 'm1', text: 'one two three', usage: { inputTokens: 200, cachedTokens: 0, outputTokens: 3, reasoningTokens: 0 } });
    const res = await postRaw(`${gw.url}/v1/chat/completions`, auth, { model: 'm1', stream: true, messages: [{ role: 'user', content: 'x' }] });
    expect(res.body).not.toContain('"usage":{'); // not asked for: not sent
    const r = await row(reqId(res.headers));
    expect(r).toMatchObject({ stream: 1, input_tokens: 200, output_tokens: 3, partial: 0, estimated: 0 });
    expect(r.cost_usd).toBeCloseTo((200 * 2.5 + 3 * 10) / 1e6, 12);
  });

  it('stream translated (OpenAI client, Anthropic provider): cache read and write priced apart', async () => {
    em.script({ model: 'claude-sonnet-4-5', text: 'a b c', usage: { inputTokens: 500, cachedTokens: 100, cacheWriteTokens: 50, outputTokens: 30 } });
    const res = await postRaw(`${gw.url}/v1/chat/completions`, auth, {
      model: 'claude-sonnet-4-5',
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(chatStreamText(res.body)).toBe('a b c');
    const r = await row(reqId(res.headers));
    expect(r).toMatchObject({ stream: 1, input_tokens: 350, cache_read_tokens: 100, cache_write_tokens: 50, output_tokens: 30, partial: 0 });
    // 350 x 3 + 100 x 0.30 + 50 x 3.75 + 30 x 15 = 1050 + 30 + 187.5 + 450 = 1717.5 micro-dollars
    expect(r.cost_usd).toBeCloseTo(0.0017175, 12);
  });

  it('a model without prices has no cost (null, not 0)', async () => {
    const res = await postRaw(`${gw.url}/v1/chat/completions`, auth, { model: 'm2', messages: [{ role: 'user', content: 'hi' }] });
    const r = await row(reqId(res.headers));
    expect(r.input_tokens).toBeGreaterThan(0);
    expect(r.cost_usd).toBeNull();
  });
});

describe('streams that end early', () => {
  const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');

  it('passthrough cut before the usage chunk: partial, output estimated from the text relayed', async () => {
    em.script({ model: 'm1', text: words });
    em.fault({ model: 'm1', cutAfterChunks: 5, times: 1 });
    const body = { model: 'm1', stream: true, messages: [{ role: 'user', content: 'count for me please' }] };
    const res = await postRaw(`${gw.url}/v1/chat/completions`, auth, body);
    const relayed = chatStreamText(res.body);
    expect(relayed.length).toBeGreaterThan(0);
    const r = await row(reqId(res.headers));
    expect(r).toMatchObject({ partial: 1, estimated: 1, status: 200 });
    expect(r.error).not.toBeNull();
    expect(r.output_tokens).toBe(Math.ceil(relayed.length / 4));
    // input from the request text: "user" + "count for me please" = 23 characters
    expect(r.input_tokens).toBe(Math.ceil(23 / 4));
    expect(r.cost_usd).toBeCloseTo((r.input_tokens * 2.5 + r.output_tokens * 10) / 1e6, 12);
  });

  it('translated stream cut mid-way: the upstream input figure is kept, output estimated', async () => {
    em.script({ model: 'claude-sonnet-4-5', text: words, usage: { inputTokens: 77, outputTokens: 30 } });
    em.fault({ model: 'claude-sonnet-4-5', cutAfterChunks: 4, times: 1 });
    const res = await postRaw(`${gw.url}/v1/chat/completions`, auth, {
      model: 'claude-sonnet-4-5',
      stream: true,
      messages: [{ role: 'user', content: 'go' }],
    });
    const relayed = chatStreamText(res.body);
    const r = await row(reqId(res.headers));
    expect(r).toMatchObject({ partial: 1, estimated: 1, input_tokens: 77 });
    expect(r.output_tokens).toBe(Math.ceil(relayed.length / 4));
  });

  it('Anthropic passthrough cut mid-way: message_start input kept, output estimated', async () => {
    em.script({ model: 'claude-sonnet-4-5', text: words, usage: { inputTokens: 91, outputTokens: 30 } });
    em.fault({ model: 'claude-sonnet-4-5', cutAfterChunks: 4, times: 1 });
    const res = await postRaw(
      `${gw.url}/v1/messages`,
      { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
      { model: 'claude-sonnet-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'go' }] },
    );
    const relayed = anthropicStreamText(res.body);
    expect(relayed.length).toBeGreaterThan(0);
    const r = await row(reqId(res.headers));
    expect(r).toMatchObject({ partial: 1, estimated: 1, input_tokens: 91 });
    expect(r.output_tokens).toBe(Math.ceil(relayed.length / 4));
  });

  it('a client that leaves mid-stream: partial, with what was produced so far', async () => {
    em.script({ model: 'm1', text: words, chunkDelayMs: 30 });
    const { request } = await import('node:http');
    const id = await new Promise<string>((resolve, reject) => {
      const req = request(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' } });
      req.on('response', (res) => {
        let n = 0;
        res.on('data', () => {
          if (++n === 4) {
            req.destroy();
            resolve(String(res.headers['x-request-id']));
          }
        });
      });
      req.on('error', () => undefined);
      req.end(JSON.stringify({ model: 'm1', stream: true, messages: [{ role: 'user', content: 'slowly' }] }));
      setTimeout(() => reject(new Error('no data')), 5000);
    });
    let r: RequestLogRow | undefined;
    for (let i = 0; i < 100 && !r; i++) {
      await new Promise((s) => setTimeout(s, 30));
      await gw.flushLogs();
      r = await gw.gw.store.requestLogs.get(id);
    }
    expect(r).toBeDefined();
    expect(r!.partial).toBe(1);
    expect(r!.output_tokens).toBeGreaterThan(0);
    expect(r!.estimated).toBe(1);
  });
});
