import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/canonical/errors.js';
import type { CanonicalRequest, ContentBlock } from '../../../src/canonical/types.js';
import { ANTHROPIC_DEFAULT_MAX_TOKENS, anthropicDialect, fromAnthropicId } from '../../../src/dialects/anthropic/index.js';
import { baseRequest, fixtureJson } from './helpers.js';

const encode = (req: CanonicalRequest) => anthropicDialect.encodeRequest(req, { upstreamModel: 'claude-sonnet-4-5' });

function encodeError(req: CanonicalRequest): GatewayError {
  try {
    encode(req);
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('expected a GatewayError');
}

const user = (text: string): CanonicalRequest['messages'][number] => ({ role: 'user', content: [{ type: 'text', text }] });
const call = (id: string, name: string, args: string): ContentBlock => ({ type: 'tool_call', id, name, arguments: args });
const result = (id: string, text: string): ContentBlock => ({ type: 'tool_result', toolCallId: id, content: [{ type: 'text', text }] });

describe('anthropic encodeRequest: system and message structure', () => {
  it('hoists leading system/developer messages into system text blocks, keeping cache_control', () => {
    const { body } = encode(
      baseRequest({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
          { role: 'developer', content: [{ type: 'text', text: 'Use tools.', cacheControl: { type: 'ephemeral', ttl: '1h' } }] },
          user('Hi'),
        ],
      }),
    );
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: ANTHROPIC_DEFAULT_MAX_TOKENS,
      system: [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: 'Use tools.', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
  });

  it('puts a mid-conversation system message after the tool results, never between tool_use and tool_result', () => {
    const { body } = encode(
      baseRequest({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'S' }] },
          user('Weather in Paris and Rome?'),
          { role: 'assistant', content: [call('call_1', 'weather', '{"city":"Paris"}'), call('call_2', 'weather', '{"city":"Rome"}')] },
          { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
          { role: 'tool', content: [result('call_1', '18C')] },
          { role: 'tool', content: [result('call_2', '24C')] },
          user('Thanks'),
        ],
      }),
    );
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: '24C' },
          { type: 'text', text: '[system] Answer in French.' },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
  });

  it('merges consecutive same-role messages and drops empty text (an empty assistant turn disappears)', () => {
    const { body } = encode(
      baseRequest({
        messages: [
          user('one'),
          user('two'),
          { role: 'assistant', content: [{ type: 'text', text: '' }] },
          user('three'),
          { role: 'assistant', content: [{ type: 'text', text: '' }, call('c1', 'f', '')] },
          { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'c1', content: [{ type: 'text', text: '' }] }] },
        ],
      }),
    );
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }, { type: 'text', text: 'three' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'f', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1' }] },
    ]);
  });

  it('handles a 20,000-message conversation with interleaved system notes in one pass', () => {
    const messages: CanonicalRequest['messages'] = [];
    for (let i = 0; i < 5000; i++) {
      messages.push(user(`q${i}`));
      messages.push({ role: 'assistant', content: [call(`c${i}`, 'f', '{}')] });
      messages.push({ role: 'system', content: [{ type: 'text', text: `note ${i}` }] });
      messages.push({ role: 'tool', content: [result(`c${i}`, 'ok')] });
    }
    const out = encode(baseRequest({ messages })).body.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
    // user q0, then per round: assistant tool_use, user [result, note, next question]
    expect(out).toHaveLength(1 + 2 * 5000);
    expect(out[2]?.content).toEqual([
      { type: 'tool_result', tool_use_id: 'c0', content: 'ok' },
      { type: 'text', text: '[system] note 0' },
      { type: 'text', text: 'q1' },
    ]);
  });

  it('trims trailing whitespace of a final assistant (prefill) turn', () => {
    const { body } = encode(baseRequest({ messages: [user('Q'), { role: 'assistant', content: [{ type: 'text', text: '{"a": ' }] }] }));
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Q' }] },
      { role: 'assistant', content: [{ type: 'text', text: '{"a":' }] },
    ]);
  });

  it('rejects a request with only system messages', () => {
    const err = encodeError(baseRequest({ messages: [{ role: 'system', content: [{ type: 'text', text: 'S' }] }] }));
    expect(err.status).toBe(400);
    expect(err.param).toBe('messages');
  });

  it('reports message names as dropped', () => {
    expect(encode(baseRequest({ messages: [{ role: 'user', name: 'bob', content: [{ type: 'text', text: 'x' }] }] })).dropped).toEqual(['name']);
  });
});

describe('anthropic encodeRequest: tool calls, ids and reasoning', () => {
  it('rejects invalid JSON arguments naming the tool call', () => {
    const err = encodeError(baseRequest({ messages: [user('q'), { role: 'assistant', content: [call('call_9', 'lookup', '{"a":')] }] }));
    expect(err.status).toBe(400);
    expect(err.message).toContain('call_9');
    expect(err.message).toContain('lookup');
  });

  it('sends safe ids as they are and maps unsafe ids the same way in tool_use and tool_result, reversibly', () => {
    const unsafe = 'call.1/x';
    const { body } = encode(
      baseRequest({
        messages: [
          user('q'),
          { role: 'assistant', content: [call(unsafe, 'f', '{}'), call('toolu_ok-1', 'f', '{}')] },
          { role: 'tool', content: [result(unsafe, 'a'), result('toolu_ok-1', 'b')] },
        ],
      }),
    );
    const msgs = body.messages as Array<{ content: Array<Record<string, unknown>> }>;
    const useId = msgs[1]?.content[0]?.id as string;
    expect(useId).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(useId).not.toBe(unsafe);
    expect(msgs[2]?.content[0]?.tool_use_id).toBe(useId);
    expect(fromAnthropicId(useId)).toBe(unsafe);
    expect(msgs[1]?.content[1]?.id).toBe('toolu_ok-1');
  });

  it('keeps Anthropic thinking blocks in place and drops other vendors and unsigned reasoning', () => {
    const { body } = encode(
      baseRequest({
        messages: [
          user('q'),
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'gemini thought', origin: 'gemini', signature: 'g-sig' },
              { type: 'reasoning', text: 'plain reasoning_content' },
              { type: 'reasoning', text: 'mine', origin: 'anthropic', signature: 'a-sig' },
              { type: 'reasoning', text: '', origin: 'anthropic', redactedData: 'REDACTED' },
              { type: 'text', text: 'answer' },
              { ...call('c1', 'f', '{"x":1}'), thoughtSignature: 'gemini-sig' } as ContentBlock,
            ],
          },
          { role: 'tool', content: [result('c1', 'ok')] },
        ],
      }),
    );
    expect((body.messages as Array<{ content: unknown }>)[1]?.content).toEqual([
      { type: 'thinking', thinking: 'mine', signature: 'a-sig' },
      { type: 'redacted_thinking', data: 'REDACTED' },
      { type: 'text', text: 'answer' },
      { type: 'tool_use', id: 'c1', name: 'f', input: { x: 1 } },
    ]);
  });

  it('replays Anthropic server-tool blocks and reports other vendors built-in items', () => {
    const { body, dropped } = encode(
      baseRequest({
        messages: [
          user('q'),
          {
            role: 'assistant',
            content: [
              { type: 'opaque', dialect: 'anthropic', value: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} } },
              { type: 'opaque', dialect: 'openai-responses', value: { type: 'web_search_call' } },
              { type: 'text', text: 'done' },
            ],
          },
        ],
      }),
    );
    expect((body.messages as Array<{ content: unknown }>)[1]?.content).toEqual([
      { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
      { type: 'text', text: 'done' },
    ]);
    expect(dropped).toEqual(['openai-responses built-in tool items']);
  });
});

describe('anthropic encodeRequest: media', () => {
  const withContent = (content: ContentBlock[]) => baseRequest({ messages: [{ role: 'user', content }] });
  const firstBlock = (req: CanonicalRequest) =>
    (encode(req).body.messages as Array<{ content: unknown[] }>)[0]?.content[0];

  it.each<[string, ContentBlock, unknown]>([
    [
      'base64 png',
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAA' }, detail: 'high' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA' } },
    ],
    [
      'a data: URL',
      { type: 'image', source: { kind: 'url', url: 'data:image/webp;base64,UklGR' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: 'UklGR' } },
    ],
    [
      'an https URL',
      { type: 'image', source: { kind: 'url', url: 'https://example.com/a.gif' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.gif' } },
    ],
    [
      'a PDF file',
      { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBER' }, filename: 'a.pdf' },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBER' }, title: 'a.pdf' },
    ],
    [
      'a plain-text file',
      { type: 'file', source: { kind: 'base64', mediaType: 'text/plain', data: Buffer.from('hello').toString('base64') } },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'hello' } },
    ],
    [
      'a PDF URL',
      { type: 'file', source: { kind: 'url', url: 'https://example.com/a.pdf' } },
      { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
    ],
  ])('encodes %s', (_name, block, expected) => {
    expect(firstBlock(withContent([block]))).toEqual(expected);
  });

  it.each<[string, ContentBlock, string]>([
    ['a bmp image', { type: 'image', source: { kind: 'base64', mediaType: 'image/bmp', data: 'Qk0' } }, 'image/bmp'],
    ['an ftp image URL', { type: 'image', source: { kind: 'url', url: 'ftp://example.com/a.png' } }, 'http'],
    ['a Word file', { type: 'file', source: { kind: 'base64', mediaType: 'application/msword', data: 'AAA' } }, 'application/msword'],
    ['audio', { type: 'audio', data: 'AAA', format: 'wav' }, 'Audio'],
  ])('rejects %s with a 400', (_name, block, inMessage) => {
    const err = encodeError(withContent([block]));
    expect(err.status).toBe(400);
    expect(err.message).toContain(inMessage);
  });
});

describe('anthropic encodeRequest: tools and tool_choice', () => {
  const tools = [{ name: 'f', description: 'F', parameters: { type: 'object', properties: { a: { type: 'string' } } } }];

  it('encodes function tools and passes only Anthropic built-in tools', () => {
    const { body, dropped } = encode(
      baseRequest({
        tools: [...tools, { name: 'g', parameters: {}, cacheControl: { type: 'ephemeral' } }],
        builtinTools: [
          { dialect: 'anthropic', type: 'web_search_20250305', value: { type: 'web_search_20250305', name: 'web_search' } },
          { dialect: 'openai-responses', type: 'web_search', value: { type: 'web_search' } },
        ],
      }),
    );
    expect(body.tools).toEqual([
      { name: 'f', description: 'F', input_schema: { type: 'object', properties: { a: { type: 'string' } } } },
      { name: 'g', input_schema: { type: 'object', properties: {} }, cache_control: { type: 'ephemeral' } },
      { type: 'web_search_20250305', name: 'web_search' },
    ]);
    expect(dropped).toEqual(['tools[web_search]']);
  });

  it.each<[string, Partial<CanonicalRequest>, unknown]>([
    ['auto', { toolChoice: { type: 'auto' } }, { type: 'auto' }],
    ['none', { toolChoice: { type: 'none' } }, { type: 'none' }],
    ['required -> any', { toolChoice: { type: 'required' } }, { type: 'any' }],
    ['a named tool', { toolChoice: { type: 'tool', name: 'f' } }, { type: 'tool', name: 'f' }],
    ['one allowed tool, required', { toolChoice: { type: 'allowed', names: ['f'], mode: 'required' } }, { type: 'tool', name: 'f' }],
    ['parallel_tool_calls false alone', { parallelToolCalls: false }, { type: 'auto', disable_parallel_tool_use: true }],
    ['required + parallel false', { toolChoice: { type: 'required' }, parallelToolCalls: false }, { type: 'any', disable_parallel_tool_use: true }],
    ['none + parallel false', { toolChoice: { type: 'none' }, parallelToolCalls: false }, { type: 'none' }],
  ])('tool_choice %s', (_name, over, expected) => {
    expect(encode(baseRequest({ tools, ...over })).body.tool_choice).toEqual(expected);
  });

  it('reports an allowed-tools restriction it cannot express', () => {
    const out = encode(baseRequest({ tools, toolChoice: { type: 'allowed', names: ['f', 'g'], mode: 'auto' } }));
    expect(out.body.tool_choice).toEqual({ type: 'auto' });
    expect(out.dropped).toEqual(['tool_choice.allowed_tools']);
  });

  it('sends no tool_choice without tools', () => {
    expect(encode(baseRequest({ toolChoice: { type: 'none' }, parallelToolCalls: false })).body.tool_choice).toBeUndefined();
  });

  it('reports strict from another dialect as dropped but keeps it for Anthropic clients', () => {
    const strictTools = [{ ...tools[0]!, strict: true }];
    const other = encode(baseRequest({ tools: strictTools }));
    expect((other.body.tools as Array<Record<string, unknown>>)[0]?.strict).toBeUndefined();
    expect(other.dropped).toEqual(['tools.strict']);
    const same = encode(baseRequest({ tools: strictTools, sourceDialect: 'anthropic', maxTokens: 10 }));
    expect((same.body.tools as Array<Record<string, unknown>>)[0]?.strict).toBe(true);
  });
});

describe('anthropic encodeRequest: limits, thinking and sampling', () => {
  it('defaults max_tokens to 4096', () => {
    expect(ANTHROPIC_DEFAULT_MAX_TOKENS).toBe(4096);
    expect(encode(baseRequest()).body.max_tokens).toBe(4096);
    expect(encode(baseRequest({ maxTokens: 77 })).body.max_tokens).toBe(77);
  });

  it.each<[string, CanonicalRequest['reasoning'], number | undefined, unknown, number]>([
    ['effort low', { effort: 'low' }, undefined, { type: 'enabled', budget_tokens: 1024 }, 1024 + 4096],
    ['effort medium', { effort: 'medium' }, undefined, { type: 'enabled', budget_tokens: 4096 }, 4096 + 4096],
    ['effort high', { effort: 'high' }, 32000, { type: 'enabled', budget_tokens: 16384 }, 32000],
    ['effort high, max_tokens below budget', { effort: 'high' }, 1000, { type: 'enabled', budget_tokens: 16384 }, 16384 + 4096],
    ['effort xhigh', { effort: 'xhigh' }, undefined, { type: 'enabled', budget_tokens: 32768 }, 32768 + 4096],
    ['a budget below the minimum', { budgetTokens: 500 }, 8000, { type: 'enabled', budget_tokens: 1024 }, 8000],
    ['a budget equal to max_tokens', { budgetTokens: 8000 }, 8000, { type: 'enabled', budget_tokens: 8000 }, 8000 + 4096],
    ['enabled without effort', { enabled: true }, undefined, { type: 'enabled', budget_tokens: 4096 }, 8192],
    ['effort minimal', { effort: 'minimal' }, undefined, undefined, 4096],
    ['effort none', { effort: 'none' }, undefined, undefined, 4096],
    ['budget 0', { budgetTokens: 0 }, undefined, undefined, 4096],
    ['enabled false', { enabled: false }, undefined, undefined, 4096],
  ])('reasoning %s', (_name, reasoning, maxTokens, thinking, expectedMax) => {
    const req = baseRequest({ reasoning });
    if (maxTokens !== undefined) req.maxTokens = maxTokens;
    const { body } = encode(req);
    expect(body.thinking).toEqual(thinking);
    expect(body.max_tokens).toBe(expectedMax);
    expect(body.output_config).toBeUndefined();
  });

  it('leaves out derived thinking when tool_choice forces a tool, and says so', () => {
    const out = encode(
      baseRequest({ reasoning: { effort: 'high' }, tools: [{ name: 'f', parameters: { type: 'object' } }], toolChoice: { type: 'required' } }),
    );
    expect(out.body.thinking).toBeUndefined();
    expect(out.dropped).toEqual(['reasoning']);
  });

  it('leaves out temperature / top_k / low top_p while thinking runs, and says so', () => {
    const out = encode(baseRequest({ reasoning: { effort: 'low' }, temperature: 0.2, topK: 5, topP: 0.5 }));
    expect(out.body.temperature).toBeUndefined();
    expect(out.body.top_k).toBeUndefined();
    expect(out.body.top_p).toBeUndefined();
    expect(out.dropped.sort()).toEqual(['temperature', 'top_k', 'top_p']);
  });

  it('clamps temperature to [0, 1] and reports it only when it changed', () => {
    const hot = encode(baseRequest({ temperature: 1.5 }));
    expect(hot.body.temperature).toBe(1);
    expect(hot.dropped).toEqual(['temperature']);
    const mild = encode(baseRequest({ temperature: 0.7, topP: 0.9, topK: 20 }));
    expect(mild.body).toMatchObject({ temperature: 0.7, top_p: 0.9, top_k: 20 });
    expect(mild.dropped).toEqual([]);
  });

  it('maps stop to stop_sequences, leaving out whitespace-only ones', () => {
    const out = encode(baseRequest({ stop: ['END', ' \n'] }));
    expect(out.body.stop_sequences).toEqual(['END']);
    expect(out.dropped).toEqual(['stop']);
  });

  it('rejects n > 1 and reports logprobs, seed and penalties', () => {
    expect(encodeError(baseRequest({ n: 2 })).param).toBe('n');
    const out = encode(
      baseRequest({
        n: 1,
        logprobs: true,
        topLogprobs: 3,
        seed: 7,
        presencePenalty: 0.1,
        frequencyPenalty: 0.2,
        metadata: { a: 'b' },
        promptCacheKey: 'k',
      }),
    );
    expect(out.dropped.sort()).toEqual(
      ['frequency_penalty', 'logprobs', 'metadata', 'presence_penalty', 'prompt_cache_key', 'seed', 'top_logprobs'].sort(),
    );
  });

  it('maps user to metadata.user_id and stream to stream: true', () => {
    const { body } = encode(baseRequest({ user: 'u-42', stream: true, streamIncludeUsage: true }));
    expect(body.metadata).toEqual({ user_id: 'u-42' });
    expect(body.stream).toBe(true);
  });

  it('json_schema -> native output_config.format; json_object -> a system instruction', () => {
    const schema = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'], additionalProperties: false };
    const s = encode(baseRequest({ responseFormat: { type: 'json_schema', name: 'num', schema, strict: true } }));
    expect(s.body.output_config).toEqual({ format: { type: 'json_schema', schema } });
    expect(s.dropped).toEqual([]);
    const o = encode(baseRequest({ messages: [{ role: 'system', content: [{ type: 'text', text: 'S' }] }, user('x')], responseFormat: { type: 'json_object' } }));
    const system = o.body.system as Array<{ text: string }>;
    expect(system).toHaveLength(2);
    expect(system[0]?.text).toBe('S');
    expect(system[1]?.text).toMatch(/JSON object/);
    expect(o.body.output_config).toBeUndefined();
  });

  it('reports unknown fields of another dialect as dropped', () => {
    const out = encode(baseRequest({ unknownFields: { store: true, service_tier: 'flex' } }));
    expect(out.body.store).toBeUndefined();
    expect(out.dropped.sort()).toEqual(['service_tier', 'store']);
  });
});

describe('anthropic encodeRequest: an Anthropic client (Claude Code) through the canonical form', () => {
  const req = anthropicDialect.decodeRequest(fixtureJson('request-claude-code.json'));
  const { body, dropped } = anthropicDialect.encodeRequest(req, { upstreamModel: 'claude-opus-4-6-20260101' });

  it('reports nothing dropped and keeps the top-level fields', () => {
    expect(dropped).toEqual([]);
    expect(body.model).toBe('claude-opus-4-6-20260101');
    expect(body.max_tokens).toBe(32000);
    expect(body.stream).toBe(true);
    expect(body.temperature).toBe(1);
    expect(body.thinking).toEqual({ type: 'adaptive' });
    expect(body.output_config).toEqual({ effort: 'high' });
    expect(body.metadata).toEqual({ user_id: 'user_2f6c8d_account_9a1b_session_77e0' });
    expect(body.context_management).toEqual({ edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] });
    expect(body.tool_choice).toEqual({ type: 'auto' });
  });

  it('keeps the system blocks, tools (custom and server) and cache_control', () => {
    const original = fixtureJson('request-claude-code.json') as Record<string, unknown>;
    expect(body.system).toEqual(original.system);
    expect(body.tools).toEqual(original.tools);
  });

  it('keeps thinking and server blocks in place and moves the mid-conversation system note after the tool results', () => {
    const original = fixtureJson('request-claude-code.json') as { messages: Array<{ content: unknown }> };
    const m = body.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
    expect(m.map((x) => x.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(m[0]?.content).toEqual(original.messages[0]?.content);
    expect(m[1]?.content).toEqual(original.messages[1]?.content);
    expect(m[2]?.content).toEqual([
      ...(original.messages[2]?.content as unknown[]),
      { type: 'text', text: '[system] The user switched to plan mode.' },
    ]);
    expect(m[3]?.content).toEqual(original.messages[4]?.content);
    expect(m[4]?.content).toEqual([{ type: 'text', text: 'Fix it.' }]);
  });

  it('keeps output_config.effort "max" for an Anthropic upstream', () => {
    const r = anthropicDialect.decodeRequest({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }], output_config: { effort: 'max' } });
    expect(anthropicDialect.encodeRequest(r, { upstreamModel: 'm' }).body.output_config).toEqual({ effort: 'max' });
  });
});
