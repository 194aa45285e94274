import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/canonical/errors.js';
import type { CanonicalRequest, ToolCallBlock, ToolResultBlock } from '../../../src/canonical/types.js';
import { geminiDialect } from '../../../src/dialects/gemini/index.js';
import { modelOf, recording, reference } from './helpers.js';

const decode = (body: unknown, ctx: { model?: string; stream?: boolean } = { model: 'gemini-2.5-flash' }): CanonicalRequest =>
  geminiDialect.decodeRequest(body, ctx);

function rejects(body: unknown, param: string | undefined, ctx?: { model?: string; stream?: boolean }): GatewayError {
  try {
    decode(body, ctx);
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError);
    const err = e as GatewayError;
    expect(err.status).toBe(400);
    expect(err.type).toBe('invalid_request');
    if (param !== undefined) expect(err.param).toBe(param);
    return err;
  }
  throw new Error('expected a 400');
}

describe('gemini decodeRequest: js-genai recordings', () => {
  it('text_stream: model and stream mode come from the URL', () => {
    const [rec] = recording('text_stream');
    if (!rec) throw new Error('no interaction');
    const req = decode(rec.request, { model: modelOf(rec.url), stream: rec.url.includes(':streamGenerateContent') });
    expect(req).toEqual({
      model: 'gemini-2.0-flash',
      stream: true,
      sourceDialect: 'gemini',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'why is the sky blue?' }] }],
    });
  });

  it('history_stream: three consecutive user turns stay three messages in order', () => {
    const [rec] = recording('history_stream');
    const req = decode(rec?.request);
    expect(req.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', [{ type: 'text', text: 'a=5' }]],
      ['user', [{ type: 'text', text: 'b=10' }]],
      ['user', [{ type: 'text', text: 'what is the value of a+b?' }]],
    ]);
  });

  it('stream_with_parameters: candidateCount, maxOutputTokens, thinkingBudget', () => {
    const [rec] = recording('stream_with_parameters');
    const req = decode(rec?.request, { model: 'gemini-2.5-flash', stream: true });
    expect(req.n).toBe(1);
    expect(req.maxTokens).toBe(200);
    expect(req.reasoning).toEqual({ enabled: true, budgetTokens: 50, includeThoughts: false });
    expect(req.unknownFields).toBeUndefined();
  });

  it('function_calling: upper-case OpenAPI schema becomes lower-case JSON Schema', () => {
    const [rec] = recording('function_calling');
    const req = decode(rec?.request);
    expect(req.tools).toEqual([
      {
        name: 'customDivide',
        description: 'Custom divide function',
        parameters: {
          type: 'object',
          properties: { denominator: { type: 'number' }, numerator: { type: 'number' } },
        },
      },
    ]);
  });

  it('function_calling (2nd turn): an id-less functionCall gets the deterministic id call_<turn>_<k>', () => {
    const [, rec] = recording('function_calling');
    const req = decode(rec?.request);
    expect(req.messages[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'tool_call', id: 'call_1_0', name: 'customDivide', arguments: '{"denominator":2,"numerator":100}' }],
    });
    // the same history decodes to the same ids
    expect(decode(rec?.request).messages[1]).toEqual(req.messages[1]);
  });
});

describe('gemini decodeRequest: Gemini CLI request (reference fixture)', () => {
  const fixture = reference<{ url: string; body: Record<string, unknown> }>('gemini-cli-request');
  const req = decode(fixture.body, { model: modelOf(fixture.url), stream: true });

  it('systemInstruction becomes the leading system message', () => {
    expect(req.messages[0]).toEqual({
      role: 'system',
      content: [{ type: 'text', text: 'You are an interactive CLI agent specializing in software engineering tasks.' }],
    });
  });

  it('the first user turn keeps its two text parts', () => {
    expect(req.messages[1]?.role).toBe('user');
    expect(req.messages[1]?.content).toHaveLength(2);
  });

  it('thought part -> reasoning (origin gemini); functionCall id and thoughtSignature are kept', () => {
    expect(req.messages[2]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: '**Reading the README**\nI will open the file first.', origin: 'gemini' },
        {
          type: 'tool_call',
          id: 'read_file-1763712000000-a1b2c3',
          name: 'read_file',
          arguments: '{"absolute_path":"/work/README.md"}',
          thoughtSignature: 'c2lnLXJlYWQtZmlsZS0x',
        },
      ],
    });
  });

  it('functionResponse -> a tool message with the call id, the name and the response as JSON text', () => {
    expect(req.messages[3]).toEqual({
      role: 'tool',
      content: [
        {
          type: 'tool_result',
          toolCallId: 'read_file-1763712000000-a1b2c3',
          name: 'read_file',
          content: [{ type: 'text', text: '{"output":"# Demo\\nA tiny demo project."}' }],
        },
      ],
    });
  });

  it('parametersJsonSchema is taken as is; OpenAPI parameters are converted (nullable -> null type)', () => {
    expect(req.tools?.[0]?.parameters).toEqual({
      type: 'object',
      properties: { absolute_path: { type: 'string', description: 'The absolute path to the file to read.' } },
      required: ['absolute_path'],
    });
    expect(req.tools?.[1]?.parameters).toEqual({
      type: 'object',
      properties: {
        command: { type: 'string', description: 'Exact bash command to execute.' },
        timeout: { type: ['integer', 'null'], minimum: 1 },
      },
      required: ['command'],
    });
  });

  it('thinkingConfig -> reasoning; sampling parameters', () => {
    expect(req.reasoning).toEqual({ includeThoughts: true, effort: 'high', enabled: true });
    expect(req.temperature).toBe(0);
    expect(req.topP).toBe(1);
    expect(req.stream).toBe(true);
    expect(req.model).toBe('gemini-3-pro-preview');
  });
});

describe('gemini decodeRequest: parts', () => {
  it('media: inlineData image / audio / pdf, fileData', () => {
    const req = decode({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'look' },
            { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
            { inlineData: { mimeType: 'audio/mpeg', data: 'SUQz' } },
            { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
            { fileData: { mimeType: 'video/mp4', fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc' } },
            { fileData: { mimeType: 'image/jpeg', fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/img' } },
          ],
        },
      ],
    });
    expect(req.messages[0]?.content).toEqual([
      { type: 'text', text: 'look' },
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'audio', data: 'SUQz', format: 'mp3' },
      { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' } },
      { type: 'file', source: { kind: 'file', fileId: 'https://generativelanguage.googleapis.com/v1beta/files/abc', mediaType: 'video/mp4' } },
      { type: 'image', source: { kind: 'file', fileId: 'https://generativelanguage.googleapis.com/v1beta/files/img', mediaType: 'image/jpeg' } },
    ]);
  });

  it('thoughtSignature on a text part -> TextBlock.thoughtSignature; on a thought part -> ReasoningBlock.signature', () => {
    const req = decode({
      contents: [
        { role: 'user', parts: [{ text: 'hi' }] },
        {
          role: 'model',
          parts: [
            { text: 'pondering', thought: true, thoughtSignature: 'U0lHMQ==' },
            { text: 'Hello!', thoughtSignature: 'U0lHMg==' },
          ],
        },
      ],
    });
    expect(req.messages[1]?.content).toEqual([
      { type: 'reasoning', text: 'pondering', origin: 'gemini', signature: 'U0lHMQ==' },
      { type: 'text', text: 'Hello!', thoughtSignature: 'U0lHMg==' },
    ]);
  });

  it('executableCode / codeExecutionResult -> opaque blocks for Gemini replay', () => {
    const code = { executableCode: { language: 'PYTHON', code: 'print(1)' } };
    const result = { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '1\n' } };
    const req = decode({ contents: [{ role: 'user', parts: [{ text: 'run' }] }, { role: 'model', parts: [code, result] }] });
    expect(req.messages[1]?.content).toEqual([
      { type: 'opaque', dialect: 'gemini', value: code },
      { type: 'opaque', dialect: 'gemini', value: result },
    ]);
  });

  it('id-less parallel calls and responses pair up by name in order; ids are stable across turns', () => {
    const body = {
      contents: [
        { role: 'user', parts: [{ text: 'weather in Paris and London, and the time' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
            { functionCall: { name: 'get_time', args: {} } },
            { functionCall: { name: 'get_weather', args: { city: 'London' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_time', response: { time: '12:00' } } },
            { functionResponse: { name: 'get_weather', response: { temp: 20 } } },
            { functionResponse: { name: 'get_weather', response: { temp: 15 } } },
          ],
        },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Rome' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 25 } } }] },
      ],
    };
    const req = decode(body);
    const calls = req.messages.flatMap((m) => m.content).filter((b): b is ToolCallBlock => b.type === 'tool_call');
    const results = req.messages.flatMap((m) => m.content).filter((b): b is ToolResultBlock => b.type === 'tool_result');
    expect(calls.map((c) => c.id)).toEqual(['call_1_0', 'call_1_1', 'call_1_2', 'call_3_0']);
    expect(results.map((r) => [r.name, r.toolCallId])).toEqual([
      ['get_time', 'call_1_1'],
      ['get_weather', 'call_1_0'],
      ['get_weather', 'call_1_2'],
      ['get_weather', 'call_3_0'],
    ]);
    expect(req.messages[2]?.role).toBe('tool');
  });

  it('a user turn mixing functionResponse and text splits into a tool message and a user message, in order', () => {
    const req = decode({
      contents: [
        { role: 'user', parts: [{ text: 'go' }] },
        { role: 'model', parts: [{ functionCall: { id: 'c1', name: 'ls', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { id: 'c1', name: 'ls', response: { error: 'denied' } } }, { text: 'try again' }] },
      ],
    });
    expect(req.messages.slice(2)).toEqual([
      {
        role: 'tool',
        content: [{ type: 'tool_result', toolCallId: 'c1', name: 'ls', content: [{ type: 'text', text: '{"error":"denied"}' }], isError: true }],
      },
      { role: 'user', content: [{ type: 'text', text: 'try again' }] },
    ]);
  });

  it('a turn without role is a user turn', () => {
    expect(decode({ contents: [{ parts: [{ text: 'x' }] }] }).messages[0]?.role).toBe('user');
  });
});

describe('gemini decodeRequest: tools, toolConfig, generationConfig', () => {
  const base = { contents: [{ role: 'user', parts: [{ text: 'q' }] }] };

  it('built-in tools -> builtinTools of dialect gemini', () => {
    const req = decode({ ...base, tools: [{ googleSearch: {} }, { codeExecution: {} }, { urlContext: {} }] });
    expect(req.builtinTools).toEqual([
      { dialect: 'gemini', type: 'googleSearch', value: { googleSearch: {} } },
      { dialect: 'gemini', type: 'codeExecution', value: { codeExecution: {} } },
      { dialect: 'gemini', type: 'urlContext', value: { urlContext: {} } },
    ]);
    expect(req.tools).toBeUndefined();
  });

  it('a declaration without parameters gets an empty object schema', () => {
    const req = decode({ ...base, tools: [{ functionDeclarations: [{ name: 'now' }] }] });
    expect(req.tools).toEqual([{ name: 'now', parameters: { type: 'object', properties: {} } }]);
  });

  it.each([
    [{ mode: 'AUTO' }, { type: 'auto' }, false],
    [{ mode: 'NONE' }, { type: 'none' }, false],
    [{ mode: 'ANY' }, { type: 'required' }, false],
    [{ mode: 'ANY', allowedFunctionNames: ['a'] }, { type: 'tool', name: 'a' }, false],
    [{ mode: 'ANY', allowedFunctionNames: ['a', 'b'] }, { type: 'allowed', names: ['a', 'b'], mode: 'required' }, false],
    [{ mode: 'AUTO', allowedFunctionNames: ['a'] }, { type: 'allowed', names: ['a'], mode: 'auto' }, false],
    [{ mode: 'VALIDATED' }, { type: 'auto' }, true],
  ])('functionCallingConfig %j -> %j', (fcc, choice, keepsRaw) => {
    const toolConfig = { functionCallingConfig: fcc };
    const req = decode({ ...base, toolConfig });
    expect(req.toolChoice).toEqual(choice);
    expect(req.unknownFields?.toolConfig).toEqual(keepsRaw ? toolConfig : undefined);
  });

  it('generationConfig parameters map to canonical fields', () => {
    const req = decode({
      ...base,
      generationConfig: {
        temperature: 0.3,
        topP: 0.9,
        topK: 40,
        maxOutputTokens: 512,
        stopSequences: ['END'],
        seed: 7,
        presencePenalty: 0.1,
        frequencyPenalty: 0.2,
        responseLogprobs: true,
        logprobs: 3,
      },
    });
    expect(req).toMatchObject({
      temperature: 0.3,
      topP: 0.9,
      topK: 40,
      maxTokens: 512,
      stop: ['END'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      logprobs: true,
      topLogprobs: 3,
    });
  });

  it.each([
    [{ responseMimeType: 'application/json' }, { type: 'json_object' }],
    [
      { responseMimeType: 'application/json', responseJsonSchema: { type: 'object', properties: { a: { type: 'string' } } } },
      { type: 'json_schema', name: 'response', schema: { type: 'object', properties: { a: { type: 'string' } } } },
    ],
    [
      { responseMimeType: 'application/json', responseSchema: { type: 'ARRAY', items: { type: 'STRING' } } },
      { type: 'json_schema', name: 'response', schema: { type: 'array', items: { type: 'string' } } },
    ],
  ])('response format %j', (gc, format) => {
    expect(decode({ ...base, generationConfig: gc }).responseFormat).toEqual(format);
  });

  it.each([
    [{ thinkingBudget: 0 }, { enabled: false, includeThoughts: false }],
    [{ thinkingBudget: -1, includeThoughts: true }, { enabled: true, includeThoughts: true }],
    [{ thinkingBudget: 2048 }, { enabled: true, budgetTokens: 2048, includeThoughts: false }],
    [{ thinkingLevel: 'LOW' }, { enabled: true, effort: 'low', includeThoughts: false }],
    [{ thinkingLevel: 'minimal' }, { enabled: true, effort: 'minimal', includeThoughts: false }],
  ])('thinkingConfig %j -> reasoning %j', (tc, reasoning) => {
    expect(decode({ ...base, generationConfig: { thinkingConfig: tc } }).reasoning).toEqual(reasoning);
  });

  it('safetySettings, cachedContent, labels and unknown generation fields go to unknownFields', () => {
    const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }];
    const req = decode({
      ...base,
      safetySettings,
      cachedContent: 'cachedContents/abc',
      labels: { team: 'a' },
      generationConfig: { temperature: 1, responseModalities: ['TEXT'], mediaResolution: 'MEDIA_RESOLUTION_LOW' },
    });
    expect(req.unknownFields).toEqual({
      safetySettings,
      cachedContent: 'cachedContents/abc',
      labels: { team: 'a' },
      generationConfig: { responseModalities: ['TEXT'], mediaResolution: 'MEDIA_RESOLUTION_LOW' },
    });
    expect(req.temperature).toBe(1);
  });
});

describe('gemini decodeRequest: validation is a 400 that names the field', () => {
  it('no model in the context', () => {
    const err = rejects({ contents: [] }, 'model', {});
    expect(err.message).toContain('generateContent');
  });
  it.each([
    [null, undefined],
    ['text', undefined],
    [{}, 'contents'],
    [{ contents: 'hi' }, 'contents'],
    [{ contents: [42] }, 'contents[0]'],
    [{ contents: [{ role: 'assistant', parts: [] }] }, 'contents[0].role'],
    [{ contents: [{ role: 'user', parts: [{ text: 5 }] }] }, 'contents[0].parts[0].text'],
    [{ contents: [{ role: 'model', parts: [{ functionCall: { args: {} } }] }] }, 'contents[0].parts[0].functionCall.name'],
    [{ contents: [{ role: 'model', parts: [{ functionCall: { name: 'f', args: '{}' } }] }] }, 'contents[0].parts[0].functionCall.args'],
    [{ contents: [{ role: 'user', parts: [{ functionResponse: { name: 'f', response: 'ok' } }] }] }, 'contents[0].parts[0].functionResponse.response'],
    [{ contents: [{ role: 'user', parts: [{ inlineData: { data: 'x' } }] }] }, 'contents[0].parts[0].inlineData'],
    [{ contents: [], generationConfig: { temperature: 'hot' } }, 'generationConfig.temperature'],
    [{ contents: [], generationConfig: { maxOutputTokens: 1.5 } }, 'generationConfig.maxOutputTokens'],
    [{ contents: [], generationConfig: { stopSequences: [1] } }, 'generationConfig.stopSequences'],
    [{ contents: [], generationConfig: { thinkingConfig: { thinkingLevel: 'ULTRA' } } }, 'generationConfig.thinkingConfig.thinkingLevel'],
    [{ contents: [], toolConfig: { functionCallingConfig: { mode: 'SOMETIMES' } } }, 'toolConfig.functionCallingConfig.mode'],
    [{ contents: [], tools: [{ functionDeclarations: [{ description: 'x' }] }] }, 'tools[0].functionDeclarations[0].name'],
    [{ contents: [], systemInstruction: { parts: [{ inlineData: { mimeType: 'image/png', data: '' } }] } }, 'systemInstruction.parts[0]'],
  ])('%j -> param %s', (body, param) => {
    rejects(body, param);
  });
});

describe('gemini decodeRequest: snake_case field names (Google’s curl examples)', () => {
  it('are read like camelCase, without touching function args, responses or schema property names', () => {
    const req = decode({
      system_instruction: { parts: { text: 'You are a cat.' } },
      contents: [
        { role: 'user', parts: [{ text: 'see' }, { inline_data: { mime_type: 'image/png', data: 'AAAA' } }] },
        { role: 'model', parts: [{ function_call: { name: 'f', args: { mime_type: 'x', top_k: 1 } }, thought_signature: 'U0lH' }] },
        { role: 'user', parts: [{ function_response: { name: 'f', response: { file_uri: 'y' } } }] },
      ],
      tools: [
        {
          function_declarations: [
            { name: 'f', parameters: { type: 'OBJECT', properties: { mime_type: { type: 'STRING' } }, property_ordering: ['mime_type'] } },
          ],
        },
      ],
      tool_config: { function_calling_config: { mode: 'ANY', allowed_function_names: ['f'] } },
      generation_config: { max_output_tokens: 10, thinking_config: { thinking_budget: 0 }, response_mime_type: 'application/json' },
    });
    expect(req.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'You are a cat.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'see' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_call', id: 'call_1_0', name: 'f', arguments: '{"mime_type":"x","top_k":1}', thoughtSignature: 'U0lH' }] },
      { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'call_1_0', name: 'f', content: [{ type: 'text', text: '{"file_uri":"y"}' }] }] },
    ]);
    expect(req.tools?.[0]?.parameters).toEqual({ type: 'object', properties: { mime_type: { type: 'string' } } });
    expect(req.toolChoice).toEqual({ type: 'tool', name: 'f' });
    expect(req).toMatchObject({ maxTokens: 10, reasoning: { enabled: false }, responseFormat: { type: 'json_object' } });
    expect(req.unknownFields).toBeUndefined();
  });

  it('a signed generated image in a model turn is kept as an opaque Gemini part', () => {
    const part = { inlineData: { mimeType: 'image/png', data: 'AAAA' }, thoughtSignature: 'U0lH' };
    const req = decode({ contents: [{ role: 'user', parts: [{ text: 'draw' }] }, { role: 'model', parts: [part] }] });
    expect(req.messages[1]?.content).toEqual([{ type: 'opaque', dialect: 'gemini', value: part }]);
  });
});

describe('gemini decodeRequest: ids made up by the client', () => {
  it('a call without id takes the id the client put on its response (Gemini CLI)', () => {
    const req = decode({
      contents: [
        { role: 'user', parts: [{ text: 'read it' }] },
        { role: 'model', parts: [{ functionCall: { name: 'read_file', args: { path: 'a' } } }, { functionCall: { name: 'read_file', args: { path: 'b' } } }] },
        {
          role: 'user',
          parts: [
            { functionResponse: { id: 'read_file-1-x', name: 'read_file', response: { output: 'A' } } },
            { functionResponse: { id: 'read_file-2-y', name: 'read_file', response: { output: 'B' } } },
          ],
        },
      ],
    });
    const calls = req.messages[1]?.content.map((b) => (b.type === 'tool_call' ? b.id : ''));
    const results = req.messages[2]?.content.map((b) => (b.type === 'tool_result' ? b.toolCallId : ''));
    expect(calls).toEqual(['read_file-1-x', 'read_file-2-y']);
    expect(results).toEqual(['read_file-1-x', 'read_file-2-y']);
  });
});
