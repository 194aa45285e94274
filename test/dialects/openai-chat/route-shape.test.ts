import { describe, expect, it } from 'vitest';
import { detectChatRouteShape, normalizeGeminiInput, openAiChatDialect } from '../../../src/dialects/openai-chat/index.js';
import { loadCassette } from './cassettes.js';

describe('detectChatRouteShape', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a recorded chat request', loadCassette('chat-tools').requestBody, 'openai-chat'],
    ['anthropic_version', { anthropic_version: 'bedrock-2023-05-31', messages: [] }, 'anthropic'],
    ['max_tokens_to_sample', { prompt: '\n\nHuman: hi\n\nAssistant:', max_tokens_to_sample: 10 }, 'anthropic'],
    ['top-level system with a plain Anthropic body', { model: 'c', max_tokens: 10, system: 'be brief', messages: [{ role: 'user', content: 'hi' }] }, 'anthropic'],
    [
      'system + tool_use / tool_result blocks',
      {
        model: 'c',
        system: [{ type: 'text', text: 's' }],
        messages: [
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
        ],
      },
      'anthropic',
    ],
    ['image with source', { model: 'c', messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'x' } }] }] }, 'anthropic'],
    ['a chat body with a stray system field and a system message', { model: 'g', system: 'x', messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'hi' }] }, 'openai-chat'],
    ['gemini input', { model: 'gemini-2.5-flash', input: 'hello' }, 'gemini-input'],
    ['input together with messages', { model: 'm', input: 'x', messages: [{ role: 'user', content: 'hi' }] }, 'openai-chat'],
    ['not an object', 'hello', 'openai-chat'],
  ];
  it.each(cases)('%s', (_n, body, shape) => {
    expect(detectChatRouteShape(body)).toBe(shape);
  });
});

describe('normalizeGeminiInput', () => {
  it('a string input becomes one user message', () => {
    expect(normalizeGeminiInput({ model: 'gemini-2.5-flash', input: 'Hello', temperature: 0 })).toEqual({
      model: 'gemini-2.5-flash',
      temperature: 0,
      messages: [{ role: 'user', content: 'Hello' }],
    });
  });

  it('items with roles, string content, text parts and input_text parts; empty items left out', () => {
    const out = normalizeGeminiInput({
      model: 'gemini-2.5-pro',
      stream: true,
      input: [
        { role: 'system', content: 'Be terse.' },
        { content: [{ type: 'input_text', text: 'What is ' }, { type: 'input_text', text: '2+2?' }] },
        { role: 'model', content: [{ text: '4' }] },
        { role: 'user', content: [] },
        'And 3+3?',
      ],
    });
    expect(out).toEqual({
      model: 'gemini-2.5-pro',
      stream: true,
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: [{ type: 'text', text: 'What is ' }, { type: 'text', text: '2+2?' }] },
        { role: 'assistant', content: '4' },
        { role: 'user', content: 'And 3+3?' },
      ],
    });
    // and the result is a valid chat request
    expect(openAiChatDialect.decodeRequest(out).messages).toHaveLength(4);
  });

  it('no text at all: the body is returned unchanged (the decoder then names what is missing)', () => {
    const body = { model: 'gemini', input: [{ role: 'user', content: [] }] };
    expect(normalizeGeminiInput(body)).toBe(body);
    expect(() => openAiChatDialect.decodeRequest(normalizeGeminiInput(body))).toThrow(expect.objectContaining({ param: 'messages' }));
  });
});
