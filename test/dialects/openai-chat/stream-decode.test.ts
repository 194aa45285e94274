import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/canonical/types.js';
import { openAiChatDialect } from '../../../src/dialects/openai-chat/index.js';
import { SseParser } from '../../../src/dialects/sse.js';
import { loadCassette } from './cassettes.js';

/** Feed SSE bytes through the parser and the decoder, cut every `step` bytes. */
function decodeBytes(text: string, step = Number.POSITIVE_INFINITY): StreamEvent[] {
  const bytes = Buffer.from(text, 'utf8');
  const parser = new SseParser();
  const decoder = openAiChatDialect.createStreamDecoder();
  const out: StreamEvent[] = [];
  for (let i = 0; i < bytes.length; i += Math.min(step, bytes.length)) {
    for (const ev of parser.push(bytes.subarray(i, Math.min(i + step, bytes.length)))) out.push(...decoder.push(ev));
  }
  for (const ev of parser.end()) out.push(...decoder.push(ev));
  out.push(...decoder.end());
  return out;
}

const sse = (...frames: unknown[]) =>
  frames.map((f) => `data: ${typeof f === 'string' ? f : JSON.stringify(f)}\n\n`).join('');

const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1700000000,
  model: 'gpt-4o-2024-08-06',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  ...extra,
});

const usageChunk = (usage: Record<string, unknown>) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1700000000,
  model: 'gpt-4o-2024-08-06',
  choices: [],
  usage,
});

const textOf = (events: StreamEvent[]) => events.map((e) => (e.type === 'text_delta' ? e.text : '')).join('');

describe('openai-chat stream decoder: recorded streams', () => {
  const expectedText =
    'Hi there! How can I help today? I can answer questions, explain concepts, help with writing or brainstorming, code, plan something, and more. Tell me what you’d like to work on or a topic you’re curious about.';

  it.each([Number.POSITIVE_INFINITY, 1, 3, 7, 61])('chat-streaming, cut every %s bytes', (step) => {
    const events = decodeBytes(loadCassette('chat-streaming').responseText, step);
    expect(events[0]).toEqual({ type: 'start', id: 'chatcmpl-C4HqHBe4xca0k0EzsCnf1t6V3YFXp', model: 'gpt-5-nano-2025-08-07', created: 1755137933 });
    expect(textOf(events)).toBe(expectedText);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(events.filter((e) => e.type === 'finish' || e.type === 'start')).toHaveLength(2);
    expect(events.some((e) => e.type === 'error' || e.type === 'usage')).toBe(false);
  });

  it('chat-streaming-detailed-usage: the usage chunk after the finish chunk is reported before the finish', () => {
    const events = decodeBytes(loadCassette('chat-streaming-detailed-usage').responseText, 5);
    expect(events).toEqual([
      { type: 'start', id: 'chatcmpl-C4Hq5a6K3RaPMymUv70btQNYv6SvY', model: 'gpt-5-nano-2025-08-07', created: 1755137921 },
      { type: 'usage', usage: { input: 12, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 100 } },
      { type: 'finish', reason: 'length' },
    ]);
  });
});

describe('openai-chat stream decoder: shapes from the API reference and compatible servers', () => {
  // Tool-call fragments as OpenAI documents them: id, type and name in the first fragment of
  // each index, then argument pieces (here cut inside a \u escape and inside a word).
  const parallelTools = sse(
    chunk({ role: 'assistant', content: null }),
    chunk({ tool_calls: [{ index: 0, id: 'call_A', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":"Z\\u00' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: 'fcrich"}' } }] }),
    chunk({ tool_calls: [{ index: 1, id: 'call_B', type: 'function', function: { name: 'get_time', arguments: '{"tz":' } }] }),
    chunk({ tool_calls: [{ index: 1, function: { arguments: '"CET"}' } }] }),
    chunk({}, 'tool_calls'),
    usageChunk({ prompt_tokens: 80, completion_tokens: 40, total_tokens: 120, prompt_tokens_details: { cached_tokens: 64 }, completion_tokens_details: { reasoning_tokens: 0 } }),
    '[DONE]',
  );

  it.each([Number.POSITIVE_INFINITY, 1, 2, 13])('parallel tool calls, cut every %s bytes', (step) => {
    expect(decodeBytes(parallelTools, step)).toEqual([
      { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o-2024-08-06', created: 1700000000 },
      { type: 'tool_call_start', index: 0, id: 'call_A', name: 'get_weather' },
      { type: 'tool_call_delta', index: 0, arguments: '{"city":"Z\\u00' },
      { type: 'tool_call_delta', index: 0, arguments: 'fcrich"}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'tool_call_start', index: 1, id: 'call_B', name: 'get_time' },
      { type: 'tool_call_delta', index: 1, arguments: '{"tz":' },
      { type: 'tool_call_delta', index: 1, arguments: '"CET"}' },
      { type: 'tool_call_end', index: 1 },
      { type: 'usage', usage: { input: 16, cacheRead: 64, cacheWrite: 0, output: 40, reasoning: 0 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('text then a tool call whose name and arguments come in the same fragment', () => {
    const events = decodeBytes(
      sse(
        chunk({ role: 'assistant', content: 'Let me look.' }),
        chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'search', arguments: '{"q":"x"}' } }] }),
        chunk({}, 'tool_calls'),
        '[DONE]',
      ),
    );
    expect(events.slice(1)).toEqual([
      { type: 'text_delta', text: 'Let me look.' },
      { type: 'tool_call_start', index: 0, id: 'call_1', name: 'search' },
      { type: 'tool_call_delta', index: 0, arguments: '{"q":"x"}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('a first fragment with the id but no name yet waits for the name', () => {
    const events = decodeBytes(
      sse(
        chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: '{}' } }] }),
        chunk({}, 'tool_calls'),
        '[DONE]',
      ),
    );
    expect(events.slice(1)).toEqual([
      { type: 'tool_call_start', index: 0, id: 'call_1', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('Azure: the first chunk has empty choices and prompt_filter_results; chunks carry content_filter_results', () => {
    const azureFirst = {
      choices: [],
      created: 0,
      id: '',
      model: '',
      object: '',
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' } } }],
    };
    const withFilter = (delta: Record<string, unknown>, finish: string | null = null) => ({
      ...chunk(delta, finish),
      choices: [{ index: 0, delta, finish_reason: finish, content_filter_results: { hate: { filtered: false, severity: 'safe' } } }],
    });
    const events = decodeBytes(sse(azureFirst, withFilter({ role: 'assistant', content: '' }), withFilter({ content: 'Hello' }), withFilter({}, 'stop'), '[DONE]'));
    expect(events).toEqual([
      { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o-2024-08-06', created: 1700000000 },
      { type: 'text_delta', text: 'Hello' },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('DeepSeek / vLLM reasoning_content and OpenRouter reasoning are reasoning', () => {
    const deepseek = decodeBytes(
      sse(chunk({ role: 'assistant', content: null, reasoning_content: '' }), chunk({ reasoning_content: 'Think ' }), chunk({ reasoning_content: 'hard.' }), chunk({ content: 'Done', reasoning_content: null }), chunk({}, 'stop'), '[DONE]'),
    );
    expect(deepseek.slice(1)).toEqual([
      { type: 'reasoning_delta', text: 'Think ' },
      { type: 'reasoning_delta', text: 'hard.' },
      { type: 'text_delta', text: 'Done' },
      { type: 'finish', reason: 'stop' },
    ]);
    const openrouter = decodeBytes(sse(chunk({ role: 'assistant', content: '', reasoning: 'Hmm' }), chunk({ content: 'Yes' }), chunk({}, 'stop'), '[DONE]'));
    expect(openrouter.slice(1, 3)).toEqual([
      { type: 'reasoning_delta', text: 'Hmm' },
      { type: 'text_delta', text: 'Yes' },
    ]);
  });

  it("Gemini's OpenAI-compatible stream: the thought signature in extra_content", () => {
    const events = decodeBytes(
      sse(
        chunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'function-call-9', type: 'function', function: { name: 'f', arguments: '{"a":1}' }, extra_content: { google: { thought_signature: 'CiQB' } } }] }),
        chunk({}, 'stop'),
        '[DONE]',
      ),
    );
    expect(events[1]).toEqual({ type: 'tool_call_start', index: 0, id: 'function-call-9', name: 'f', thoughtSignature: 'CiQB' });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('a refusal is streamed as text and finishes as refusal', () => {
    const events = decodeBytes(sse(chunk({ role: 'assistant', content: null, refusal: '' }), chunk({ refusal: "I can't" }), chunk({ refusal: ' help.' }), chunk({}, 'stop'), '[DONE]'));
    expect(textOf(events)).toBe("I can't help.");
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'refusal' });
  });

  it('an in-band error frame is an error; nothing after it is read', () => {
    const events = decodeBytes(
      sse(chunk({ role: 'assistant', content: 'Hel' }), { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }, chunk({ content: 'lo' }), '[DONE]'),
    );
    expect(events.slice(1)).toEqual([
      { type: 'text_delta', text: 'Hel' },
      { type: 'error', error: { status: 502, type: 'upstream', message: 'The server had an error while processing your request.' } },
    ]);
  });

  it('a stream cut before its finish is an error; [DONE] without a finish_reason is a stop', () => {
    const cut = decodeBytes(sse(chunk({ role: 'assistant', content: 'Hel' })));
    expect(cut.at(-1)).toMatchObject({ type: 'error', error: { type: 'upstream' } });
    const lax = decodeBytes(sse(chunk({ role: 'assistant', content: 'Hi' }), '[DONE]'));
    expect(lax.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const empty = decodeBytes(sse('[DONE]'));
    expect(empty).toEqual([expect.objectContaining({ type: 'error' })]);
  });

  it('a stream without [DONE] still finishes when it had a finish_reason; comments and CRLF are fine', () => {
    const text = `: keep-alive\r\n\r\ndata: ${JSON.stringify(chunk({ role: 'assistant', content: 'ok' }))}\r\n\r\ndata: ${JSON.stringify(chunk({}, 'length'))}\r\n\r\n`;
    const events = decodeBytes(text, 4);
    expect(events.slice(1)).toEqual([
      { type: 'text_delta', text: 'ok' },
      { type: 'finish', reason: 'length' },
    ]);
  });
});
