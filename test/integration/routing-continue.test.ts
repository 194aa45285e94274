/**
 * After the commit point: by default a stream that breaks after content ends with an error event;
 * with `on_stream_failure: continue` a text-only answer is finished by the next upstream and the
 * client sees one uninterrupted answer — one id, one opening, no text lost or repeated — while
 * the next upstream receives the partial answer as an assistant prefix (Anthropic prefill, or an
 * assistant turn and a request to continue for OpenAI-style upstreams).
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTINUE_INSTRUCTION } from '../../src/routing/continuation.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const CLIENT_KEY = 'client-key-for-continue-1';
let a: Emulator;
let b: Emulator;
let c: Emulator;
let gw: TestGateway;
let client: OpenAI;

type Obj = Record<string, unknown>;

/** The text of a message in any of the request formats (string content or text blocks). */
function textOf(m: Obj | undefined): string {
  if (!m) return '';
  if (typeof m.content === 'string') return m.content;
  return (m.content as Obj[]).map((p) => (typeof p.text === 'string' ? p.text : '')).join('');
}

function lastMessages(em: Emulator, n: number): Obj[] {
  const body = em.received.at(-1)?.body as Obj;
  const messages = body.messages as Obj[];
  return messages.slice(-n);
}

beforeAll(async () => {
  a = await startEmulator({ keys: ['key-a'], models: { openai: ['*'] } });
  b = await startEmulator({ keys: ['key-b'], models: { openai: ['*'] } });
  c = await startEmulator({ keys: ['key-c'], models: { anthropic: ['*'] } });
  gw = await startGateway({
    config: `
providers:
  - {id: pa, kind: openai-compatible, base_url: "${a.url}/v1", api_keys: [key-a], models: [m1]}
  - {id: pb, kind: openai-compatible, base_url: "${b.url}/v1", api_keys: [key-b], models: [m1]}
  - {id: pc, kind: anthropic, base_url: "${c.url}", api_keys: [key-c], models: [claude-haiku-4-5]}
logical_models:
  - id: story
    on_stream_failure: continue
    upstreams:
      - {provider: pa, model: m1, priority: 0}
      - {provider: pc, model: claude-haiku-4-5, priority: 1}
  - id: story-oai
    on_stream_failure: continue
    upstreams:
      - {provider: pa, model: m1, priority: 0}
      - {provider: pb, model: m1, priority: 1}
  - id: story-strict
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
  await c?.close();
});

beforeEach(() => {
  a.reset();
  b.reset();
  c.reset();
});

async function collect(model: string, extra: Partial<OpenAI.ChatCompletionCreateParamsStreaming> = {}) {
  const res = await client.chat.completions
    .create({ model, stream: true, messages: [{ role: 'user', content: 'Tell me about the fox.' }], ...extra })
    .withResponse();
  const chunks: OpenAI.ChatCompletionChunk[] = [];
  let error: unknown = null;
  try {
    for await (const ch of res.data) chunks.push(ch);
  } catch (err) {
    error = err;
  }
  return {
    chunks,
    error,
    text: chunks.map((ch) => ch.choices[0]?.delta.content ?? '').join(''),
    provider: res.response.headers.get('x-apiproxy-provider'),
  };
}

describe('a stream that breaks after content', () => {
  it('ends with an error event by default, and nothing else is asked', async () => {
    a.script({ text: 'The quick brown fox jumps over the lazy dog.', times: 1 });
    a.fault({ cutAfterChunks: 3, times: 1 });
    const r = await collect('story-strict');
    expect(r.text).toBe('The quick brown');
    expect(r.error).toBeInstanceOf(Error);
    expect(b.received).toHaveLength(0);
  });
});

describe('on_stream_failure: continue', () => {
  it('finishes the answer on an Anthropic upstream with the partial answer as prefill: one coherent answer', async () => {
    a.script({ text: 'The quick brown fox jumps over the lazy dog.', times: 1 });
    a.fault({ cutAfterChunks: 3, times: 1 });
    c.script({ text: ' fox jumps over the lazy dog.', times: 1 });
    const r = await collect('story');
    expect(r.error).toBeNull();
    expect(r.text).toBe('The quick brown fox jumps over the lazy dog.');
    expect(new Set(r.chunks.map((ch) => ch.id)).size).toBe(1);
    expect(r.chunks.filter((ch) => ch.choices[0]?.delta.role === 'assistant')).toHaveLength(1);
    expect(r.chunks.filter((ch) => ch.choices[0]?.finish_reason)).toHaveLength(1);
    expect(r.chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(r.provider).toBe('pa');

    // the Anthropic upstream got the conversation and the partial answer as the last (assistant) turn
    const [user, prefill] = lastMessages(c, 2);
    expect(user).toMatchObject({ role: 'user' });
    expect(textOf(user)).toBe('Tell me about the fox.');
    expect(prefill).toMatchObject({ role: 'assistant' });
    expect(textOf(prefill)).toBe('The quick brown');

    await gw.flushLogs();
    const row = (await gw.gw.store.requestLogs.query({ limit: 1 }))[0]!;
    expect(row.partial).toBe(0);
    expect(row.error).toBeNull();
    expect(row.attempts).toBe(2);
  });

  it('cuts trailing whitespace from the prefill (Anthropic refuses it) without losing or doubling a space', async () => {
    a.script({ text: 'ab cd ef', chunks: 4, times: 1 }); // pieces "ab", " c", "d ", "ef"
    a.fault({ cutAfterChunks: 3, times: 1 });
    c.script({ text: ' ef, and on.', times: 1 });
    const r = await collect('story');
    expect(r.error).toBeNull();
    expect(r.text).toBe('ab cd ef, and on.');
    expect(textOf(lastMessages(c, 1)[0])).toBe('ab cd');
  });

  it('asks an OpenAI-style upstream to continue exactly where the answer stopped', async () => {
    a.script({ text: 'The quick brown fox jumps over the lazy dog.', times: 1 });
    a.fault({ cutAfterChunks: 3, times: 1 });
    b.script({ text: ' fox jumps over the lazy dog.', times: 1 });
    const r = await collect('story-oai', { stream_options: { include_usage: true } });
    expect(r.error).toBeNull();
    expect(r.text).toBe('The quick brown fox jumps over the lazy dog.');
    expect(lastMessages(b, 2)).toEqual([
      { role: 'assistant', content: 'The quick brown' },
      { role: 'user', content: CONTINUE_INSTRUCTION },
    ]);
    const usage = r.chunks.filter((ch) => ch.usage);
    expect(usage).toHaveLength(1);
    expect(usage[0]!.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('continues an in-band error after content too', async () => {
    a.script({ text: 'one two three four five', times: 1 });
    a.fault({ inBandError: { afterChunks: 2, message: 'overloaded' }, times: 1 });
    b.script({ text: ' three four five', times: 1 });
    const r = await collect('story-oai');
    expect(r.error).toBeNull();
    expect(r.text).toBe('one two three four five');
  });

  it('streams an unbroken answer as usual', async () => {
    const final = await client.chat.completions.stream({ model: 'story', messages: [{ role: 'user', content: 'all fine' }] }).finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Echo: all fine');
    expect(c.received).toHaveLength(0);
  });

  it('does not continue an answer that already holds a tool call: it ends with an error event', async () => {
    a.script({ text: 'Let me look.', toolCalls: [{ name: 'lookup', arguments: { q: 'fox' } }], times: 1 });
    a.fault({ cutAfterChunks: 4, times: 1 });
    const r = await collect('story');
    expect(r.error).toBeInstanceOf(Error);
    expect(c.received).toHaveLength(0);
  });

  it('ends with an error event when no upstream can continue', async () => {
    a.script({ text: 'The quick brown fox', times: 1 });
    a.fault({ cutAfterChunks: 2, times: 1 });
    c.fault({ status: 529, times: 1 });
    const r = await collect('story');
    expect(r.text).toBe('The quick');
    expect(r.error).toBeInstanceOf(Error);
    expect((r.error as Error).message).toMatch(/could not be continued/);
  });

  it('gives an Anthropic client one message: a single message_start and the whole text', async () => {
    a.script({ text: 'The quick brown fox jumps over the lazy dog.', times: 1 });
    a.fault({ cutAfterChunks: 3, times: 1 });
    c.script({ text: ' fox jumps over the lazy dog.', times: 1 });
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: CLIENT_KEY, maxRetries: 0 });
    const stream = anthropic.messages.stream({ model: 'story', max_tokens: 200, messages: [{ role: 'user', content: 'Tell me about the fox.' }] });
    const types: string[] = [];
    stream.on('streamEvent', (ev) => types.push(ev.type));
    const message = await stream.finalMessage();
    expect(message.content.map((blk) => (blk.type === 'text' ? blk.text : '')).join('')).toBe('The quick brown fox jumps over the lazy dog.');
    expect(message.stop_reason).toBe('end_turn');
    expect(types.filter((t) => t === 'message_start')).toHaveLength(1);
    expect(types.filter((t) => t === 'content_block_start')).toHaveLength(1);
    expect(types.filter((t) => t === 'message_stop')).toHaveLength(1);
  });
});
