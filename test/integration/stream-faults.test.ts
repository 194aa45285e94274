/**
 * Streams under faults: the commit point (failures before content fail over invisibly), a cut
 * after content ends with an error event (never a clean-looking end), and a client that leaves
 * mid-stream aborts the upstream call without hurting the gateway.
 */
import OpenAI from 'openai';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const CLIENT_KEY = 'client-key-for-streams-01';
let a: Emulator;
let b: Emulator;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  a = await startEmulator({ keys: ['key-a'], models: { openai: ['*'] } });
  b = await startEmulator({ keys: ['key-b'], models: { openai: ['*'] } });
  gw = await startGateway({
    config: `
providers:
  - {id: pa, kind: openai-compatible, base_url: "${a.url}/v1", api_keys: [key-a], models: [m1, only-a]}
  - {id: pb, kind: openai-compatible, base_url: "${b.url}/v1", api_keys: [key-b], models: [m1]}
logical_models:
  - id: ordered
    upstreams:
      - {provider: pa, model: m1, priority: 0}
      - {provider: pb, model: m1, priority: 1}
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
beforeEach(() => {
  a.reset();
  b.reset();
});

describe('stream commit point', () => {
  it('fails over invisibly on an in-band error before any content', async () => {
    a.fault({ inBandError: { afterChunks: 0, message: 'overloaded' }, times: 1 });
    const s = client.chat.completions.stream({ model: 'ordered', messages: [{ role: 'user', content: 'hello' }] });
    const final = await s.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Echo: hello');
    expect(a.received).toHaveLength(1);
    expect(b.received).toHaveLength(1);
  });

  it('fails over invisibly on an error status before the stream', async () => {
    a.fault({ status: 503, times: 1 });
    const res = await client.chat.completions
      .create({ model: 'ordered', stream: true, messages: [{ role: 'user', content: 'again' }] })
      .withResponse();
    let text = '';
    for await (const c of res.data) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe('Echo: again');
    expect(res.response.headers.get('x-apiproxy-provider')).toBe('pb');
    expect(res.response.headers.get('x-apiproxy-attempts')).toBe('2');
  });

  it('fails over when the connection is cut before content', async () => {
    a.fault({ cutAfterChunks: 0, times: 1 });
    const final = await client.chat.completions.stream({ model: 'ordered', messages: [{ role: 'user', content: 'cut early' }] }).finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Echo: cut early');
  });

  it('ends the stream with an error event when the upstream is cut after content', async () => {
    a.fault({ cutAfterChunks: 2, times: 1 });
    const stream = await client.chat.completions.create({
      model: 'only-a',
      stream: true,
      messages: [{ role: 'user', content: 'one two three four five' }],
    });
    let text = '';
    const err = await (async () => {
      for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(text.length).toBeGreaterThan(0);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/ended unexpectedly|connection|terminated/);
    await gw.flushLogs();
    const row = (await gw.gw.store.requestLogs.query({ limit: 1 }))[0]!;
    expect(row.partial).toBe(1);
    expect(row.error).not.toBeNull();
  });

  it('forwards an in-band error after content as an error the SDK raises', async () => {
    a.fault({ inBandError: { afterChunks: 2, message: 'mid-stream failure' }, times: 1 });
    const stream = await client.chat.completions.create({ model: 'only-a', stream: true, messages: [{ role: 'user', content: 'a b c d e f' }] });
    const err = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect((err as Error).message).toContain('mid-stream failure');
  });
});

describe('client disconnect', () => {
  it('aborts the upstream call and the gateway keeps serving', async () => {
    a.script({ model: 'only-a', text: Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '), chunkDelayMs: 20, times: 1 });
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        let n = 0;
        res.on('data', () => {
          n++;
          if (n === 3) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', () => undefined);
      setTimeout(() => reject(new Error('no data arrived')), 5000);
      req.end(JSON.stringify({ model: 'only-a', stream: true, messages: [{ role: 'user', content: 'long' }] }));
    });
    // the emulator sees its client (the gateway) go away long before the 200 words are out
    for (let i = 0; i < 50 && !a.received[0]?.clientAborted; i++) await new Promise((r) => setTimeout(r, 50));
    expect(a.received[0]?.clientAborted).toBe(true);

    const ok = await client.chat.completions.create({ model: 'only-a', messages: [{ role: 'user', content: 'still alive' }] });
    expect(ok.choices[0]?.message.content).toBe('Echo: still alive');
    await gw.flushLogs();
    const rows = await gw.gw.store.requestLogs.query({ limit: 2 });
    expect(rows.find((r) => r.stream === 1)?.partial).toBe(1);
  });
});
