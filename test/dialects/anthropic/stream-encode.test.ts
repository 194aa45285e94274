import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/canonical/types.js';
import { anthropicDialect, fromAnthropicId } from '../../../src/dialects/anthropic/index.js';
import { baseRequest, frames, serveSse } from './helpers.js';

const ctx = { model: 'claude-client-name', request: baseRequest({ sourceDialect: 'anthropic', maxTokens: 100 }) };

function encodeAll(events: StreamEvent[]): string {
  const enc = anthropicDialect.createStreamEncoder(ctx);
  return events.map((e) => enc.write(e)).join('') + enc.end();
}

const start: StreamEvent = { type: 'start', id: 'chatcmpl-1', model: 'gpt-x', created: 1, usage: { input: 12, cacheRead: 4, cacheWrite: 0 } };

/** Every frame names its type in `event:` and repeats it in data.type (the SDK drops frames without event:). */
function expectWellFramed(text: string): void {
  for (const f of frames(text)) expect(f.event).toBe(f.data.type);
  expect(text.endsWith('\n\n')).toBe(true);
}

/** Per block index: start, deltas, stop in order and never overlapping. */
function expectBlocksWellNested(text: string): void {
  let open: number | undefined;
  let next = 0;
  for (const { data } of frames(text)) {
    if (data.type === 'content_block_start') {
      expect(open).toBeUndefined();
      expect(data.index).toBe(next);
      open = next++;
    } else if (data.type === 'content_block_delta') {
      expect(data.index).toBe(open);
    } else if (data.type === 'content_block_stop') {
      expect(data.index).toBe(open);
      open = undefined;
    } else if (data.type === 'message_delta' || data.type === 'message_stop') {
      expect(open).toBeUndefined();
    }
  }
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

/** The SDK's own accumulator over our bytes. */
async function sdkFinalMessage(text: string): Promise<Anthropic.Message> {
  const server = await serveSse(text);
  closers.push(server.close);
  const client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
  return client.messages.stream({ model: 'claude-client-name', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
}

describe('anthropic stream encoder: golden frames', () => {
  it('text only: message_start, one text block, message_delta with usage, message_stop', () => {
    const text = encodeAll([
      start,
      { type: 'text_delta', text: 'Hel' },
      { type: 'text_delta', text: 'lo' },
      { type: 'usage', usage: { output: 3, reasoning: 0 } },
      { type: 'finish', reason: 'stop' },
    ]);
    expectWellFramed(text);
    expect(frames(text).map((f) => f.data)).toEqual([
      {
        type: 'message_start',
        message: {
          id: 'msg_chatcmpl-1',
          type: 'message',
          role: 'assistant',
          model: 'claude-client-name',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 4, output_tokens: 0 },
        },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 4, output_tokens: 3 },
      },
      { type: 'message_stop' },
    ]);
  });

  it('holds message_delta until usage arrives after finish', () => {
    const enc = anthropicDialect.createStreamEncoder(ctx);
    enc.write(start);
    enc.write({ type: 'tool_call_start', index: 0, id: 'call_1', name: 'get_weather' });
    enc.write({ type: 'tool_call_delta', index: 0, arguments: '{"city":' });
    enc.write({ type: 'tool_call_delta', index: 0, arguments: '"Paris"}' });
    enc.write({ type: 'tool_call_end', index: 0 });
    expect(enc.write({ type: 'finish', reason: 'tool_calls' })).toBe('');
    const tail = enc.write({ type: 'usage', usage: { input: 12, output: 9, reasoning: 0 } });
    expect(frames(tail).map((f) => f.data)).toEqual([
      {
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 4, output_tokens: 9 },
      },
      { type: 'message_stop' },
    ]);
    expect(enc.end()).toBe('');
  });

  it('a tool-only stream starts at index 0', () => {
    const text = encodeAll([
      start,
      { type: 'tool_call_start', index: 0, id: 'call_1', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expectWellFramed(text);
    expectBlocksWellNested(text);
    expect(frames(text)[1]?.data).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: 'call_1', name: 'f', input: {} },
    });
  });

  it('synthesises message_start when content comes first and sends usage on end() when none came', () => {
    const enc = anthropicDialect.createStreamEncoder(ctx);
    const first = enc.write({ type: 'text_delta', text: 'x' });
    expect(frames(first)[0]?.data.type).toBe('message_start');
    expect(enc.write({ type: 'finish', reason: 'length' })).toBe('');
    const tail = frames(enc.end()).map((f) => f.data);
    expect(tail.map((d) => d.type)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(tail[1]).toMatchObject({ delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 0 } });
  });

  it('serialises interleaved parallel tool calls into well-nested blocks', () => {
    const text = encodeAll([
      start,
      { type: 'text_delta', text: 'Checking both.' },
      { type: 'tool_call_start', index: 0, id: 'call_a', name: 'weather' },
      { type: 'tool_call_start', index: 1, id: 'call_b', name: 'weather' },
      { type: 'tool_call_delta', index: 1, arguments: '{"city":"Ro' },
      { type: 'tool_call_delta', index: 0, arguments: '{"city":"Paris"}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'tool_call_delta', index: 1, arguments: 'me"}' },
      { type: 'tool_call_end', index: 1 },
      { type: 'usage', usage: { output: 20 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expectWellFramed(text);
    expectBlocksWellNested(text);
    const starts = frames(text)
      .filter((f) => f.data.type === 'content_block_start')
      .map((f) => f.data.content_block);
    expect(starts).toEqual([
      { type: 'text', text: '' },
      { type: 'tool_use', id: 'call_a', name: 'weather', input: {} },
      { type: 'tool_use', id: 'call_b', name: 'weather', input: {} },
    ]);
  });

  it('thinking: signature_delta before the block stop; a new thinking block after a signed one; redacted block', () => {
    const text = encodeAll([
      start,
      { type: 'reasoning_delta', text: 'step 1', origin: 'anthropic' },
      { type: 'reasoning_delta', text: '', origin: 'anthropic', signature: 'SIG1' },
      { type: 'reasoning_delta', text: 'step 2', origin: 'anthropic' },
      { type: 'reasoning_delta', text: '', origin: 'anthropic', signature: 'SIG2' },
      { type: 'reasoning_delta', text: '', origin: 'anthropic', redactedData: 'RED' },
      { type: 'text_delta', text: 'answer' },
      { type: 'usage', usage: { output: 50 } },
      { type: 'finish', reason: 'stop' },
    ]);
    expectWellFramed(text);
    expectBlocksWellNested(text);
    expect(frames(text).map((f) => f.data).slice(1, -2)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'step 1' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'SIG1' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'thinking_delta', thinking: 'step 2' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'signature_delta', signature: 'SIG2' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'redacted_thinking', data: 'RED' } },
      { type: 'content_block_stop', index: 2 },
      { type: 'content_block_start', index: 3, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'answer' } },
      { type: 'content_block_stop', index: 3 },
    ]);
  });

  it('an error closes the stream with event: error and nothing after it', () => {
    const enc = anthropicDialect.createStreamEncoder(ctx);
    enc.write(start);
    enc.write({ type: 'text_delta', text: 'partial' });
    const err = enc.write({ type: 'error', error: { status: 529, type: 'overloaded', message: 'Overloaded' } });
    expect(err).toBe('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n');
    expect(enc.write({ type: 'text_delta', text: 'more' })).toBe('');
    expect(enc.write({ type: 'finish', reason: 'stop' })).toBe('');
    expect(enc.end()).toBe('');
  });

  it('end() without a finish is an error, not a clean end', () => {
    const enc = anthropicDialect.createStreamEncoder(ctx);
    enc.write(start);
    enc.write({ type: 'text_delta', text: 'cut' });
    const tail = frames(enc.end());
    expect(tail.map((f) => f.event)).toEqual(['error']);
    expect(tail[0]?.data).toMatchObject({ type: 'error', error: { type: 'api_error' } });
  });

  it('makes unsafe tool-call ids safe, reversibly', () => {
    const text = encodeAll([
      start,
      { type: 'tool_call_start', index: 0, id: 'call.1:x', name: 'f' },
      { type: 'tool_call_end', index: 0 },
      { type: 'usage', usage: { output: 1 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    const block = frames(text)[1]?.data.content_block as { id: string };
    expect(block.id).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(fromAnthropicId(block.id)).toBe('call.1:x');
  });
});

describe('anthropic stream encoder: @anthropic-ai/sdk MessageStream is the oracle', () => {
  it('assembles text, stop_reason and usage', async () => {
    const msg = await sdkFinalMessage(
      encodeAll([
        start,
        { type: 'text_delta', text: 'Hello, ' },
        { type: 'text_delta', text: 'wörld 🌍' },
        { type: 'usage', usage: { input: 12, cacheRead: 4, cacheWrite: 1, output: 5, reasoning: 2 } },
        { type: 'finish', reason: 'stop' },
      ]),
    );
    expect(msg.id).toBe('msg_chatcmpl-1');
    expect(msg.model).toBe('claude-client-name');
    expect(msg.content).toEqual([{ type: 'text', text: 'Hello, wörld 🌍' }]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage).toMatchObject({ input_tokens: 12, cache_read_input_tokens: 4, cache_creation_input_tokens: 1, output_tokens: 7 });
  });

  it('assembles a tool-only answer with parsed input', async () => {
    const msg = await sdkFinalMessage(
      encodeAll([
        start,
        { type: 'tool_call_start', index: 0, id: 'call_1', name: 'get_weather' },
        { type: 'tool_call_delta', index: 0, arguments: '{"location": "Par' },
        { type: 'tool_call_delta', index: 0, arguments: 'is", "unit": "c"}' },
        { type: 'tool_call_end', index: 0 },
        { type: 'finish', reason: 'tool_calls' },
        { type: 'usage', usage: { output: 30 } },
      ]),
    );
    expect(msg.content).toEqual([{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { location: 'Paris', unit: 'c' } }]);
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.usage.output_tokens).toBe(30);
  });

  it('assembles text followed by interleaved parallel tool calls', async () => {
    const msg = await sdkFinalMessage(
      encodeAll([
        start,
        { type: 'text_delta', text: 'Both cities:' },
        { type: 'tool_call_start', index: 0, id: 'call_a', name: 'weather' },
        { type: 'tool_call_start', index: 1, id: 'call_b', name: 'weather' },
        { type: 'tool_call_delta', index: 1, arguments: '{"city":"Ro' },
        { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
        { type: 'tool_call_delta', index: 0, arguments: '"Paris"}' },
        { type: 'tool_call_delta', index: 1, arguments: 'me"}' },
        { type: 'tool_call_end', index: 0 },
        { type: 'tool_call_end', index: 1 },
        { type: 'usage', usage: { output: 40 } },
        { type: 'finish', reason: 'stop' },
      ]),
    );
    expect(msg.content).toEqual([
      { type: 'text', text: 'Both cities:' },
      { type: 'tool_use', id: 'call_a', name: 'weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_b', name: 'weather', input: { city: 'Rome' } },
    ]);
    expect(msg.stop_reason).toBe('tool_use');
  });

  it('assembles thinking with its signature before the text', async () => {
    const msg = await sdkFinalMessage(
      encodeAll([
        start,
        { type: 'reasoning_delta', text: 'Let me ', origin: 'anthropic' },
        { type: 'reasoning_delta', text: 'think.', origin: 'anthropic' },
        { type: 'reasoning_delta', text: '', origin: 'anthropic', signature: 'EqQBCgIYAhIM' },
        { type: 'text_delta', text: '42' },
        { type: 'usage', usage: { output: 10, reasoning: 6 } },
        { type: 'finish', reason: 'stop_sequence', stopSequence: '###' },
      ]),
    );
    expect(msg.content).toEqual([
      { type: 'thinking', thinking: 'Let me think.', signature: 'EqQBCgIYAhIM' },
      { type: 'text', text: '42' },
    ]);
    expect(msg.stop_reason).toBe('stop_sequence');
    expect(msg.stop_sequence).toBe('###');
    expect(msg.usage.output_tokens).toBe(16);
  });

  it('raises on our error frame', async () => {
    const text = encodeAll([
      start,
      { type: 'text_delta', text: 'partial' },
      { type: 'error', error: { status: 529, type: 'overloaded', message: 'Upstream overloaded' } },
    ]);
    await expect(sdkFinalMessage(text)).rejects.toMatchObject({ message: expect.stringContaining('Upstream overloaded') });
    await expect(sdkFinalMessage(text)).rejects.toBeInstanceOf(Anthropic.APIError);
  });

  it('raises when the stream ended without a finish', async () => {
    const enc = anthropicDialect.createStreamEncoder(ctx);
    const text = enc.write(start) + enc.write({ type: 'text_delta', text: 'cut' }) + enc.end();
    await expect(sdkFinalMessage(text)).rejects.toBeInstanceOf(Anthropic.APIError);
  });
});
