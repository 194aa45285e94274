import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/canonical/errors.js';
import { embedSignatureInId, GEMINI_SKIP_SIGNATURE } from '../../../src/canonical/opaque.js';
import type { CanonicalMessage, CanonicalRequest, ToolChoice } from '../../../src/canonical/types.js';
import { collectRemoteImages, geminiDialect } from '../../../src/dialects/gemini/index.js';
import type { RequestEncodeOptions } from '../../../src/dialects/types.js';
import { modelOf, recording, reference } from './helpers.js';

type Body = Record<string, unknown> & { contents: Array<{ role: string; parts: Array<Record<string, unknown>> }> };

function canon(messages: CanonicalMessage[], extra: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'logical', messages, stream: false, sourceDialect: 'openai-chat', ...extra };
}

function encode(req: CanonicalRequest, opts: Partial<RequestEncodeOptions> = {}): { body: Body; dropped: string[] } {
  const out = geminiDialect.encodeRequest(req, { upstreamModel: 'gemini-2.5-flash', ...opts });
  return { body: out.body as Body, dropped: out.dropped };
}

function rejects(req: CanonicalRequest, opts: Partial<RequestEncodeOptions> = {}): GatewayError {
  try {
    encode(req, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError);
    expect((e as GatewayError).status).toBe(400);
    return e as GatewayError;
  }
  throw new Error('expected a 400');
}

const user = (text: string): CanonicalMessage => ({ role: 'user', content: [{ type: 'text', text }] });

describe('gemini encodeRequest: same-dialect round trip of the recordings', () => {
  it('history_stream: consecutive user turns are merged into one turn, parts in order', () => {
    const [rec] = recording('history_stream');
    const req = geminiDialect.decodeRequest(rec?.request, { model: 'gemini-2.0-flash' });
    expect(encode(req).body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a=5' }, { text: 'b=10' }, { text: 'what is the value of a+b?' }] }],
    });
  });

  it.each(['text_stream', 'stream_with_parameters'])('%s: decode then encode gives the recorded body', (name) => {
    for (const rec of recording(name)) {
      const req = geminiDialect.decodeRequest(rec.request, { model: modelOf(rec.url), stream: true });
      const { body, dropped } = encode(req, { upstreamModel: modelOf(rec.url) });
      const expected = { ...rec.request };
      if (JSON.stringify(expected.generationConfig) === '{}') delete expected.generationConfig;
      expect(body).toEqual(expected);
      expect(dropped).toEqual([]);
    }
  });

  it('function_calling: the replayed call carries the synthesized id and the skip signature', () => {
    const [, rec] = recording('function_calling');
    if (!rec) throw new Error('no interaction');
    const req = geminiDialect.decodeRequest(rec.request, { model: 'gemini-2.0-flash' });
    const { body } = encode(req);
    expect(body.contents[1]).toEqual({
      role: 'model',
      parts: [
        {
          functionCall: { id: 'call_1_0', name: 'customDivide', args: { denominator: 2, numerator: 100 } },
          thoughtSignature: GEMINI_SKIP_SIGNATURE,
        },
      ],
    });
    expect(body.tools).toEqual(rec.request.tools);
  });

  it('Gemini CLI request: signatures, ids, thoughts and tools survive decode + encode', () => {
    const fixture = reference<{ url: string; body: Record<string, unknown> }>('gemini-cli-request');
    const req = geminiDialect.decodeRequest(fixture.body, { model: modelOf(fixture.url), stream: true });
    const { body } = encode(req, { upstreamModel: 'gemini-3-pro-preview' });
    const original = fixture.body as Body;
    expect(body.contents).toEqual(original.contents);
    expect(body.systemInstruction).toEqual({ parts: (original.systemInstruction as { parts: unknown }).parts });
    expect(body.generationConfig).toEqual({ temperature: 0, topP: 1, thinkingConfig: { includeThoughts: true, thinkingLevel: 'HIGH' } });
  });

  it('unknownFields are copied back for a Gemini source (generationConfig merged, toolConfig kept raw)', () => {
    const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }];
    const toolConfig = { functionCallingConfig: { mode: 'VALIDATED' } };
    const src = {
      contents: [{ role: 'user', parts: [{ text: 'q' }] }],
      safetySettings,
      cachedContent: 'cachedContents/x',
      toolConfig,
      generationConfig: { temperature: 0.5, responseModalities: ['TEXT'] },
    };
    const req = geminiDialect.decodeRequest(src, { model: 'gemini-2.5-flash' });
    const { body, dropped } = encode(req);
    expect(body).toEqual(src);
    expect(dropped).toEqual([]);
  });
});

describe('gemini encodeRequest: messages from another dialect', () => {
  it('leading system/developer -> systemInstruction; roles user/model; same-role turns merged', () => {
    const { body } = encode(
      canon([
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        user('a=5'),
        user('b=10'),
        { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
        user('a+b?'),
      ]),
    );
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'a=5' }, { text: 'b=10' }] },
      { role: 'model', parts: [{ text: 'ok' }] },
      { role: 'user', parts: [{ text: 'a+b?' }] },
    ]);
  });

  it('a mid-conversation system message becomes a marked user turn, moved after pending tool results', () => {
    const { body } = encode(
      canon([
        user('list files'),
        { role: 'assistant', content: [{ type: 'tool_call', id: 'call_a', name: 'ls', arguments: '{}' }] },
        { role: 'system', content: [{ type: 'text', text: 'Never delete files.' }] },
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'call_a', content: [{ type: 'text', text: 'a.txt' }] }] },
        { role: 'assistant', content: [{ type: 'text', text: 'There is a.txt' }] },
        { role: 'system', content: [{ type: 'text', text: 'Be polite.' }] },
        user('thanks'),
      ]),
    );
    expect(body.contents.map((c) => [c.role, c.parts.map((p) => Object.keys(p).filter((k) => k !== 'thoughtSignature')[0])])).toEqual([
      ['user', ['text']],
      ['model', ['functionCall']],
      ['user', ['functionResponse', 'text']],
      ['model', ['text']],
      ['user', ['text', 'text']],
    ]);
    expect(body.contents[2]?.parts[1]).toEqual({ text: '[System instruction]\nNever delete files.' });
    expect(body.contents[4]?.parts[0]).toEqual({ text: '[System instruction]\nBe polite.' });
    expect(body.systemInstruction).toBeUndefined();
  });

  it('a system-only request is a 400', () => {
    const err = rejects(canon([{ role: 'system', content: [{ type: 'text', text: 'x' }] }]));
    expect(err.param).toBe('messages');
  });

  it('tool results: name from the earlier call, JSON object kept, text wrapped as {result}, errors as {error}', () => {
    const { body } = encode(
      canon([
        user('go'),
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Calling.' },
            { type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { type: 'tool_call', id: 'toolu_2', name: 'get_time', arguments: '' },
            { type: 'tool_call', id: 'toolu_3', name: 'rm', arguments: '{"path":"/"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool_result', toolCallId: 'toolu_1', content: [{ type: 'text', text: '{"temp":20,"unit":"C"}' }] },
            { type: 'tool_result', toolCallId: 'toolu_2', content: [{ type: 'text', text: '12:00' }] },
            { type: 'tool_result', toolCallId: 'toolu_3', isError: true, content: [{ type: 'text', text: 'permission denied' }] },
          ],
        },
      ]),
    );
    expect(body.contents[1]).toEqual({
      role: 'model',
      parts: [
        { text: 'Calling.' },
        { functionCall: { id: 'toolu_1', name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: GEMINI_SKIP_SIGNATURE },
        { functionCall: { id: 'toolu_2', name: 'get_time', args: {} } },
        { functionCall: { id: 'toolu_3', name: 'rm', args: { path: '/' } } },
      ],
    });
    expect(body.contents[2]).toEqual({
      role: 'user',
      parts: [
        { functionResponse: { id: 'toolu_1', name: 'get_weather', response: { temp: 20, unit: 'C' } } },
        { functionResponse: { id: 'toolu_2', name: 'get_time', response: { result: '12:00' } } },
        { functionResponse: { id: 'toolu_3', name: 'rm', response: { error: 'permission denied' } } },
      ],
    });
  });

  it('a tool result whose call is not in the (truncated) history is a 400 naming the tool_call_id', () => {
    const err = rejects(
      canon([
        user('go'),
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'call_gone', content: [{ type: 'text', text: 'x' }] }] },
      ]),
    );
    expect(err.message).toContain('call_gone');
    expect(err.code).toBe('tool_call_not_found');
    expect(err.param).toBe('messages[1].content[0]');
  });

  it('thought signatures: from the block, from the id (sent without it), else the skip value on the first call of each model turn', () => {
    const sig = 'Q2lnQVZT+/==';
    const idWithSig = embedSignatureInId('call_x', sig);
    const { body } = encode(
      canon([
        user('q'),
        { role: 'assistant', content: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: '{}', thoughtSignature: 'U0lHX0E=' }] },
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'c1', content: [{ type: 'text', text: '1' }] }] },
        { role: 'assistant', content: [{ type: 'tool_call', id: idWithSig, name: 'g', arguments: '{}' }] },
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: idWithSig, content: [{ type: 'text', text: '2' }] }] },
        {
          role: 'assistant',
          content: [
            { type: 'tool_call', id: 'c3', name: 'h', arguments: '{}' },
            { type: 'tool_call', id: 'c4', name: 'h', arguments: '{}' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'c3', content: [{ type: 'text', text: '3' }] }, { type: 'tool_result', toolCallId: 'c4', content: [{ type: 'text', text: '4' }] }] },
      ]),
    );
    const model = body.contents.filter((c) => c.role === 'model');
    expect(model[0]?.parts[0]).toEqual({ functionCall: { id: 'c1', name: 'f', args: {} }, thoughtSignature: 'U0lHX0E=' });
    expect(model[1]?.parts[0]).toEqual({ functionCall: { id: 'call_x', name: 'g', args: {} }, thoughtSignature: sig });
    expect(model[2]?.parts).toEqual([
      { functionCall: { id: 'c3', name: 'h', args: {} }, thoughtSignature: GEMINI_SKIP_SIGNATURE },
      { functionCall: { id: 'c4', name: 'h', args: {} } },
    ]);
    const responses = body.contents.filter((c) => c.role === 'user').flatMap((c) => c.parts).filter((p) => p.functionResponse);
    expect(responses[1]).toEqual({ functionResponse: { id: 'call_x', name: 'g', response: { result: '2' } } });
  });

  it('invalid tool-call arguments from the client are a 400', () => {
    rejects(canon([user('q'), { role: 'assistant', content: [{ type: 'tool_call', id: 'c', name: 'f', arguments: '{"a":' }] }]));
    rejects(canon([user('q'), { role: 'assistant', content: [{ type: 'tool_call', id: 'c', name: 'f', arguments: '[1]' }] }]));
  });

  it('reasoning: Gemini-origin thoughts keep their signature; other vendors are dropped', () => {
    const { body } = encode(
      canon([
        user('q'),
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'anthropic thinking', origin: 'anthropic', signature: 'EqQBCkYIAxgCIkD' },
            { type: 'reasoning', text: '', origin: 'openai', encryptedContent: 'gAAAA' },
            { type: 'reasoning', text: 'gemini thought', origin: 'gemini', signature: 'U0lH' },
            { type: 'reasoning', text: '', origin: 'gemini', signature: 'U0lHMg==' },
            { type: 'text', text: 'answer', thoughtSignature: 'VFhU' },
          ],
        },
        user('more'),
      ]),
    );
    expect(body.contents[1]?.parts).toEqual([
      { thought: true, text: 'gemini thought', thoughtSignature: 'U0lH' },
      { thought: true, thoughtSignature: 'U0lHMg==' },
      { text: 'answer', thoughtSignature: 'VFhU' },
    ]);
  });

  it('opaque items of other dialects are dropped and reported; Gemini ones replayed', () => {
    const code = { executableCode: { language: 'PYTHON', code: 'print(1)' } };
    const { body, dropped } = encode(
      canon([
        user('q'),
        {
          role: 'assistant',
          content: [
            { type: 'opaque', dialect: 'openai-responses', value: { type: 'web_search_call' } },
            { type: 'opaque', dialect: 'gemini', value: code },
          ],
        },
        user('q2'),
      ]),
    );
    expect(body.contents[1]?.parts).toEqual([code]);
    expect(dropped).toContain('openai-responses_builtin_tool_items');
  });
});

describe('gemini encodeRequest: media', () => {
  const png = { mediaType: 'image/png', data: 'iVBORw0KGgo=' };
  const withImage = (url: string): CanonicalRequest =>
    canon([{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image', source: { kind: 'url', url } }] }]);

  it('base64 and data: URLs -> inlineData; Gemini file URIs -> fileData; audio -> inlineData', () => {
    const { body } = encode(
      canon([
        {
          role: 'user',
          content: [
            { type: 'image', source: { kind: 'base64', ...png }, detail: 'high' },
            { type: 'image', source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/4AAQ' } },
            { type: 'file', source: { kind: 'file', fileId: 'https://generativelanguage.googleapis.com/v1beta/files/f1', mediaType: 'application/pdf' } },
            { type: 'audio', data: 'UklGRg==', format: 'wav' },
          ],
        },
      ]),
    );
    expect(body.contents[0]?.parts).toEqual([
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } },
      { fileData: { fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/f1', mimeType: 'application/pdf' } },
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
    ]);
  });

  it('collectRemoteImages lists the http(s) URLs to fetch (also inside tool results), once each', () => {
    const req = canon([
      { role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } }] },
      { role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'data:image/png;base64,AAAA' } }] },
      { role: 'assistant', content: [{ type: 'tool_call', id: 't', name: 'shot', arguments: '{}' }] },
      {
        role: 'tool',
        content: [
          {
            type: 'tool_result',
            toolCallId: 't',
            content: [
              { type: 'image', source: { kind: 'url', url: 'https://example.com/b.png' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } },
            ],
          },
        ],
      },
    ]);
    expect(collectRemoteImages(req)).toEqual(['https://example.com/a.png', 'https://example.com/b.png']);
  });

  it('a fetched URL is inlined from inlineMedia', () => {
    const url = 'https://example.com/cat.png';
    const { body } = encode(withImage(url), { inlineMedia: new Map([[url, png]]) });
    expect(body.contents[0]?.parts[1]).toEqual({ inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } });
  });

  it('an http(s) URL that was not fetched is a 400 naming its position', () => {
    const err = rejects(withImage('https://example.com/cat.png'));
    expect(err.param).toBe('messages[0].content[1]');
    expect(err.message).toContain('https://example.com/cat.png');
  });

  it('a non-Gemini file id (OpenAI file-…) is a 400', () => {
    rejects(canon([{ role: 'user', content: [{ type: 'file', source: { kind: 'file', fileId: 'file-abc123' } }] }]));
  });
});

describe('gemini encodeRequest: tools and parameters', () => {
  it('one Tool holds all declarations; schemas converted; built-ins of other dialects dropped', () => {
    const { body, dropped } = encode(
      canon([user('q')], {
        tools: [
          {
            name: 'search',
            description: 'Search',
            parameters: {
              $schema: 'http://json-schema.org/draft-07/schema#',
              type: 'object',
              additionalProperties: false,
              properties: { q: { type: 'string', default: 'x' }, filter: { $ref: '#/$defs/Filter' } },
              required: ['q', 'missing'],
              $defs: { Filter: { type: 'object', properties: { kind: { const: 'news' } } } },
            },
            strict: true,
          },
          { name: 'now', parameters: { type: 'object', properties: {} } },
        ],
        builtinTools: [
          { dialect: 'gemini', type: 'googleSearch', value: { googleSearch: {} } },
          { dialect: 'openai-responses', type: 'web_search', value: { type: 'web_search' } },
        ],
      }),
    );
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'search',
            description: 'Search',
            parameters: {
              type: 'OBJECT',
              properties: {
                q: { type: 'STRING' },
                filter: { type: 'OBJECT', properties: { kind: { type: 'STRING', enum: ['news'] } } },
              },
              required: ['q'],
            },
          },
          { name: 'now' },
        ],
      },
      { googleSearch: {} },
    ]);
    expect(dropped).toContain('tools.web_search');
  });

  it.each<[ToolChoice, unknown]>([
    [{ type: 'auto' }, { functionCallingConfig: { mode: 'AUTO' } }],
    [{ type: 'none' }, { functionCallingConfig: { mode: 'NONE' } }],
    [{ type: 'required' }, { functionCallingConfig: { mode: 'ANY' } }],
    [{ type: 'tool', name: 'f' }, { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } }],
    [{ type: 'allowed', names: ['f', 'g'], mode: 'auto' }, { functionCallingConfig: { mode: 'AUTO', allowedFunctionNames: ['f', 'g'] } }],
  ])('toolChoice %j -> %j', (choice, toolConfig) => {
    expect(encode(canon([user('q')], { toolChoice: choice })).body.toolConfig).toEqual(toolConfig);
  });

  it('parallel_tool_calls:false, user, metadata, prompt_cache_key and foreign unknown fields are reported as dropped', () => {
    const { dropped } = encode(
      canon([user('q')], {
        parallelToolCalls: false,
        user: 'u1',
        metadata: { a: 'b' },
        promptCacheKey: 'k',
        unknownFields: { service_tier: 'flex' },
      }),
    );
    expect(dropped.sort()).toEqual(['metadata', 'parallel_tool_calls', 'prompt_cache_key', 'service_tier', 'user']);
  });

  it('sampling parameters, stop, logprobs and response formats', () => {
    const { body } = encode(
      canon([user('q')], {
        temperature: 0.2,
        topP: 0.8,
        topK: 20,
        maxTokens: 100,
        stop: ['a', 'b'],
        seed: 3,
        presencePenalty: 0.5,
        frequencyPenalty: 0.4,
        logprobs: true,
        topLogprobs: 2,
        responseFormat: { type: 'json_schema', name: 'x', schema: { type: 'object', properties: { a: { type: 'string' } } } },
      }),
    );
    expect(body.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.8,
      topK: 20,
      maxOutputTokens: 100,
      stopSequences: ['a', 'b'],
      seed: 3,
      presencePenalty: 0.5,
      frequencyPenalty: 0.4,
      responseLogprobs: true,
      logprobs: 2,
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object', properties: { a: { type: 'string' } } },
    });
    expect(encode(canon([user('q')], { responseFormat: { type: 'json_object' } })).body.generationConfig).toEqual({
      responseMimeType: 'application/json',
    });
  });

  it('n > 1 and more than 5 stop sequences are 400s', () => {
    expect(rejects(canon([user('q')], { n: 2 })).param).toBe('n');
    expect(rejects(canon([user('q')], { stop: ['1', '2', '3', '4', '5', '6'] })).param).toBe('stop');
  });

  it.each([
    ['gemini-2.5-flash', { effort: 'low' }, { thinkingBudget: 1024, includeThoughts: true }],
    ['gemini-2.5-flash', { effort: 'medium' }, { thinkingBudget: 8192, includeThoughts: true }],
    ['gemini-2.5-pro', { effort: 'high' }, { thinkingBudget: 24576, includeThoughts: true }],
    ['gemini-2.5-flash', { effort: 'minimal' }, { thinkingBudget: 512, includeThoughts: true }],
    ['gemini-2.5-flash', { enabled: false }, { thinkingBudget: 0 }],
    ['gemini-2.5-flash', { effort: 'none' }, { thinkingBudget: 0 }],
    ['gemini-2.5-flash', { enabled: true }, { thinkingBudget: -1, includeThoughts: true }],
    ['gemini-2.5-flash', { enabled: true, budgetTokens: 3000 }, { thinkingBudget: 3000, includeThoughts: true }],
    ['gemini-2.5-flash', { effort: 'high', includeThoughts: false }, { thinkingBudget: 24576 }],
    ['gemini-3-pro-preview', { effort: 'medium' }, { thinkingLevel: 'HIGH', includeThoughts: true }],
    ['gemini-3-pro-preview', { effort: 'minimal' }, { thinkingLevel: 'LOW', includeThoughts: true }],
    ['gemini-3-flash-preview', { effort: 'medium' }, { thinkingLevel: 'MEDIUM', includeThoughts: true }],
    ['gemini-3-flash-preview', { enabled: false }, { thinkingLevel: 'MINIMAL' }],
    ['gemini-3-pro-preview', { budgetTokens: 4096, enabled: true }, { thinkingBudget: 4096, includeThoughts: true }],
  ] as const)('%s reasoning %j -> thinkingConfig %j', (model, reasoning, thinkingConfig) => {
    const { body } = encode(canon([user('q')], { reasoning }), { upstreamModel: model });
    expect(body.generationConfig).toEqual({ thinkingConfig });
  });
});
