import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/canonical/errors.js';
import type { CanonicalRequest } from '../../../src/canonical/types.js';
import { openAiChatDialect } from '../../../src/dialects/openai-chat/index.js';
import { loadCassette } from './cassettes.js';

const { decodeRequest, encodeRequest } = openAiChatDialect;

function anthropicLike(partial: Partial<CanonicalRequest>): CanonicalRequest {
  return {
    model: 'claude-sonnet-4-5',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    stream: false,
    sourceDialect: 'anthropic',
    ...partial,
  };
}

describe('openai-chat encodeRequest: recorded requests round-trip', () => {
  // decode what the client sent, encode for the upstream: OpenAI got exactly this body
  it.each(['chat-basic', 'chat-tools', 'chat-parallel-tools', 'chat-multiturn', 'chat-json-mode', 'chat-multimodal', 'chat-image-to-text', 'chat-detailed-usage'])(
    '%s',
    (name) => {
      const c = loadCassette(name);
      const { body, dropped } = encodeRequest(decodeRequest(c.requestBody), { upstreamModel: 'gpt-5-nano' });
      expect(body).toEqual(c.requestBody);
      expect(dropped).toEqual([]);
    },
  );

  it('chat-streaming / chat-streaming-detailed-usage: streaming always asks for usage', () => {
    for (const name of ['chat-streaming', 'chat-streaming-detailed-usage']) {
      const c = loadCassette(name);
      const { body } = encodeRequest(decodeRequest(c.requestBody), { upstreamModel: 'gpt-5-nano' });
      expect(body).toEqual({ ...c.requestBody, stream_options: { include_usage: true } });
    }
  });

  it('renames the model to the upstream id', () => {
    const { body } = encodeRequest(decodeRequest(loadCassette('chat-basic').requestBody), { upstreamModel: 'my-deployment' });
    expect(body.model).toBe('my-deployment');
  });
});

describe('openai-chat encodeRequest: from other dialects', () => {
  it('keeps system and developer messages where they are', () => {
    const { body } = encodeRequest(
      anthropicLike({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'be brief' }, { type: 'text', text: 'be kind' }] },
          { role: 'user', content: [{ type: 'text', text: 'q' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'a' }] },
          { role: 'developer', content: [{ type: 'text', text: 'now in French' }] },
          { role: 'user', content: [{ type: 'text', text: 'q2' }] },
        ],
      }),
      { upstreamModel: 'gpt-4o' },
    );
    expect(body.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'be brief' }, { type: 'text', text: 'be kind' }] },
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a' },
      { role: 'developer', content: 'now in French' },
      { role: 'user', content: 'q2' },
    ]);
  });

  it('tool calls and results: one tool message per result; images go to a user message after the run', () => {
    const png = { kind: 'base64' as const, mediaType: 'image/png', data: 'iVBOR' };
    const { body } = encodeRequest(
      anthropicLike({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'screenshot and weather' }] },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'thinking…', origin: 'anthropic', signature: 'EqQB' },
              { type: 'text', text: 'Let me check.' },
              { type: 'tool_call', id: 'toolu_1', name: 'screenshot', arguments: '{}' },
              { type: 'tool_call', id: 'toolu_2', name: 'weather', arguments: '{"city":"Oslo"}', thoughtSignature: 'gem' },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool_result', toolCallId: 'toolu_1', content: [{ type: 'text', text: 'taken' }, { type: 'image', source: png }] },
              { type: 'tool_result', toolCallId: 'toolu_2', content: [{ type: 'text', text: 'no such city' }], isError: true },
            ],
          },
          { role: 'user', content: [{ type: 'text', text: 'thanks' }] },
        ],
      }),
      { upstreamModel: 'gpt-4o' },
    );
    expect(body.messages).toEqual([
      { role: 'user', content: 'screenshot and weather' },
      {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'screenshot', arguments: '{}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'taken\n(1 attachment returned by this tool follows in the next user message)' },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'Error: no such city' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Attachments returned by tool call toolu_1:' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR' } },
        ],
      },
      { role: 'user', content: 'thanks' },
    ]);
    // no foreign opaque state reaches OpenAI
    expect(JSON.stringify(body)).not.toMatch(/EqQB|thought_signature|"gem"/);
  });

  it('an assistant turn with only tool calls has content null', () => {
    const { body } = encodeRequest(
      anthropicLike({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'x' }] },
          { role: 'assistant', content: [{ type: 'tool_call', id: 't', name: 'f', arguments: '' }] },
          { role: 'tool', content: [{ type: 'tool_result', toolCallId: 't', content: [] }] },
        ],
      }),
      { upstreamModel: 'gpt-4o' },
    );
    expect(body.messages).toEqual([
      { role: 'user', content: 'x' },
      { role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 't', content: '' },
    ]);
  });

  it('user media: base64 image, URL image with detail, PDF, audio', () => {
    const { body } = encodeRequest(
      anthropicLike({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/x.png' }, detail: 'high' },
              { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBER' } },
              { type: 'audio', data: 'UklGR', format: 'wav' },
            ],
          },
        ],
      }),
      { upstreamModel: 'gpt-4o' },
    );
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/' } },
          { type: 'image_url', image_url: { url: 'https://example.com/x.png', detail: 'high' } },
          { type: 'file', file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBER' } },
          { type: 'input_audio', input_audio: { data: 'UklGR', format: 'wav' } },
        ],
      },
    ]);
  });

  it('a file by URL cannot be sent: 400', () => {
    const req = anthropicLike({
      messages: [{ role: 'user', content: [{ type: 'file', source: { kind: 'url', url: 'https://example.com/a.pdf' } }] }],
    });
    expect(() => encodeRequest(req, { upstreamModel: 'gpt-4o' })).toThrow(GatewayError);
  });

  it('parameters, tool choice, response format; unknown fields and cache hints reported as dropped', () => {
    const { body, dropped } = encodeRequest(
      anthropicLike({
        messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cacheControl: { type: 'ephemeral' } }] }],
        tools: [{ name: 'f', description: 'd', parameters: { type: 'object' }, strict: true }],
        toolChoice: { type: 'tool', name: 'f' },
        parallelToolCalls: false,
        responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
        maxTokens: 1024,
        temperature: 0.3,
        topP: 0.8,
        topK: 40,
        stop: ['###'],
        seed: 1,
        presencePenalty: 0.5,
        frequencyPenalty: 0.5,
        logprobs: true,
        topLogprobs: 2,
        user: 'u',
        metadata: { a: 'b' },
        promptCacheKey: 'k',
        unknownFields: { service_tier: 'auto', anthropic_beta: ['x'] },
      }),
      { upstreamModel: 'gpt-4o' },
    );
    expect(body).toEqual({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object' }, strict: true } }],
      parallel_tool_calls: false,
      tool_choice: { type: 'function', function: { name: 'f' } },
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
      max_tokens: 1024,
      temperature: 0.3,
      top_p: 0.8,
      stop: ['###'],
      seed: 1,
      presence_penalty: 0.5,
      frequency_penalty: 0.5,
      user: 'u',
      metadata: { a: 'b' },
      prompt_cache_key: 'k',
    });
    expect(dropped.sort()).toEqual(['anthropic_beta', 'cache_control', 'logprobs', 'service_tier', 'top_k', 'top_logprobs']);
  });

  it('parallel_tool_calls is only sent with tools', () => {
    const { body } = encodeRequest(anthropicLike({ parallelToolCalls: false }), { upstreamModel: 'gpt-4o' });
    expect(body).not.toHaveProperty('parallel_tool_calls');
  });

  it('allowed tools and the string tool choices', () => {
    const enc = (toolChoice: CanonicalRequest['toolChoice']) =>
      encodeRequest(anthropicLike({ toolChoice }), { upstreamModel: 'gpt-4o' }).body.tool_choice;
    expect(enc({ type: 'auto' })).toBe('auto');
    expect(enc({ type: 'none' })).toBe('none');
    expect(enc({ type: 'required' })).toBe('required');
    expect(enc({ type: 'allowed', names: ['a', 'b'], mode: 'auto' })).toEqual({
      type: 'allowed_tools',
      allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'a' } }, { type: 'function', function: { name: 'b' } }] },
    });
  });

  it('reasoning: effort as is; a budget by the table; max_completion_tokens when reasoning', () => {
    const enc = (reasoning: CanonicalRequest['reasoning'], upstreamModel = 'deepseek-reasoner') =>
      encodeRequest(anthropicLike({ reasoning, maxTokens: 4096 }), { upstreamModel }).body;
    expect(enc({ effort: 'low' })).toMatchObject({ reasoning_effort: 'low', max_completion_tokens: 4096 });
    expect(enc({ enabled: true, budgetTokens: 1024 })).toMatchObject({ reasoning_effort: 'low' });
    expect(enc({ enabled: true, budgetTokens: 1025 })).toMatchObject({ reasoning_effort: 'medium' });
    expect(enc({ enabled: true, budgetTokens: 8192 })).toMatchObject({ reasoning_effort: 'medium' });
    expect(enc({ enabled: true, budgetTokens: 8193 })).toMatchObject({ reasoning_effort: 'high' });
    const off = enc({ enabled: false });
    expect(off).not.toHaveProperty('reasoning_effort');
    expect(off).toMatchObject({ max_tokens: 4096 });
    // OpenAI's reasoning models refuse max_tokens (recorded in chat-bad-request): always the new name
    const gpt5 = enc(undefined, 'gpt-5-nano');
    expect(gpt5).toMatchObject({ max_completion_tokens: 4096 });
    expect(gpt5).not.toHaveProperty('max_tokens');
    expect(enc(undefined, 'openai/o4-mini')).toMatchObject({ max_completion_tokens: 4096 });
  });

  it('the max_tokens refusal this avoids is the one recorded from OpenAI', () => {
    const c = loadCassette('chat-bad-request');
    expect(c.requestBody.model).toBe('gpt-5-nano');
    expect(JSON.parse(c.responseText)).toMatchObject({ error: { param: 'max_tokens', code: 'unsupported_parameter' } });
  });

  it('n > 1 is refused with param n; n = 1 passes', () => {
    expect(() => encodeRequest(anthropicLike({ n: 2 }), { upstreamModel: 'gpt-4o' })).toThrow(
      expect.objectContaining({ status: 400, param: 'n' }),
    );
    expect(() => encodeRequest(anthropicLike({ n: 1 }), { upstreamModel: 'gpt-4o' })).not.toThrow();
  });

  it('built-in tools of another dialect are refused', () => {
    const req = anthropicLike({ builtinTools: [{ dialect: 'anthropic', type: 'web_search_20250305', value: {} }] });
    expect(() => encodeRequest(req, { upstreamModel: 'gpt-4o' })).toThrow(expect.objectContaining({ status: 400, param: 'tools' }));
  });
});

describe('openai-chat encodeRequest: from a chat client', () => {
  it('copies unknown fields and extra stream options; passes chat reasoning back as reasoning_content', () => {
    const req = decodeRequest({
      model: 'deepseek-reasoner',
      stream: true,
      stream_options: { include_usage: false, include_obfuscation: false },
      store: true,
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, reasoning_content: 'I should call f', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'r' },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
      functions: undefined,
    });
    const { body, dropped } = encodeRequest(req, { upstreamModel: 'deepseek-reasoner' });
    expect(dropped).toEqual([]);
    expect(body).toEqual({
      model: 'deepseek-reasoner',
      stream: true,
      stream_options: { include_obfuscation: false, include_usage: true },
      store: true,
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, reasoning_content: 'I should call f', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'r' },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
    });
  });

  it('Anthropic thinking blocks from a chat history are not sent to an OpenAI upstream', () => {
    const req = decodeRequest({
      model: 'm',
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a', thinking_blocks: [{ type: 'thinking', thinking: 't', signature: 'S' }] },
        { role: 'user', content: 'q2' },
      ],
    });
    const { body } = encodeRequest(req, { upstreamModel: 'gpt-4o' });
    expect(body.messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a' },
      { role: 'user', content: 'q2' },
    ]);
  });
});
