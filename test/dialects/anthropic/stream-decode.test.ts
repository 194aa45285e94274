import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/canonical/types.js';
import { anthropicDialect } from '../../../src/dialects/anthropic/index.js';
import { SseParser } from '../../../src/dialects/sse.js';
import { fixtureText } from './helpers.js';

/** Feed raw SSE bytes in chunks of `size` bytes (splitting UTF-8 characters and JSON strings). */
function decodeBytes(bytes: Buffer, size: number): StreamEvent[] {
  const parser = new SseParser();
  const decoder = anthropicDialect.createStreamDecoder();
  const out: StreamEvent[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    for (const ev of parser.push(bytes.subarray(i, i + size))) out.push(...decoder.push(ev));
  }
  for (const ev of parser.end()) out.push(...decoder.push(ev));
  out.push(...decoder.end());
  // `created` is the decode time: not part of the golden output
  return out.map((e) => (e.type === 'start' ? { ...e, created: 0 } : e));
}

const CHUNK_SIZES = [1, 3, 7, 64, 100_000];

function argsOf(events: StreamEvent[], index: number): string {
  return events
    .filter((e): e is Extract<StreamEvent, { type: 'tool_call_delta' }> => e.type === 'tool_call_delta' && e.index === index)
    .map((e) => e.arguments)
    .join('');
}

describe('anthropic stream decoder on recorded streams', () => {
  it.each(CHUNK_SIZES)('basic_response.sse in %i-byte chunks', (size) => {
    expect(decodeBytes(Buffer.from(fixtureText('basic_response.sse')), size)).toEqual([
      { type: 'start', id: 'msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK', model: 'claude-opus-4-8', created: 0, usage: { input: 11 } },
      { type: 'text_delta', text: 'Hello' },
      { type: 'text_delta', text: ' there' },
      { type: 'text_delta', text: '!' },
      { type: 'usage', usage: { output: 6, reasoning: 0 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it.each(CHUNK_SIZES)('tool_use_response.sse (fragmented input_json_delta) in %i-byte chunks', (size) => {
    const events = decodeBytes(Buffer.from(fixtureText('tool_use_response.sse')), size);
    expect(events).toEqual([
      { type: 'start', id: 'msg_019Q1hrJbZG26Fb9BQhrkHEr', model: 'claude-opus-4-8', created: 0, usage: { input: 377, cacheRead: 0, cacheWrite: 0 } },
      { type: 'text_delta', text: 'I' },
      { type: 'text_delta', text: "'ll check the current weather in Paris for you." },
      { type: 'tool_call_start', index: 0, id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather' },
      { type: 'tool_call_delta', index: 0, arguments: '{"locati' },
      { type: 'tool_call_delta', index: 0, arguments: 'on": "P' },
      { type: 'tool_call_delta', index: 0, arguments: 'ar' },
      { type: 'tool_call_delta', index: 0, arguments: 'is"}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'usage', usage: { output: 65, reasoning: 0 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(JSON.parse(argsOf(events, 0))).toEqual({ location: 'Paris' });
  });

  it.each(CHUNK_SIZES)('incomplete_partial_json_response.sse: max_tokens inside the tool JSON -> length, partial args, no crash (%i)', (size) => {
    const events = decodeBytes(Buffer.from(fixtureText('incomplete_partial_json_response.sse')), size);
    expect(events.slice(-4)).toEqual([
      { type: 'tool_call_delta', index: 0, arguments: '\n"Filing taxes' },
      { type: 'tool_call_end', index: 0 },
      { type: 'usage', usage: { output: 124, reasoning: 0 } },
      { type: 'finish', reason: 'length' },
    ]);
    expect(events.filter((e) => e.type === 'tool_call_start')).toEqual([
      { type: 'tool_call_start', index: 0, id: 'toolu_01EKqbqmZrGRXy18eN7m9kvY', name: 'make_file' },
    ]);
    expect(argsOf(events, 0)).toBe(
      '{"filename": "taxes.txt", "lines_of_text": [\n"# COMPREHENSIVE TAX GUIDE FOR INDIVIDUALS WITH MULTIPLE W-2s",\n"",\n"## INTRODUCTION",\n"",\n"Filing taxes',
    );
    const text = events.flatMap((e) => (e.type === 'text_delta' ? [e.text] : [])).join('');
    expect(text).toBe(
      "I'll create a comprehensive tax guide for someone with multiple W2s and save it in a file called taxes.txt. Let me do that for you now.",
    );
    expect(events.some((e) => e.type === 'error')).toBe(false);
  });

  it.each(CHUNK_SIZES)('stream-a-toolrefusal.sse: server tool blocks skipped, refusal, usage from message_delta (%i)', (size) => {
    expect(decodeBytes(Buffer.from(fixtureText('stream-a-toolrefusal.sse')), size)).toEqual([
      { type: 'start', id: 'msg_fixture_atool_0001', model: 'claude-fable-5', created: 0, usage: { input: 612, cacheRead: 0, cacheWrite: 0 } },
      { type: 'text_delta', text: "Here's a summary of this year's solar eclipses and how" },
      // message_delta usage is cumulative and overrides; 67 of the 106 output tokens were thinking
      { type: 'usage', usage: { input: 28, cacheRead: 0, cacheWrite: 0, output: 39, reasoning: 67 } },
      { type: 'finish', reason: 'refusal' },
    ]);
  });
});

function sse(...events: Array<[string, unknown]>): string {
  return events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join('');
}

const messageStart = [
  'message_start',
  {
    type: 'message_start',
    message: {
      id: 'msg_x',
      type: 'message',
      role: 'assistant',
      model: 'claude-opus-4-6',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 20, cache_creation_input_tokens: 3, cache_read_input_tokens: 100, output_tokens: 1 },
    },
  },
] as [string, unknown];

describe('anthropic stream decoder: thinking, errors, truncation', () => {
  it('decodes thinking deltas, a signature, redacted thinking and a stop sequence', () => {
    const text = sse(
      messageStart,
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think. é' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'RED' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 1 }],
      ['content_block_start', { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: '42' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 2 }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'stop_sequence', stop_sequence: '###' }, usage: { output_tokens: 30 } }],
      ['message_stop', { type: 'message_stop' }],
    );
    expect(decodeBytes(Buffer.from(text), 5)).toEqual([
      { type: 'start', id: 'msg_x', model: 'claude-opus-4-6', created: 0, usage: { input: 20, cacheRead: 100, cacheWrite: 3 } },
      { type: 'reasoning_delta', text: 'Let me ', origin: 'anthropic' },
      { type: 'reasoning_delta', text: 'think. é', origin: 'anthropic' },
      { type: 'reasoning_delta', text: '', origin: 'anthropic', signature: 'EqQBCgIYAhIM' },
      { type: 'reasoning_delta', text: '', origin: 'anthropic', redactedData: 'RED' },
      { type: 'text_delta', text: '42' },
      { type: 'usage', usage: { output: 30, reasoning: 0 } },
      { type: 'finish', reason: 'stop_sequence', stopSequence: '###' },
    ]);
  });

  it('turns an in-band overloaded_error after HTTP 200 into an error event (529)', () => {
    const text =
      sse(messageStart, ['ping', { type: 'ping' }]) +
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    const events = decodeBytes(Buffer.from(text), 4);
    expect(events.slice(1)).toEqual([{ type: 'error', error: { status: 529, type: 'overloaded', message: 'Overloaded' } }]);
  });

  it('reports a stream cut before message_delta as an error', () => {
    const text = sse(messageStart, [
      'content_block_start',
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ]);
    const events = decodeBytes(Buffer.from(text), 1000);
    expect(events[events.length - 1]).toMatchObject({ type: 'error', error: { status: 502, type: 'upstream' } });
  });

  it('accepts \\r\\n line endings and comments', () => {
    const text = `: keep-alive\r\n\r\n${sse(messageStart, ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } }], ['message_stop', { type: 'message_stop' }]).replace(/\n/g, '\r\n')}`;
    const events = decodeBytes(Buffer.from(text), 2);
    expect(events.map((e) => e.type)).toEqual(['start', 'usage', 'finish']);
  });
});
