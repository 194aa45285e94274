/**
 * The gateway's core promise, driven by the official OpenAI SDK: chat, streaming, responses and
 * embeddings through to an OpenAI-compatible server, with the provider's key upstream and never
 * the client's, usage captured, and errors in OpenAI's shape.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const CLIENT_KEY = 'client-key-for-tests-0001';
const PROVIDER_KEY = 'test-key';

let emu: Emulator;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  emu = await startEmulator({ keys: [PROVIDER_KEY] });
  gw = await startGateway({
    config: `
providers:
  - id: local
    kind: openai-compatible
    base_url: ${emu.url}/v1
    api_keys: ["${PROVIDER_KEY}"]
    dialects: [openai-chat, openai-responses]
api_keys:
  - {name: ci, key: ${CLIENT_KEY}}
`,
  });
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gw?.close();
  await emu?.close();
});

beforeEach(() => emu.reset());

async function lastLogRow() {
  await gw.flushLogs();
  const rows = await gw.gw.store.requestLogs.query({ limit: 1 });
  return rows[0]!;
}

describe('OpenAI SDK through the gateway to an OpenAI-compatible server', () => {
  it('chats (non-stream) with the provider key upstream, never the client key', async () => {
    const res = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there' }] })
      .withResponse();
    expect(res.data.choices[0]?.message.content).toBe('Echo: Hello there');
    expect(res.response.headers.get('x-apiproxy-provider')).toBe('local');
    expect(res.response.headers.get('x-apiproxy-upstream-model')).toBe('gpt-4o-mini');
    expect(res.response.headers.get('x-request-id')).toMatch(/^req_/);

    const seen = emu.received.at(-1)!;
    expect(seen.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`);
    expect(JSON.stringify(seen.headers)).not.toContain(CLIENT_KEY);

    const row = await lastLogRow();
    expect(row).toMatchObject({ route: '/v1/chat/completions', model: 'gpt-4o-mini', provider_id: 'local', status: 200, stream: 0 });
    expect(row.input_tokens).toBe(res.data.usage!.prompt_tokens);
    expect(row.output_tokens).toBe(res.data.usage!.completion_tokens);
  });

  it('streams through chat.completions.stream() and records usage without showing the client a usage chunk it did not ask for', async () => {
    const stream = client.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'stream me please' }] });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    stream.on('chunk', (c) => chunks.push(c));
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Echo: stream me please');
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.some((c) => c.choices.length === 0)).toBe(false);

    const upstreamBody = emu.received.at(-1)!.body as { stream_options?: { include_usage?: boolean } };
    expect(upstreamBody.stream_options?.include_usage).toBe(true);

    const row = await lastLogRow();
    expect(row.stream).toBe(1);
    expect(row.output_tokens).toBeGreaterThan(0);
    expect(row.input_tokens).toBeGreaterThan(0);
    expect(row.ttfb_ms).not.toBeNull();
  });

  it('passes the usage chunk to a client that asked for it', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count my tokens' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | undefined;
    let text = '';
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? '';
      if (c.usage) usage = c.usage;
    }
    expect(text).toBe('Echo: count my tokens');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    const row = await lastLogRow();
    expect(row.output_tokens).toBe(usage!.completion_tokens);
  });

  it('streams when the client sends Accept: text/event-stream without a stream field, and not when stream is false', async () => {
    const sse = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(sse.headers.get('content-type')).toContain('text/event-stream');
    const text = await sse.text();
    expect(text).toContain('data: [DONE]');
    expect((emu.received.at(-1)!.body as { stream?: boolean }).stream).toBe(true);

    const json = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ model: 'gpt-4o-mini', stream: false, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(json.headers.get('content-type')).toContain('application/json');
    expect(((await json.json()) as { object: string }).object).toBe('chat.completion');
  });

  it('forwards the Responses API natively, JSON and stream', async () => {
    const r = await client.responses.create({ model: 'gpt-4o-mini', input: 'respond to me' });
    expect(r.output_text).toBe('Echo: respond to me');
    expect(emu.received.at(-1)!.path).toBe('/v1/responses');

    const stream = client.responses.stream({ model: 'gpt-4o-mini', input: 'stream a response' });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('Echo: stream a response');
    const row = await lastLogRow();
    expect(row.route).toBe('/v1/responses');
    expect(row.output_tokens).toBeGreaterThan(0);
  });

  it('forwards embeddings, including the SDK default base64 encoding', async () => {
    const e = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'vector me' });
    expect(e.data[0]?.embedding.length).toBeGreaterThan(0);
    expect(e.data[0]?.embedding.every((v) => Number.isFinite(v))).toBe(true);
    expect((emu.received.at(-1)!.body as { encoding_format?: string }).encoding_format).toBe('base64');
    const row = await lastLogRow();
    expect(row.route).toBe('/v1/embeddings');
    expect(row.input_tokens).toBeGreaterThan(0);
  });

  it('lists the models the providers serve on /v1/models and /models', async () => {
    const list = await client.models.list();
    const ids = list.data.map((m) => m.id);
    expect(ids).toContain('gpt-4o-mini');
    expect(new Set(ids).size).toBe(ids.length);
    const plain = await fetch(`${gw.url}/models`, { headers: { authorization: `Bearer ${CLIENT_KEY}` } });
    expect(((await plain.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id)).toEqual(ids);
  });

  it('pins a provider with provider-id/model', async () => {
    const res = await client.chat.completions.create({ model: 'local/gpt-4o', messages: [{ role: 'user', content: 'pinned' }] });
    expect(res.choices[0]?.message.content).toBe('Echo: pinned');
    expect((emu.received.at(-1)!.body as { model: string }).model).toBe('gpt-4o');
  });
});
