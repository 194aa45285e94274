import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/canonical/errors.js';
import { extractSignatureFromId } from '../../../src/canonical/opaque.js';
import type { CanonicalRequest, CanonicalResponse, FinishReason } from '../../../src/canonical/types.js';
import { openAiChatDialect } from '../../../src/dialects/openai-chat/index.js';
import { loadCassette, responseJson } from './cassettes.js';

const { decodeResponse, encodeResponse } = openAiChatDialect;
const request: CanonicalRequest = { model: 'gpt-5-nano', messages: [], stream: false, sourceDialect: 'openai-chat' };
const ctx = { model: 'gpt-5-nano', request };

describe('openai-chat decodeResponse: recorded responses', () => {
  it('chat-basic: text, stop, usage in five buckets (completion includes reasoning)', () => {
    const res = decodeResponse(responseJson(loadCassette('chat-basic')));
    expect(res).toEqual({
      id: 'chatcmpl-C4Gm9xikLXbgE8He0BHWeoM03aa72',
      model: 'gpt-5-nano-2025-08-07',
      created: 1755133833,
      content: [
        {
          type: 'text',
          text: 'Hi there! How can I help you today? I can explain concepts, answer questions, help with writing or editing, brainstorm ideas, assist with coding or math, plan tasks, and more. Tell me what you’d like to do.',
        },
      ],
      finishReason: 'stop',
      usage: { input: 8, cacheRead: 0, cacheWrite: 0, output: 57, reasoning: 320 },
    });
  });

  it('chat-tools: content null, one tool call with raw arguments', () => {
    const res = decodeResponse(responseJson(loadCassette('chat-tools')));
    expect(res.content).toEqual([
      {
        type: 'tool_call',
        id: 'call_8fxy20OEu9ulvvaa5b5CzVA4',
        name: 'get_current_weather',
        arguments: '{"location":"Boston, MA","unit":"fahrenheit"}',
      },
    ]);
    expect(res.finishReason).toBe('tool_calls');
    expect(res.usage).toEqual({ input: 162, cacheRead: 0, cacheWrite: 0, output: 31, reasoning: 256 });
  });

  it('chat-detailed-usage: an empty answer cut by length has no text block', () => {
    const res = decodeResponse(responseJson(loadCassette('chat-detailed-usage')));
    expect(res.content).toEqual([]);
    expect(res.finishReason).toBe('length');
    expect(res.usage).toEqual({ input: 12, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 100 });
  });

  it('azure-chat-basic: content filter annotations are ignored', () => {
    const res = decodeResponse(responseJson(loadCassette('azure-chat-basic')));
    expect(res.content).toHaveLength(1);
    expect(res.finishReason).toBe('stop');
    expect(res.usage).toEqual({ input: 8, cacheRead: 0, cacheWrite: 0, output: 79, reasoning: 192 });
  });
});

describe('openai-chat decodeResponse: other shapes', () => {
  const wrap = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    id: 'x',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
    ...extra,
  });

  it('cached prompt tokens are taken out of input', () => {
    const res = decodeResponse(
      wrap({ content: 'x' }, {
        usage: { prompt_tokens: 2006, completion_tokens: 300, total_tokens: 2306, prompt_tokens_details: { cached_tokens: 1920 }, completion_tokens_details: { reasoning_tokens: 0 } },
      }),
    );
    expect(res.usage).toEqual({ input: 86, cacheRead: 1920, cacheWrite: 0, output: 300, reasoning: 0 });
  });

  it('DeepSeek: reasoning_content and prompt_cache_hit_tokens', () => {
    const res = decodeResponse(
      wrap({ content: '42', reasoning_content: 'Let me think.' }, {
        usage: { prompt_tokens: 100, completion_tokens: 50, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36, completion_tokens_details: { reasoning_tokens: 40 } },
      }),
    );
    expect(res.content).toEqual([
      { type: 'reasoning', text: 'Let me think.' },
      { type: 'text', text: '42' },
    ]);
    expect(res.usage).toEqual({ input: 36, cacheRead: 64, cacheWrite: 0, output: 10, reasoning: 40 });
  });

  it('a refusal sets refusal and the finish reason', () => {
    const res = decodeResponse(wrap({ content: null, refusal: "I can't help with that." }));
    expect(res.refusal).toBe("I can't help with that.");
    expect(res.finishReason).toBe('refusal');
    expect(res.content).toEqual([]);
  });

  it("Gemini's OpenAI-compatible API: thought signature in extra_content; stop with tool calls means tool_calls", () => {
    const res = decodeResponse(
      wrap({
        content: null,
        tool_calls: [
          { id: 'function-call-1', type: 'function', function: { name: 'f', arguments: '{"a":1}' }, extra_content: { google: { thought_signature: 'CtIBAV' } } },
        ],
      }),
    );
    expect(res.content).toEqual([{ type: 'tool_call', id: 'function-call-1', name: 'f', arguments: '{"a":1}', thoughtSignature: 'CtIBAV' }]);
    expect(res.finishReason).toBe('tool_calls');
  });

  it('an error body with status 200 is raised as an error; garbage is a 502', () => {
    expect(() => decodeResponse({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } })).toThrow(
      expect.objectContaining({ type: 'rate_limit', status: 429 }),
    );
    expect(() => decodeResponse('<html>')).toThrow(expect.objectContaining({ status: 502, type: 'upstream' }));
  });
});

describe('openai-chat encodeResponse', () => {
  it.each(['chat-basic', 'chat-tools', 'chat-parallel-tools', 'chat-json-mode', 'chat-detailed-usage', 'chat-reasoning', 'chat-multiturn', 'chat-multimodal', 'chat-image-to-text', 'azure-chat-basic'])(
    '%s: decode then encode gives the body OpenAI sent (standard fields)',
    (name) => {
      const original = responseJson(loadCassette(name)) as {
        id: string;
        created: number;
        choices: Array<{ message: Record<string, unknown>; finish_reason: string }>;
        usage: Record<string, unknown> & {
          prompt_tokens_details: Record<string, unknown>;
          completion_tokens_details: Record<string, unknown>;
        };
      };
      const out = encodeResponse(decodeResponse(original), ctx) as typeof original & { object: string; model: string };
      const o = original.choices[0];
      expect(out.id).toBe(original.id);
      expect(out.object).toBe('chat.completion');
      expect(out.created).toBe(original.created);
      expect(out.model).toBe('gpt-5-nano');
      expect(out.choices).toEqual([
        {
          index: 0,
          logprobs: null,
          finish_reason: o?.finish_reason,
          message: {
            role: 'assistant',
            content: o?.message.content,
            refusal: null,
            ...(o?.message.tool_calls ? { tool_calls: o.message.tool_calls } : {}),
          },
        },
      ]);
      expect(out.usage).toEqual({
        prompt_tokens: original.usage.prompt_tokens,
        completion_tokens: original.usage.completion_tokens,
        total_tokens: original.usage.total_tokens,
        prompt_tokens_details: { cached_tokens: original.usage.prompt_tokens_details.cached_tokens },
        completion_tokens_details: { reasoning_tokens: original.usage.completion_tokens_details.reasoning_tokens },
      });
    },
  );

  const anthropicAnswer: CanonicalResponse = {
    id: 'msg_01ABC',
    model: 'claude-sonnet-4-5',
    created: 1700000000,
    content: [
      { type: 'reasoning', text: 'The user wants weather.', origin: 'anthropic', signature: 'EqQBCkYIBxgC' },
      { type: 'reasoning', text: '', origin: 'anthropic', redactedData: 'EmwKAhgBEgy' },
      { type: 'text', text: 'Checking.' },
      { type: 'tool_call', id: 'toolu_01', name: 'get_weather', arguments: '' },
    ],
    finishReason: 'tool_calls',
    usage: { input: 10, cacheRead: 100, cacheWrite: 50, output: 20, reasoning: 5 },
  };

  it('from Anthropic: reasoning_content, thinking_blocks, "{}" for empty arguments, usage totals', () => {
    expect(encodeResponse(anthropicAnswer, { model: 'my-claude', request })).toEqual({
      id: 'chatcmpl-msg_01ABC',
      object: 'chat.completion',
      created: 1700000000,
      model: 'my-claude',
      choices: [
        {
          index: 0,
          logprobs: null,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: 'Checking.',
            refusal: null,
            reasoning_content: 'The user wants weather.',
            thinking_blocks: [
              { type: 'thinking', thinking: 'The user wants weather.', signature: 'EqQBCkYIBxgC' },
              { type: 'redacted_thinking', data: 'EmwKAhgBEgy' },
            ],
            tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
          },
        },
      ],
      usage: {
        prompt_tokens: 160,
        completion_tokens: 25,
        total_tokens: 185,
        prompt_tokens_details: { cached_tokens: 100 },
        completion_tokens_details: { reasoning_tokens: 5 },
      },
    });
  });

  it('thinking_blocks round-trip: what the client sends back decodes to the same reasoning blocks', () => {
    const body = encodeResponse(anthropicAnswer, ctx) as { choices: Array<{ message: Record<string, unknown> }> };
    const message = body.choices[0]?.message ?? {};
    const next = openAiChatDialect.decodeRequest({ model: 'm', messages: [{ role: 'user', content: 'q' }, message, { role: 'tool', tool_call_id: 'toolu_01', content: 'sunny' }] });
    expect(next.messages[1]?.content.filter((b) => b.type === 'reasoning')).toEqual(anthropicAnswer.content.slice(0, 2));
  });

  it('from Gemini: the thought signature rides in the id and in extra_content, and comes back', () => {
    const res: CanonicalResponse = {
      id: 'resp-1',
      model: 'gemini-3-pro',
      created: 1,
      content: [{ type: 'tool_call', id: 'call_g1', name: 'f', arguments: '{"x":1}', thoughtSignature: 'sig/+=' }],
      finishReason: 'tool_calls',
      usage: { input: 1, cacheRead: 0, cacheWrite: 0, output: 1, reasoning: 0 },
    };
    const body = encodeResponse(res, ctx) as { choices: Array<{ message: { content: unknown; tool_calls: Array<{ id: string; extra_content: unknown }> } }> };
    const call = body.choices[0]?.message.tool_calls[0];
    expect(body.choices[0]?.message.content).toBeNull();
    expect(extractSignatureFromId(call?.id ?? '')).toEqual({ baseId: 'call_g1', signature: 'sig/+=' });
    expect(call?.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(call?.extra_content).toEqual({ google: { thought_signature: 'sig/+=' } });
    const next = openAiChatDialect.decodeRequest({ model: 'm', messages: [{ role: 'user', content: 'q' }, body.choices[0]?.message] });
    expect(next.messages[1]?.content[0]).toMatchObject({ thoughtSignature: 'sig/+=', id: call?.id });
  });

  const finishCases: Array<[FinishReason, string]> = [
    ['stop', 'stop'],
    ['stop_sequence', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
  ];
  it.each(finishCases)('finish %s -> %s', (reason, wire) => {
    const body = encodeResponse({ ...anthropicAnswer, content: [], finishReason: reason }, ctx) as { choices: Array<{ finish_reason: string; message: { content: unknown } }> };
    expect(body.choices[0]?.finish_reason).toBe(wire);
    expect(body.choices[0]?.message.content).toBe('');
  });

  it('a refusal: content null and message.refusal set', () => {
    const body = encodeResponse({ ...anthropicAnswer, content: [], refusal: 'No.', finishReason: 'refusal' }, ctx) as { choices: Array<{ message: Record<string, unknown> }> };
    expect(body.choices[0]?.message).toMatchObject({ content: null, refusal: 'No.' });
  });

  it('a response that ended in an error is an error, not a completion', () => {
    expect(() => encodeResponse({ ...anthropicAnswer, finishReason: 'error' }, ctx)).toThrow(GatewayError);
  });
});
