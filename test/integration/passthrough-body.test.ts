/**
 * What the upstream receives on the passthrough path: the client's own bytes when the gateway
 * has nothing to change (no second serialization of a long conversation), and a body the
 * gateway wrote itself whenever it changes something or the client's text is ambiguous.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const KEY = 'passthrough-body-key-0001';
let em: Emulator;
let gw: TestGateway;

beforeAll(async () => {
  em = await startEmulator({ keys: ['up-key'] });
  gw = await startGateway({
    config: `
providers:
  - {id: p1, kind: openai-compatible, base_url: "${em.url}/v1", api_keys: [up-key], models: [gpt-4o, text-embedding-3-small]}
  - {id: a1, kind: anthropic, base_url: "${em.url}", api_keys: [up-key], models: [claude-sonnet-4-5]}
api_keys:
  - {name: k, key: ${KEY}}
`,
  });
});
afterAll(async () => {
  await gw?.close();
  await em?.close();
});

/** POST `text` as it is; the text the emulator received for it */
async function forwarded(path: string, text: string, headers: Record<string, string> = {}): Promise<{ status: number; upstream: string; answer: string }> {
  const before = em.totalReceived;
  const res = await fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
    body: text,
  });
  const answer = await res.text();
  expect(em.totalReceived).toBe(before + 1);
  const rec = em.received[em.received.length - 1]!;
  return { status: res.status, upstream: rec.bodyText, answer };
}

// spacing, key order, escapes and number spellings a re-serialization would change
const odd = '{ "messages" : [ {"role":"user", "content":"caf\\u00e9 \\ud83d\\ude00 \\"quoted\\" \\/ 1.50"} ],\n  "temperature": 1.0, "model":"gpt-4o", "max_tokens": 1e2 }';

describe('the client body on the passthrough path', () => {
  it('goes upstream byte for byte when nothing changes (chat, non-stream)', async () => {
    const r = await forwarded('/v1/chat/completions', odd);
    expect(r.status).toBe(200);
    expect(r.upstream).toBe(odd);
  });

  it('gets the usage request written in front of its first key for a chat stream, the rest byte for byte', async () => {
    const text = odd.replace('"model":"gpt-4o"', '"stream": true, "model":"gpt-4o"');
    const r = await forwarded('/v1/chat/completions', text);
    expect(r.status).toBe(200);
    expect(r.upstream).toBe(`{"stream_options":{"include_usage":true},${text.slice(1)}`);
    expect(JSON.parse(r.upstream)).toMatchObject({ stream: true, stream_options: { include_usage: true }, model: 'gpt-4o' });
    // the client did not ask for usage: it does not get the usage chunk
    expect(r.answer).not.toContain('"usage":{');
    expect(r.answer.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('goes as it is when the client asked for usage itself, and for Anthropic and embeddings', async () => {
    const chat = '{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}';
    expect((await forwarded('/v1/chat/completions', chat)).upstream).toBe(chat);
    const claude = '{"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "hi"}]}';
    expect((await forwarded('/v1/messages', claude, { 'anthropic-version': '2023-06-01' })).upstream).toBe(claude);
    const emb = '{ "model": "text-embedding-3-small", "input": "hello" }';
    expect((await forwarded('/v1/embeddings', emb)).upstream).toBe(emb);
  });

  it('is written anew when the gateway changes it: a pinned provider, a stream flag from Accept', async () => {
    const pinned = await forwarded('/v1/chat/completions', odd.replace('"model":"gpt-4o"', '"model":"p1/gpt-4o"'));
    expect(pinned.status).toBe(200);
    expect(JSON.parse(pinned.upstream)).toMatchObject({ model: 'gpt-4o', temperature: 1, max_tokens: 100 });
    expect(pinned.upstream).not.toContain('p1/');

    const viaAccept = await forwarded('/v1/chat/completions', odd, { accept: 'text/event-stream' });
    expect(viaAccept.status).toBe(200);
    expect(JSON.parse(viaAccept.upstream)).toMatchObject({ model: 'gpt-4o', stream: true, stream_options: { include_usage: true } });
  });

  it('is written anew when a top-level key is repeated, however it is spelled, so the upstream reads what the gateway read', async () => {
    for (const text of [
      '{"model":"gpt-4o","temperature":0.2,"temperature":0.7,"messages":[{"role":"user","content":"hi"}]}',
      '{"mod\\u0065l":"other-model","model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}',
    ]) {
      const r = await forwarded('/v1/chat/completions', text);
      expect(r.status).toBe(200);
      expect(r.upstream).not.toBe(text);
      const sent = JSON.parse(r.upstream) as Record<string, unknown>;
      expect(sent.model).toBe('gpt-4o');
      expect(r.upstream.match(/"model"/g)).toHaveLength(1);
      expect(r.upstream).not.toContain('other-model');
      if ('temperature' in sent) expect(r.upstream.match(/"temperature"/g)).toHaveLength(1);
    }
  });
});
