import { describe, expect, it } from 'vitest';
import type { ToolCallBlock } from '../../../src/canonical/types.js';
import { geminiDialect } from '../../../src/dialects/gemini/index.js';
import { recording, reference } from './helpers.js';

describe('gemini decodeResponse', () => {
  it('function_calling recording: a call without id gets a unique call_ id; STOP + call -> tool_calls; usage', () => {
    const [first, second] = recording('function_calling');
    const a = geminiDialect.decodeResponse(first?.response[0]);
    const b = geminiDialect.decodeResponse(second?.response[0]);
    expect(a).toMatchObject({
      id: 'x9SfaLCQBs7shMIP2Mei0AI',
      model: 'gemini-2.0-flash',
      finishReason: 'tool_calls',
      usage: { input: 21, cacheRead: 0, cacheWrite: 0, output: 6, reasoning: 0 },
    });
    expect(a.content).toEqual([
      { type: 'tool_call', id: expect.stringMatching(/^call_[0-9a-f]{24}$/), name: 'customDivide', arguments: '{"denominator":2,"numerator":100}' },
    ]);
    const idA = (a.content[0] as ToolCallBlock).id;
    const idB = (b.content[0] as ToolCallBlock).id;
    expect(idA).not.toBe(idB);
    expect(typeof a.created).toBe('number');
  });

  it('Gemini 3 parallel calls: thought -> reasoning, signature on the first call only, cached and thought tokens', () => {
    const res = geminiDialect.decodeResponse(reference('gemini3-parallel-calls'));
    expect(res.content).toEqual([
      { type: 'reasoning', text: '**Checking both cities**\nI need the weather in Paris and in London.', origin: 'gemini' },
      { type: 'tool_call', id: expect.any(String), name: 'get_weather', arguments: '{"city":"Paris"}', thoughtSignature: 'c2lnLXBhcmFsbGVsLTE=' },
      { type: 'tool_call', id: expect.any(String), name: 'get_weather', arguments: '{"city":"London"}' },
    ]);
    expect(res.finishReason).toBe('tool_calls');
    // promptTokenCount 1200 includes the 1000 cached; candidates 40 excludes the 150 thought tokens
    expect(res.usage).toEqual({ input: 200, cacheRead: 1000, cacheWrite: 0, output: 40, reasoning: 150 });
  });

  it('a blocked prompt (no candidates) -> empty content_filter answer with usage', () => {
    const res = geminiDialect.decodeResponse(reference('blocked-prompt'));
    expect(res).toMatchObject({ content: [], finishReason: 'content_filter', usage: { input: 12, output: 0 } });
  });

  it('a SAFETY candidate without content does not crash', () => {
    const res = geminiDialect.decodeResponse(reference('safety-finish'));
    expect(res).toMatchObject({ content: [], finishReason: 'content_filter', id: 'resp-safety-1' });
  });

  it('MALFORMED_FUNCTION_CALL with a content that has no parts -> finish error', () => {
    const res = geminiDialect.decodeResponse(reference('malformed-call'));
    expect(res).toMatchObject({ content: [], finishReason: 'error' });
  });

  it('toolUsePromptTokenCount counts as input', () => {
    const res = geminiDialect.decodeResponse({
      candidates: [{ content: { role: 'model', parts: [{ text: 'x' }] }, finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: 10, toolUsePromptTokenCount: 5, cachedContentTokenCount: 4, candidatesTokenCount: 1 },
    });
    expect(res.usage).toEqual({ input: 11, cacheRead: 4, cacheWrite: 0, output: 1, reasoning: 0 });
  });

  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['SPII', 'content_filter'],
    ['IMAGE_SAFETY', 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', 'error'],
    ['UNEXPECTED_TOOL_CALL', 'error'],
    ['OTHER', 'stop'],
    [undefined, 'stop'],
  ])('finishReason %s -> %s', (reason, expected) => {
    const res = geminiDialect.decodeResponse({ candidates: [{ content: { role: 'model', parts: [{ text: 'x' }] }, finishReason: reason }] });
    expect(res.finishReason).toBe(expected);
  });

  it('text parts are joined unless signed; a signed empty text part keeps its signature; code parts are opaque', () => {
    const res = geminiDialect.decodeResponse({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'Hello, ' },
              { text: 'world.' },
              { executableCode: { language: 'PYTHON', code: 'print(2)' } },
              { text: '', thoughtSignature: 'U0lH' },
            ],
          },
          finishReason: 'STOP',
        },
      ],
    });
    expect(res.content).toEqual([
      { type: 'text', text: 'Hello, world.' },
      { type: 'opaque', dialect: 'gemini', value: { executableCode: { language: 'PYTHON', code: 'print(2)' } } },
      { type: 'text', text: '', thoughtSignature: 'U0lH' },
    ]);
  });

  it('garbage in does not throw', () => {
    expect(geminiDialect.decodeResponse(null)).toMatchObject({ content: [], finishReason: 'stop' });
    expect(geminiDialect.decodeResponse({ candidates: 'x', usageMetadata: 5 }).content).toEqual([]);
  });
});

describe('gemini decodeError / encodeError', () => {
  it('stream_with_error recording: the 404 body decodes to not_found with Gemini’s message', () => {
    const [rec] = recording('stream_with_error');
    const err = geminiDialect.decodeError(rec?.status ?? 0, rec?.response[0]);
    expect(err).toEqual({
      status: 404,
      type: 'not_found',
      code: 'NOT_FOUND',
      message:
        'models/custom-gemini-2.0-flash is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.',
    });
  });

  it.each([
    [400, 'INVALID_ARGUMENT', 'invalid_request'],
    [401, 'UNAUTHENTICATED', 'authentication'],
    [403, 'PERMISSION_DENIED', 'permission'],
    [429, 'RESOURCE_EXHAUSTED', 'rate_limit'],
    [500, 'INTERNAL', 'upstream'],
    [503, 'UNAVAILABLE', 'overloaded'],
    [504, 'DEADLINE_EXCEEDED', 'timeout'],
  ])('%d %s <-> %s', (code, status, type) => {
    const decoded = geminiDialect.decodeError(code, { error: { code, message: 'm', status } });
    expect(decoded.type).toBe(type);
    expect(geminiDialect.encodeError({ status: code, type: decoded.type, message: 'm' })).toEqual({ error: { code, message: 'm', status } });
  });

  it('a context-window error gets code context_length_exceeded; a non-JSON body keeps its text', () => {
    const e = geminiDialect.decodeError(400, {
      error: { code: 400, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', status: 'INVALID_ARGUMENT' },
    });
    expect(e.code).toBe('context_length_exceeded');
    expect(geminiDialect.decodeError(502, 'Bad Gateway')).toMatchObject({ status: 502, type: 'upstream', message: 'Bad Gateway' });
    expect(geminiDialect.decodeError(429, [{ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } }]).type).toBe('rate_limit');
  });

  it('errors without a Gemini status use the type (Anthropic 529 overloaded -> UNAVAILABLE)', () => {
    expect(geminiDialect.encodeError({ status: 529, type: 'overloaded', message: 'busy' })).toEqual({
      error: { code: 529, message: 'busy', status: 'UNAVAILABLE' },
    });
    expect(geminiDialect.encodeError({ status: 200, type: 'internal', message: 'x' })).toMatchObject({ error: { code: 500 } });
  });
});
