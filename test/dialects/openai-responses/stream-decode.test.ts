import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/canonical/types.js';
import { decodeStream, fixtureBytes } from './helpers.js';

/** Chunkings that split inside multi-byte UTF-8 characters, JSON strings and `\n\n`. */
const SPLITS: number[][] = [[1], [2], [3], [7], [13, 1, 2], [64, 5]];

function text(events: StreamEvent[]): string {
  return events.map((e) => (e.type === 'text_delta' ? e.text : '')).join('');
}

function reasoningText(events: StreamEvent[]): string {
  return events.map((e) => (e.type === 'reasoning_delta' ? e.text : '')).join('');
}

describe('openai-responses stream decoder (OpenAI upstream)', () => {
  it('text stream (stream-text.sse) -> start, text deltas, usage, finish', () => {
    const events = decodeStream(fixtureBytes('stream-text.sse'));
    expect(events).toEqual<StreamEvent[]>([
      { type: 'start', id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b', model: 'gpt-4.1-2025-04-14', created: 1741476542 },
      { type: 'text_delta', text: 'Olá! ' },
      { type: 'text_delta', text: '👋 Ça' },
      { type: 'text_delta', text: ' va? ' },
      { type: 'text_delta', text: '日本語' },
      { type: 'text_delta', text: 'のテキスト.' },
      { type: 'usage', usage: { input: 36, cacheRead: 0, cacheWrite: 0, output: 87, reasoning: 0 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it.each(SPLITS)('gives the same events when the bytes arrive in chunks of %j', (...sizes) => {
    for (const name of ['stream-text.sse', 'stream-function-calls.sse', 'stream-reasoning.sse']) {
      const whole = decodeStream(fixtureBytes(name));
      expect(decodeStream(fixtureBytes(name), sizes)).toEqual(whole);
    }
  });

  it('accepts CRLF line endings', () => {
    const crlf = Buffer.from(fixtureBytes('stream-text.sse').toString('utf8').replace(/\n/g, '\r\n'), 'utf8');
    expect(decodeStream(crlf, [5])).toEqual(decodeStream(fixtureBytes('stream-text.sse')));
  });

  it('encrypted reasoning then parallel function calls (stream-function-calls.sse)', () => {
    const events = decodeStream(fixtureBytes('stream-function-calls.sse'));
    expect(events).toEqual<StreamEvent[]>([
      { type: 'start', id: 'resp_68a1f2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607', model: 'gpt-5-2025-08-07', created: 1755500000 },
      {
        type: 'reasoning_delta',
        text: '',
        origin: 'openai',
        itemId: 'rs_68a1f2c4aa11bb22cc33dd44ee55ff6600112233445566aa',
        encryptedContent: 'gAAAAABo-ENCRYPTED-REASONING-STATE-1==',
        summary: true,
      },
      { type: 'tool_call_start', index: 0, id: 'call_12345xyz', name: 'get_weather' },
      { type: 'tool_call_delta', index: 0, arguments: '{"loc' },
      { type: 'tool_call_delta', index: 0, arguments: 'ation":"Paris' },
      { type: 'tool_call_delta', index: 0, arguments: ', France"}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'tool_call_start', index: 1, id: 'call_67890abc', name: 'get_weather' },
      { type: 'tool_call_delta', index: 1, arguments: '{"location":"Bogot' },
      { type: 'tool_call_delta', index: 1, arguments: 'á, Colombia"}' },
      { type: 'tool_call_end', index: 1 },
      { type: 'usage', usage: { input: 291, cacheRead: 0, cacheWrite: 0, output: 52, reasoning: 128 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('reasoning summary parts and text (stream-reasoning.sse)', () => {
    const events = decodeStream(fixtureBytes('stream-reasoning.sse'));
    expect(reasoningText(events)).toBe(
      '**Responding to a greeting**\n\nThe user just said, "Hello!" I\'ll greet them back.\n\n**Offering help**\n\nAsk what they need.',
    );
    const reasoning = events.filter((e) => e.type === 'reasoning_delta');
    expect(reasoning.every((e) => e.origin === 'openai' && e.itemId === 'rs_6806bfca0b2481918a5748308061a2600d3ce51bdffd5476')).toBe(true);
    expect(reasoning.at(-1)).toMatchObject({ text: '', encryptedContent: 'gAAAAABoCFCB-ENCRYPTED-REASONING-STATE-2==' });
    expect(text(events)).toBe('Hello! How can I help you today?');
    // all reasoning comes before the text
    const firstText = events.findIndex((e) => e.type === 'text_delta');
    expect(events.findLastIndex((e) => e.type === 'reasoning_delta')).toBeLessThan(firstText);
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { input: 176, cacheRead: 1024, cacheWrite: 0, output: 44, reasoning: 256 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('response.incomplete still carries usage and finishes with length (stream-incomplete.sse)', () => {
    const events = decodeStream(fixtureBytes('stream-incomplete.sse'));
    expect(text(events)).toBe('Once upon a time, in a land far');
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { input: 20, cacheRead: 0, cacheWrite: 0, output: 16, reasoning: 0 } },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it.each([
    ['stream-failed.sse', { status: 502, type: 'upstream', code: 'server_error', message: 'The model failed to generate a response.' }],
    [
      'stream-error-nested.sse',
      {
        status: 429,
        type: 'rate_limit',
        code: 'insufficient_quota',
        message: 'You exceeded your current quota, please check your plan and billing details.',
      },
    ],
    [
      'stream-error-flat.sse',
      {
        status: 429,
        type: 'rate_limit',
        code: 'rate_limit_exceeded',
        message: 'Rate limit reached for gpt-4.1 on tokens per min (TPM). Please try again in 6.57s.',
      },
    ],
  ])('%s ends in one error event', (name, error) => {
    const events = decodeStream(fixtureBytes(name));
    expect(events.filter((e) => e.type === 'error')).toEqual([{ type: 'error', error }]);
    expect(events.at(-1)?.type).toBe('error');
    expect(events.some((e) => e.type === 'finish')).toBe(false);
  });

  it('a stream cut before response.completed ends with an error, not a clean finish', () => {
    const full = fixtureBytes('stream-text.sse').toString('utf8');
    const cut = full.slice(0, full.indexOf('event: response.completed'));
    const events = decodeStream(Buffer.from(cut, 'utf8'));
    expect(text(events)).toBe('Olá! 👋 Ça va? 日本語のテキスト.');
    expect(events.at(-1)).toEqual({
      type: 'error',
      error: { status: 502, type: 'upstream', message: 'The upstream stream ended before response.completed' },
    });
  });

  it('arguments sent only whole (no deltas) are emitted once; [DONE] is tolerated', () => {
    const frames = [
      { type: 'response.created', response: { id: 'resp_1', model: 'm', created_at: 1 } },
      { type: 'response.output_item.added', output_index: 0, item: { id: 'fc_1', type: 'function_call', call_id: 'c1', name: 'f', arguments: '' } },
      { type: 'response.function_call_arguments.done', item_id: 'fc_1', output_index: 0, arguments: '{"a":1}' },
      { type: 'response.output_item.done', output_index: 0, item: { id: 'fc_1', type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"a":1}' } },
      { type: 'response.completed', response: { id: 'resp_1', status: 'completed', output: [], usage: null } },
    ];
    const sse = frames.map((f) => `event: ${f.type}\ndata: ${JSON.stringify(f)}\n\n`).join('') + 'data: [DONE]\n\n';
    expect(decodeStream(Buffer.from(sse))).toEqual<StreamEvent[]>([
      { type: 'start', id: 'resp_1', model: 'm', created: 1 },
      { type: 'tool_call_start', index: 0, id: 'c1', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{"a":1}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });
});
