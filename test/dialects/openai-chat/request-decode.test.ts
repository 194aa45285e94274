import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/canonical/errors.js';
import { embedSignatureInId } from '../../../src/canonical/opaque.js';
import type { CanonicalRequest } from '../../../src/canonical/types.js';
import { openAiChatDialect } from '../../../src/dialects/openai-chat/index.js';
import { loadCassette } from './cassettes.js';

const decode = (body: unknown): CanonicalRequest => openAiChatDialect.decodeRequest(body);
const user = (text: string) => ({ role: 'user' as const, content: [{ type: 'text' as const, text }] });

const WEATHER_TOOL = {
  name: 'get_current_weather',
  description: 'Get the current weather in a given location',
  parameters: {
    properties: {
      location: { description: 'The city and state, e.g. San Francisco, CA', type: 'string' },
      unit: { enum: ['celsius', 'fahrenheit'], type: 'string' },
    },
    required: ['location'],
    type: 'object',
  },
};

describe('openai-chat decodeRequest: recorded requests', () => {
  const cases: Array<[string, CanonicalRequest]> = [
    ['chat-basic', { model: 'gpt-5-nano', messages: [user('Hello!')], stream: false, sourceDialect: 'openai-chat' }],
    ['chat-streaming', { model: 'gpt-5-nano', messages: [user('Hello!')], stream: true, sourceDialect: 'openai-chat' }],
    [
      'chat-streaming-detailed-usage',
      {
        model: 'gpt-5-nano',
        messages: [{ role: 'developer', content: [{ type: 'text', text: "Hello, I'm a developer!" }] }],
        maxTokens: 100,
        temperature: 1,
        stream: true,
        streamIncludeUsage: true,
        sourceDialect: 'openai-chat',
      },
    ],
    [
      'chat-tools',
      {
        model: 'gpt-5-nano',
        messages: [user('What is the weather like in Boston today?')],
        tools: [WEATHER_TOOL],
        toolChoice: { type: 'auto' },
        stream: false,
        sourceDialect: 'openai-chat',
      },
    ],
    [
      'chat-parallel-tools',
      {
        model: 'gpt-5-nano',
        messages: [user('What is the weather like in San Francisco?')],
        tools: [WEATHER_TOOL],
        toolChoice: { type: 'auto' },
        parallelToolCalls: true,
        stream: false,
        sourceDialect: 'openai-chat',
      },
    ],
    [
      'chat-multiturn',
      {
        model: 'gpt-5-nano',
        messages: [
          { role: 'developer', content: [{ type: 'text', text: 'You are a helpful assistant.' }] },
          user('Hello!'),
          { role: 'assistant', content: [{ type: 'text', text: 'Hello! How can I assist you today?' }] },
          user("Answer in up to 5 words: What's the weather like?"),
        ],
        temperature: 1,
        stream: false,
        sourceDialect: 'openai-chat',
      },
    ],
    [
      'chat-json-mode',
      {
        model: 'gpt-5-nano',
        messages: [user('Generate a JSON object with three properties: name, age, and city.')],
        responseFormat: { type: 'json_object' },
        stream: false,
        sourceDialect: 'openai-chat',
      },
    ],
  ];
  it.each(cases)('%s', (name, expected) => {
    expect(decode(loadCassette(name).requestBody)).toEqual(expected);
  });

  it('chat-multimodal: an https image URL stays a URL', () => {
    const req = decode(loadCassette('chat-multimodal').requestBody);
    expect(req.maxTokens).toBe(100);
    expect(req.messages[0]?.content).toEqual([
      { type: 'text', text: 'What is in this image?' },
      {
        type: 'image',
        source: {
          kind: 'url',
          url: 'https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg',
        },
      },
    ]);
  });

  it('chat-image-to-text: a data: URL becomes base64 with its media type', () => {
    const req = decode(loadCassette('chat-image-to-text').requestBody);
    const image = req.messages[0]?.content[1];
    expect(image).toMatchObject({ type: 'image', source: { kind: 'base64', mediaType: 'image/png' } });
    expect(image?.type === 'image' && image.source.kind === 'base64' && image.source.data).toMatch(/^iVBORw0KGgo/);
  });

  it('chat-no-messages: 400 with the same param and code OpenAI answered', () => {
    const c = loadCassette('chat-no-messages');
    let err: unknown;
    try {
      decode(c.requestBody);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GatewayError);
    const g = err as GatewayError;
    expect(g.status).toBe(c.status);
    // what OpenAI itself answered to this body
    expect(openAiChatDialect.encodeError(g.toCanonical())).toEqual(JSON.parse(c.responseText));
  });

  it('chat-bad-request: a user message with null content is a 400 naming the field', () => {
    expect(() => decode(loadCassette('chat-bad-request').requestBody)).toThrow(
      expect.objectContaining({ status: 400, type: 'invalid_request', param: 'messages[0].content' }),
    );
  });
});

describe('openai-chat decodeRequest: messages', () => {
  it('assistant tool_calls with content null or "" carry no empty text block; results get the name', () => {
    for (const content of [null, '']) {
      const req = decode({
        model: 'm',
        messages: [
          user('weather?'),
          {
            role: 'assistant',
            content,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '18C' },
          { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '12:00' }, { type: 'text', text: ' UTC' }] },
        ],
      });
      expect(req.messages.slice(1)).toEqual([
        {
          role: 'assistant',
          content: [
            { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { type: 'tool_call', id: 'call_2', name: 'get_time', arguments: '{}' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'call_1', name: 'get_weather', content: [{ type: 'text', text: '18C' }] }] },
        {
          role: 'tool',
          content: [
            {
              type: 'tool_result',
              toolCallId: 'call_2',
              name: 'get_time',
              content: [
                { type: 'text', text: '12:00' },
                { type: 'text', text: ' UTC' },
              ],
            },
          ],
        },
      ]);
    }
  });

  it('keeps tool-call arguments raw, even when they are not valid JSON', () => {
    const req = decode({
      model: 'm',
      messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a": 1,' } }] }],
    });
    expect(req.messages[0]?.content[0]).toMatchObject({ arguments: '{"a": 1,' });
  });

  it('Gemini signatures: embedded in the id, or in extra_content; the full id stays the id', () => {
    const id = embedSignatureInId('call_a', 'sig-from-id');
    const req = decode({
      model: 'm',
      messages: [
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id, type: 'function', function: { name: 'f', arguments: '{}' } },
            {
              id: 'call_b',
              type: 'function',
              function: { name: 'g', arguments: '{}' },
              extra_content: { google: { thought_signature: 'sig-extra' } },
            },
          ],
        },
        { role: 'tool', tool_call_id: id, content: 'ok' },
      ],
    });
    expect(req.messages[0]?.content).toEqual([
      { type: 'tool_call', id, name: 'f', arguments: '{}', thoughtSignature: 'sig-from-id' },
      { type: 'tool_call', id: 'call_b', name: 'g', arguments: '{}', thoughtSignature: 'sig-extra' },
    ]);
    expect(req.messages[1]?.content[0]).toMatchObject({ toolCallId: id, name: 'f' });
  });

  it('reasoning_content, reasoning and thinking_blocks in the history', () => {
    const req = decode({
      model: 'm',
      messages: [
        user('q1'),
        { role: 'assistant', content: 'a1', reasoning_content: 'deepseek thought' },
        user('q2'),
        { role: 'assistant', content: 'a2', reasoning: 'openrouter thought' },
        user('q3'),
        {
          role: 'assistant',
          content: 'a3',
          reasoning_content: 'claude thought',
          thinking_blocks: [
            { type: 'thinking', thinking: 'claude thought', signature: 'EqQB' },
            { type: 'redacted_thinking', data: 'EmwKAhgB' },
          ],
        },
      ],
    });
    expect(req.messages[1]?.content).toEqual([
      { type: 'reasoning', text: 'deepseek thought' },
      { type: 'text', text: 'a1' },
    ]);
    expect(req.messages[3]?.content[0]).toEqual({ type: 'reasoning', text: 'openrouter thought' });
    expect(req.messages[5]?.content).toEqual([
      { type: 'reasoning', text: 'claude thought', origin: 'anthropic', signature: 'EqQB' },
      { type: 'reasoning', text: '', origin: 'anthropic', redactedData: 'EmwKAhgB' },
      { type: 'text', text: 'a3' },
    ]);
  });

  it('legacy functions / function_call / function messages map to tools, tool choice and paired results', () => {
    const req = decode({
      model: 'm',
      functions: [{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }],
      function_call: { name: 'lookup' },
      messages: [
        user('find x'),
        { role: 'assistant', content: null, function_call: { name: 'lookup', arguments: '{"q":"x"}' } },
        { role: 'function', name: 'lookup', content: 'found' },
      ],
    });
    expect(req.tools).toEqual([{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }]);
    expect(req.toolChoice).toEqual({ type: 'tool', name: 'lookup' });
    const call = req.messages[1]?.content[0];
    const result = req.messages[2]?.content[0];
    expect(call).toMatchObject({ type: 'tool_call', name: 'lookup', arguments: '{"q":"x"}' });
    expect(req.messages[2]?.role).toBe('tool');
    expect(result).toMatchObject({ type: 'tool_result', name: 'lookup', content: [{ type: 'text', text: 'found' }] });
    expect(call?.type === 'tool_call' && result?.type === 'tool_result' && call.id === result.toolCallId).toBe(true);
  });

  it('user content parts: image detail, audio, files by data and by id; message names', () => {
    const req = decode({
      model: 'm',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'sys' }], name: 'boss' },
        {
          role: 'user',
          name: 'alice',
          content: [
            { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
            { type: 'input_audio', input_audio: { data: 'UklGR', format: 'wav' } },
            { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0x' } },
            { type: 'file', file: { file_id: 'file-abc' } },
          ],
        },
      ],
    });
    expect(req.messages).toEqual([
      { role: 'system', name: 'boss', content: [{ type: 'text', text: 'sys' }] },
      {
        role: 'user',
        name: 'alice',
        content: [
          { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' }, detail: 'low' },
          { type: 'audio', data: 'UklGR', format: 'wav' },
          { type: 'file', filename: 'a.pdf', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0x' } },
          { type: 'file', source: { kind: 'file', fileId: 'file-abc' } },
        ],
      },
    ]);
  });
});

describe('openai-chat decodeRequest: parameters', () => {
  it('maps every parameter with a canonical home and keeps the rest as unknownFields', () => {
    const req = decode({
      model: 'gpt-5',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ type: 'function', function: { name: 'f', strict: true, parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
      max_tokens: 50,
      max_completion_tokens: 200,
      temperature: 0.5,
      top_p: 0.9,
      stop: 'END',
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      n: 1,
      logprobs: true,
      top_logprobs: 3,
      reasoning_effort: 'high',
      user: 'u-1',
      metadata: { team: 'a' },
      prompt_cache_key: 'pck',
      stream: true,
      stream_options: { include_usage: true, include_obfuscation: false },
      store: false,
      service_tier: 'flex',
      logit_bias: { '50256': -100 },
    });
    expect(req).toEqual({
      model: 'gpt-5',
      messages: [user('hi')],
      tools: [{ name: 'f', strict: true, parameters: { type: 'object' } }],
      toolChoice: { type: 'tool', name: 'f' },
      responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
      maxTokens: 200,
      temperature: 0.5,
      topP: 0.9,
      stop: ['END'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      n: 1,
      logprobs: true,
      topLogprobs: 3,
      reasoning: { effort: 'high' },
      user: 'u-1',
      metadata: { team: 'a' },
      promptCacheKey: 'pck',
      stream: true,
      streamIncludeUsage: true,
      unknownFields: {
        stream_options: { include_obfuscation: false },
        store: false,
        service_tier: 'flex',
        logit_bias: { '50256': -100 },
      },
      sourceDialect: 'openai-chat',
    });
  });

  it('tool_choice strings, allowed_tools, stop arrays, effort none', () => {
    for (const tc of ['none', 'auto', 'required'] as const) {
      expect(decode({ model: 'm', messages: [{ role: 'user', content: 'x' }], tool_choice: tc }).toolChoice).toEqual({ type: tc });
    }
    const req = decode({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'a' } }] } },
      stop: ['a', 'b'],
      reasoning_effort: 'none',
    });
    expect(req.toolChoice).toEqual({ type: 'allowed', names: ['a'], mode: 'required' });
    expect(req.stop).toEqual(['a', 'b']);
    expect(req.reasoning).toEqual({ effort: 'none', enabled: false });
  });

  it('a non-function tool is kept as an OpenAI-chat built-in tool', () => {
    const custom = { type: 'custom', custom: { name: 'grammar_tool' } };
    const req = decode({ model: 'm', messages: [{ role: 'user', content: 'x' }], tools: [custom] });
    expect(req.builtinTools).toEqual([{ dialect: 'openai-chat', type: 'custom', value: custom }]);
    expect(req.tools).toBeUndefined();
  });
});

describe('openai-chat decodeRequest: validation (400 with param)', () => {
  const base = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
  const cases: Array<[string, unknown, string | undefined]> = [
    ['body is an array', [base], undefined],
    ['body is a string', 'hello', undefined],
    ['model missing', { messages: base.messages }, 'model'],
    ['model not a string', { ...base, model: 5 }, 'model'],
    ['messages missing', { model: 'm' }, 'messages'],
    ['messages not an array', { model: 'm', messages: 'hi' }, 'messages'],
    ['message not an object', { model: 'm', messages: ['hi'] }, 'messages[0]'],
    ['unknown role', { model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    ['user content a number', { model: 'm', messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    ['system content with image', { model: 'm', messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x' } }] }] }, 'messages[0].content[0]'],
    ['unknown part type', { model: 'm', messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] }, 'messages[0].content[0].type'],
    ['image url scheme', { model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/a.png' } }] }] }, 'messages[0].content[0].image_url.url'],
    ['image detail', { model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x', detail: 'max' } }] }] }, 'messages[0].content[0].image_url.detail'],
    ['tool_calls not an array', { model: 'm', messages: [{ role: 'assistant', content: null, tool_calls: {} }] }, 'messages[0].tool_calls'],
    ['tool call without name', { model: 'm', messages: [{ role: 'assistant', tool_calls: [{ id: 'a', type: 'function', function: {} }] }] }, 'messages[0].tool_calls[0].function.name'],
    ['tool message without id', { model: 'm', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
    ['temperature a string', { ...base, temperature: '1' }, 'temperature'],
    ['max_tokens fractional', { ...base, max_tokens: 1.5 }, 'max_tokens'],
    ['stop a number', { ...base, stop: 3 }, 'stop'],
    ['stream a string', { ...base, stream: 'yes' }, 'stream'],
    ['metadata value a number', { ...base, metadata: { a: 1 } }, 'metadata.a'],
    ['tool without a name', { ...base, tools: [{ type: 'function', function: { description: 'x' } }] }, 'tools[0].function.name'],
    ['tool_choice unknown', { ...base, tool_choice: 'any' }, 'tool_choice'],
    ['response_format unknown', { ...base, response_format: { type: 'xml' } }, 'response_format.type'],
    ['reasoning_effort unknown', { ...base, reasoning_effort: 'max' }, 'reasoning_effort'],
  ];
  it.each(cases)('%s', (_name, body, param) => {
    let err: unknown;
    try {
      decode(body);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 400, type: 'invalid_request', param });
    expect((err as Error).message.length).toBeGreaterThan(10);
  });
});
