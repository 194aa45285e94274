import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/canonical/errors.js';
import { embedSignatureInId, packReasoning } from '../../../src/canonical/opaque.js';
import type { CanonicalRequest } from '../../../src/canonical/types.js';
import { openAiResponsesDialect as dialect } from '../../../src/dialects/openai-responses/index.js';
import { fixtureBody } from './helpers.js';

function decode(body: unknown): CanonicalRequest {
  return dialect.decodeRequest(body);
}

describe('openai-responses decodeRequest: fixtures', () => {
  it('decodes every input item kind, in order (request-items.json)', () => {
    const body = fixtureBody('request-items.json');
    const req = decode(body);
    const input = body.input as unknown[];
    expect(req).toEqual<CanonicalRequest>({
      model: 'gpt-4.1',
      sourceDialect: 'openai-responses',
      stream: true,
      messages: [
        // instructions first, then the input's own developer/system items in place
        { role: 'system', content: [{ type: 'text', text: 'You are a travel assistant.' }] },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in one sentence.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture, and how is the weather there?' },
            {
              type: 'image',
              source: { kind: 'url', url: 'https://upload.wikimedia.org/wikipedia/commons/4/4b/La_Tour_Eiffel.jpg' },
              detail: 'high',
            },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, detail: 'low' },
            { type: 'image', source: { kind: 'file', fileId: 'file-abc123' }, detail: 'auto' },
            {
              type: 'file',
              source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0xLjQK' },
              filename: 'itinerary.pdf',
            },
            { type: 'file', source: { kind: 'file', fileId: 'file-def456' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            {
              type: 'reasoning',
              text: 'Need the weather in Paris.',
              origin: 'openai',
              summary: true,
              itemId: 'rs_6806bfca0b2481918a5748308061a2600d3ce51bdffd5476',
              encryptedContent: 'gAAAAABo-ENCRYPTED-REASONING-STATE-1==',
            },
            { type: 'text', text: 'That is the Eiffel Tower. Let me check the weather.' },
            { type: 'tool_call', id: 'call_12345xyz', name: 'get_weather', arguments: '{"location":"Paris, France"}' },
            { type: 'tool_call', id: 'call_67890abc', name: 'get_weather', arguments: '{"location":"Lyon, France"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool_result',
              toolCallId: 'call_12345xyz',
              name: 'get_weather',
              content: [{ type: 'text', text: '{"temperature":18}' }],
            },
            {
              type: 'tool_result',
              toolCallId: 'call_67890abc',
              name: 'get_weather',
              content: [{ type: 'text', text: '{"temperature":21}' }],
            },
          ],
        },
        { role: 'assistant', content: [{ type: 'opaque', dialect: 'openai-responses', value: input[8] }] },
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'opaque', dialect: 'openai-responses', value: input[10] }] },
        { role: 'user', content: [{ type: 'text', text: 'Thanks!' }] },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Get current temperature for a given location.',
          parameters: {
            type: 'object',
            properties: { location: { type: 'string' } },
            required: ['location'],
            additionalProperties: false,
          },
          strict: true,
        },
        // strict absent stays absent: OpenAI applies its own (strict) default
        { name: 'get_time', parameters: { type: 'object', properties: {} } },
      ],
      builtinTools: [
        { dialect: 'openai-responses', type: 'web_search', value: { type: 'web_search' } },
        {
          dialect: 'openai-responses',
          type: 'file_search',
          value: { type: 'file_search', vector_store_ids: ['vs_1'] },
        },
      ],
      toolChoice: { type: 'allowed', names: ['get_weather'], mode: 'auto' },
      parallelToolCalls: true,
      responseFormat: {
        type: 'json_schema',
        name: 'answer',
        schema: {
          type: 'object',
          properties: { answer: { type: 'string' } },
          required: ['answer'],
          additionalProperties: false,
        },
        strict: true,
      },
      maxTokens: 1024,
      temperature: 0.2,
      topP: 0.9,
      reasoning: { effort: 'low', summary: 'auto', includeThoughts: true },
      promptCacheKey: 'conv-42',
      user: 'user-7',
      metadata: { team: 'travel' },
      // previous_response_id: null is "not set" and is not carried
      unknownFields: {
        text: { verbosity: 'low' },
        include: ['reasoning.encrypted_content'],
        store: false,
        truncation: 'auto',
        service_tier: 'default',
      },
    });
  });

  it('decodes what Codex sends (request-codex.json)', () => {
    const req = decode(fixtureBody('request-codex.json'));
    expect(req.messages.map((m) => m.role)).toEqual(['system', 'developer', 'user', 'user', 'assistant', 'tool']);
    expect(req.messages[0]?.content).toEqual([
      {
        type: 'text',
        text: "You are Codex, based on GPT-5. You are running as a coding agent in the Codex CLI on a user's computer.",
      },
    ]);
    // replayed reasoning without an item id (store:false), followed by its function call
    expect(req.messages[4]?.content).toEqual([
      {
        type: 'reasoning',
        text: '**Listing files**',
        origin: 'openai',
        summary: true,
        encryptedContent: 'gAAAAABo-CODEX-ENCRYPTED-1==',
      },
      {
        type: 'tool_call',
        id: 'call_kZ3y8Qm',
        name: 'shell',
        arguments: '{"command":["bash","-lc","ls"],"workdir":"/home/dev/project"}',
      },
    ]);
    expect(req.messages[5]?.content).toEqual([
      {
        type: 'tool_result',
        toolCallId: 'call_kZ3y8Qm',
        name: 'shell',
        content: [{ type: 'text', text: 'README.md\nsrc\npackage.json' }],
      },
    ]);
    expect(req.tools?.map((t) => [t.name, t.strict])).toEqual([['shell', false]]);
    expect(req.builtinTools?.map((b) => [b.dialect, b.type])).toEqual([
      ['openai-responses', 'namespace'],
      ['openai-responses', 'web_search'],
    ]);
    expect(req.parallelToolCalls).toBe(false);
    expect(req.toolChoice).toEqual({ type: 'auto' });
    expect(req.reasoning).toEqual({ effort: 'medium', summary: 'auto', includeThoughts: true });
    expect(req.promptCacheKey).toBe('0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
    expect(req.stream).toBe(true);
    expect(req.unknownFields).toEqual({
      store: false,
      include: ['reasoning.encrypted_content'],
      text: { verbosity: 'medium' },
      client_metadata: { originator: 'codex_cli_rs' },
    });
  });
});

describe('openai-responses decodeRequest: edge cases', () => {
  it('a string input is one user message', () => {
    const req = decode({ model: 'm', input: 'Tell me a joke' });
    expect(req.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Tell me a joke' }] }]);
    expect(req.stream).toBe(false);
    expect(req.unknownFields).toBeUndefined();
  });

  it('takes the model and stream flag from the route when the body has none', () => {
    const req = dialect.decodeRequest({ input: 'x' }, { model: 'from-route', stream: true });
    expect(req.model).toBe('from-route');
    expect(req.stream).toBe(true);
  });

  it('gives reasoning we packed for another vendor its origin and signature back', () => {
    const encrypted = packReasoning({ origin: 'anthropic', signature: 'EqQBCkYIBxgCKkB', text: 'Let me think.' });
    const req = decode({
      model: 'm',
      input: [
        { type: 'reasoning', id: 'rs_ours', summary: [{ type: 'summary_text', text: 'Let me think.' }], encrypted_content: encrypted },
        { type: 'function_call', call_id: 'toolu_01', name: 'f', arguments: '{}' },
      ],
    });
    expect(req.messages[0]?.content[0]).toEqual({
      type: 'reasoning',
      text: 'Let me think.',
      origin: 'anthropic',
      signature: 'EqQBCkYIBxgCKkB',
    });
  });

  it('splits a Gemini thought signature off the call id of a call and of its output', () => {
    const callId = embedSignatureInId('call_g1', 'c2lnbmF0dXJl');
    const req = decode({
      model: 'm',
      input: [
        { type: 'function_call', call_id: callId, name: 'lookup', arguments: '' },
        { type: 'function_call_output', call_id: callId, output: 'ok' },
      ],
    });
    expect(req.messages).toEqual([
      {
        role: 'assistant',
        content: [{ type: 'tool_call', id: 'call_g1', name: 'lookup', arguments: '{}', thoughtSignature: 'c2lnbmF0dXJl' }],
      },
      {
        role: 'tool',
        content: [{ type: 'tool_result', toolCallId: 'call_g1', name: 'lookup', content: [{ type: 'text', text: 'ok' }] }],
      },
    ]);
  });

  it('decodes a reasoning item with raw reasoning_text content and no summary', () => {
    const req = decode({
      model: 'm',
      input: [{ type: 'reasoning', id: 'rs_1', summary: [], content: [{ type: 'reasoning_text', text: 'step 1' }] }],
    });
    expect(req.messages[0]?.content[0]).toEqual({
      type: 'reasoning',
      text: 'step 1',
      origin: 'openai',
      summary: false,
      itemId: 'rs_1',
    });
  });

  it.each([
    ['"required"', 'required', { type: 'required' }],
    ['"none"', 'none', { type: 'none' }],
    ['a function', { type: 'function', name: 'f' }, { type: 'tool', name: 'f' }],
    [
      'allowed_tools (required)',
      { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'a' }, { type: 'function', name: 'b' }] },
      { type: 'allowed', names: ['a', 'b'], mode: 'required' },
    ],
  ])('tool_choice %s', (_label, wire, canonical) => {
    const req = decode({ model: 'm', input: 'x', tool_choice: wire });
    expect(req.toolChoice).toEqual(canonical);
    expect(req.unknownFields).toBeUndefined();
  });

  it.each([
    ['a hosted tool', { type: 'web_search_preview' }],
    ['allowed_tools naming a hosted tool', { type: 'allowed_tools', mode: 'auto', tools: [{ type: 'web_search' }] }],
    ['a custom tool', { type: 'custom', name: 'grammar' }],
  ])('tool_choice naming %s is kept verbatim in unknownFields', (_label, wire) => {
    const req = decode({ model: 'm', input: 'x', tool_choice: wire });
    expect(req.toolChoice).toBeUndefined();
    expect(req.unknownFields).toEqual({ tool_choice: wire });
  });

  it('treats null parameters as not set', () => {
    const req = decode({ model: 'm', input: 'x', temperature: null, top_p: null, instructions: null, text: null, reasoning: null });
    expect(req).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }],
      stream: false,
      sourceDialect: 'openai-responses',
    });
  });

  it('maps text.format json_object and the deprecated reasoning.generate_summary', () => {
    const req = decode({
      model: 'm',
      input: 'x',
      text: { format: { type: 'json_object' } },
      reasoning: { generate_summary: 'concise' },
    });
    expect(req.responseFormat).toEqual({ type: 'json_object' });
    expect(req.reasoning).toEqual({ summary: 'concise', includeThoughts: true });
  });
});

describe('openai-responses decodeRequest: bad input is a 400 naming the parameter', () => {
  const cases: Array<[string, unknown, string | undefined]> = [
    ['a body that is not an object', [1, 2], undefined],
    ['no model', { input: 'x' }, 'model'],
    ['input of the wrong type', { model: 'm', input: 42 }, 'input'],
    ['an item that is not an object', { model: 'm', input: ['hi'] }, 'input[0]'],
    ['a message with an unknown role', { model: 'm', input: [{ role: 'robot', content: 'x' }] }, 'input[0].role'],
    ['a message without content', { model: 'm', input: [{ role: 'user' }] }, 'input[0].content'],
    [
      'an unsupported content part',
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_audio', data: 'x' }] }] },
      'input[0].content[0].type',
    ],
    [
      'an image without a source',
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', detail: 'auto' }] }] },
      'input[0].content[0]',
    ],
    ['a function_call without call_id', { model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }, 'input[0].call_id'],
    [
      'a function_call_output with a numeric output',
      { model: 'm', input: [{ type: 'function_call_output', call_id: 'c', output: 3 }] },
      'input[0].output',
    ],
    ['tools that are not an array', { model: 'm', input: 'x', tools: {} }, 'tools'],
    ['a function tool without a name', { model: 'm', input: 'x', tools: [{ type: 'function', parameters: {} }] }, 'tools[0].name'],
    ['an unknown tool_choice string', { model: 'm', input: 'x', tool_choice: 'sometimes' }, 'tool_choice'],
    [
      'allowed_tools with a bad mode',
      { model: 'm', input: 'x', tool_choice: { type: 'allowed_tools', mode: 'any', tools: [] } },
      'tool_choice.mode',
    ],
    ['a json_schema format without schema', { model: 'm', input: 'x', text: { format: { type: 'json_schema', name: 'n' } } }, 'text.format.schema'],
    ['a string temperature', { model: 'm', input: 'x', temperature: 'hot' }, 'temperature'],
    ['max_output_tokens 0', { model: 'm', input: 'x', max_output_tokens: 0 }, 'max_output_tokens'],
    ['an unknown reasoning effort', { model: 'm', input: 'x', reasoning: { effort: 'extreme' } }, 'reasoning.effort'],
    ['a non-string metadata value', { model: 'm', input: 'x', metadata: { n: 1 } }, 'metadata.n'],
  ];
  it.each(cases)('%s', (_label, body, param) => {
    let caught: unknown;
    try {
      decode(body);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    const err = caught as GatewayError;
    expect(err.status).toBe(400);
    expect(err.type).toBe('invalid_request');
    expect(err.param).toBe(param);
    expect(err.message.length).toBeGreaterThan(5);
  });
});
