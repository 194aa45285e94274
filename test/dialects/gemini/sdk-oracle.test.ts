/**
 * @google/genai 2.x as the oracle for what the Gemini encoders write: the bytes are served from a
 * 127.0.0.1 server and the SDK's own `generateContentStream` / `generateContent` / `models.list`
 * must read them as the expected text, function calls, finish reason and usage, and raise on
 * our error frames.
 */
import { ApiError, GoogleGenAI, type GenerateContentResponse, type Part } from '@google/genai';
import { afterEach, describe, expect, it } from 'vitest';
import type { CanonicalRequest, CanonicalResponse, StreamEvent } from '../../../src/canonical/types.js';
import { encodeModelList, geminiDialect } from '../../../src/dialects/gemini/index.js';
import { decodeSse, recording, replayServer, sseBody, type Replay, type Reply } from './helpers.js';

const MODEL = 'gemini-2.5-flash';
const request: CanonicalRequest = { model: MODEL, messages: [], stream: true, sourceDialect: 'gemini' };

let server: Replay | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function encodeStream(events: StreamEvent[], framing: 'sse' | 'json-array' = 'sse'): string[] {
  const enc = geminiDialect.createStreamEncoder({ model: MODEL, request, framing });
  const pieces = events.map((e) => enc.write(e)).filter((s) => s !== '');
  pieces.push(enc.end());
  return pieces;
}

async function client(reply: (url: string) => Reply): Promise<GoogleGenAI> {
  server = await replayServer(reply);
  return new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: server.baseUrl } });
}

interface StreamResult {
  chunks: GenerateContentResponse[];
  error?: unknown;
}

async function sdkStream(pieces: string[]): Promise<StreamResult> {
  const ai = await client(() => ({ body: pieces }));
  const chunks: GenerateContentResponse[] = [];
  try {
    const stream = await ai.models.generateContentStream({ model: MODEL, contents: 'hi' });
    for await (const chunk of stream) chunks.push(chunk);
    return { chunks };
  } catch (error) {
    return { chunks, error };
  }
}

const text = (r: StreamResult): string => r.chunks.map((c) => c.text ?? '').join('');
const parts = (r: StreamResult): Part[] => r.chunks.flatMap((c) => c.candidates?.[0]?.content?.parts ?? []);
const last = (r: StreamResult): GenerateContentResponse | undefined => r.chunks[r.chunks.length - 1];

const start: StreamEvent = { type: 'start', id: 'resp-1', model: 'upstream-model', created: 1 };
const usage: StreamEvent = { type: 'usage', usage: { input: 10, cacheRead: 4, cacheWrite: 0, output: 7, reasoning: 3 } };
const expectedUsage = { promptTokenCount: 14, candidatesTokenCount: 7, thoughtsTokenCount: 3, cachedContentTokenCount: 4, totalTokenCount: 24 };

describe('gemini stream encoder, read by @google/genai generateContentStream', () => {
  it('text only: the SDK joins the text; the last chunk has STOP and the usage', async () => {
    const r = await sdkStream(encodeStream([start, { type: 'text_delta', text: 'Hello' }, { type: 'text_delta', text: ', wörld ☀' }, usage, { type: 'finish', reason: 'stop' }]));
    expect(r.error).toBeUndefined();
    expect(text(r)).toBe('Hello, wörld ☀');
    expect(last(r)?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(last(r)?.usageMetadata).toEqual(expectedUsage);
    expect(r.chunks.every((c) => c.responseId === 'resp-1' && c.modelVersion === MODEL)).toBe(true);
    expect(server?.requests[0]?.url).toBe(`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`);
  });

  it('usage arriving after finish still lands on the last chunk', async () => {
    const r = await sdkStream(encodeStream([start, { type: 'text_delta', text: 'x' }, { type: 'finish', reason: 'length' }, usage]));
    expect(last(r)?.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
    expect(last(r)?.usageMetadata).toEqual(expectedUsage);
  });

  it('reasoning then text: thought parts with the Gemini signature; foreign signatures are not sent', async () => {
    const r = await sdkStream(
      encodeStream([
        start,
        { type: 'reasoning_delta', text: 'Let me think.', origin: 'gemini', signature: 'U0lHLTE=' },
        { type: 'reasoning_delta', text: 'Claude thinking', origin: 'anthropic' },
        { type: 'reasoning_delta', text: '', origin: 'anthropic', signature: 'EqQBCkYIAxgC' },
        { type: 'text_delta', text: 'Answer.' },
        { type: 'text_delta', text: '', thoughtSignature: 'VFhU' },
        { type: 'finish', reason: 'stop' },
      ]),
    );
    expect(parts(r)).toEqual([
      { thought: true, text: 'Let me think.', thoughtSignature: 'U0lHLTE=' },
      { thought: true, text: 'Claude thinking' },
      { text: 'Answer.' },
      { text: '', thoughtSignature: 'VFhU' },
    ]);
    expect(text(r)).toBe('Answer.');
  });

  it('tool call only: sent whole with id, args object and thought signature; args split across deltas', async () => {
    const r = await sdkStream(
      encodeStream([
        start,
        { type: 'tool_call_start', index: 0, id: 'call_abc', name: 'get_weather', thoughtSignature: 'U0lHLWZj' },
        { type: 'tool_call_delta', index: 0, arguments: '{"city":"Par' },
        { type: 'tool_call_delta', index: 0, arguments: 'is \\u00e9"}' },
        { type: 'tool_call_end', index: 0 },
        usage,
        { type: 'finish', reason: 'tool_calls' },
      ]),
    );
    expect(r.error).toBeUndefined();
    expect(r.chunks.flatMap((c) => c.functionCalls ?? [])).toEqual([{ id: 'call_abc', name: 'get_weather', args: { city: 'Paris é' } }]);
    expect(parts(r).find((p) => p.functionCall)?.thoughtSignature).toBe('U0lHLWZj');
    expect(last(r)?.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('text then parallel tool calls, interleaved deltas, in call order', async () => {
    const r = await sdkStream(
      encodeStream([
        start,
        { type: 'text_delta', text: 'Checking both.' },
        { type: 'tool_call_start', index: 0, id: 'c0', name: 'get_weather', thoughtSignature: 'U0lH' },
        { type: 'tool_call_start', index: 1, id: 'c1', name: 'get_weather' },
        { type: 'tool_call_delta', index: 0, arguments: '{"city":"Paris"}' },
        { type: 'tool_call_delta', index: 1, arguments: '{"city":"London"}' },
        { type: 'tool_call_end', index: 0 },
        { type: 'tool_call_end', index: 1 },
        { type: 'finish', reason: 'tool_calls' },
        usage,
      ]),
    );
    expect(text(r)).toBe('Checking both.');
    expect(r.chunks.flatMap((c) => c.functionCalls ?? [])).toEqual([
      { id: 'c0', name: 'get_weather', args: { city: 'Paris' } },
      { id: 'c1', name: 'get_weather', args: { city: 'London' } },
    ]);
    expect(parts(r).filter((p) => p.functionCall).map((p) => p.thoughtSignature)).toEqual(['U0lH', undefined]);
  });

  it('a call with empty arguments gets args {}', async () => {
    const r = await sdkStream(
      encodeStream([start, { type: 'tool_call_start', index: 0, id: 'c', name: 'now' }, { type: 'tool_call_end', index: 0 }, { type: 'finish', reason: 'tool_calls' }]),
    );
    expect(r.chunks.flatMap((c) => c.functionCalls ?? [])).toEqual([{ id: 'c', name: 'now', args: {} }]);
  });

  it('a call with invalid JSON arguments is left out: MALFORMED_FUNCTION_CALL (MAX_TOKENS when cut off)', async () => {
    const events = (reason: 'tool_calls' | 'length'): StreamEvent[] => [
      start,
      { type: 'tool_call_start', index: 0, id: 'c', name: 'write' },
      { type: 'tool_call_delta', index: 0, arguments: '{"path":"a.txt","content":"hel' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason },
    ];
    const malformed = await sdkStream(encodeStream(events('tool_calls')));
    expect(malformed.chunks.flatMap((c) => c.functionCalls ?? [])).toEqual([]);
    expect(last(malformed)?.candidates?.[0]?.finishReason).toBe('MALFORMED_FUNCTION_CALL');
    await server?.close();
    server = undefined;
    const cut = await sdkStream(encodeStream(events('length')));
    expect(last(cut)?.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
  });

  it('an error after content: the SDK yields the text, then raises ApiError with our status', async () => {
    const r = await sdkStream(
      encodeStream([start, { type: 'text_delta', text: 'partial' }, { type: 'error', error: { status: 503, type: 'overloaded', message: 'Upstream overloaded' } }]),
    );
    expect(text(r)).toBe('partial');
    expect(r.error).toBeInstanceOf(ApiError);
    expect((r.error as ApiError).status).toBe(503);
    expect((r.error as ApiError).message).toContain('Upstream overloaded');
    expect((r.error as ApiError).message).toContain('UNAVAILABLE');
  });

  it('an error before any content raises too; nothing is written after it', async () => {
    const enc = geminiDialect.createStreamEncoder({ model: MODEL, request });
    const pieces = [enc.write(start), enc.write({ type: 'error', error: { status: 429, type: 'rate_limit', message: 'Slow down' } })];
    expect(enc.write({ type: 'text_delta', text: 'late' })).toBe('');
    expect(enc.write({ type: 'finish', reason: 'stop' })).toBe('');
    pieces.push(enc.end());
    const r = await sdkStream(pieces.filter((p) => p !== ''));
    expect(r.chunks).toEqual([]);
    expect((r.error as ApiError).status).toBe(429);
  });

  it('a stream that ends without finish (upstream gone) raises instead of ending cleanly', async () => {
    const r = await sdkStream(encodeStream([start, { type: 'text_delta', text: 'half an ans' }]));
    expect(text(r)).toBe('half an ans');
    expect(r.error).toBeInstanceOf(ApiError);
    expect((r.error as ApiError).status).toBe(502);
  });

  it('frames are `data: <json>` + CRLF CRLF, no event: line, no [DONE]', () => {
    const bytes = encodeStream([start, { type: 'text_delta', text: 'a' }, { type: 'finish', reason: 'stop' }]).join('');
    expect(bytes).not.toContain('event:');
    expect(bytes).not.toContain('[DONE]');
    expect(bytes.split('\r\n\r\n').slice(0, -1).every((f) => f.startsWith('data: {'))).toBe(true);
    expect(bytes.endsWith('\r\n\r\n')).toBe(true);
  });
});

describe('gemini stream: upstream recording -> decoder -> encoder -> SDK', () => {
  it.each(['text_stream', 'history_stream', 'stream_with_parameters', 'function_calling_stream'])('%s', async (name) => {
    const [rec] = recording(name);
    if (!rec) throw new Error('no interaction');
    const events = decodeSse(sseBody(rec.response), 3);
    const r = await sdkStream(encodeStream(events));
    expect(r.error).toBeUndefined();
    const recorded = rec.response.map((c) => (c as { candidates: Array<{ content: { parts: Array<{ text?: string }> } }> }).candidates[0]?.content.parts.map((p) => p.text ?? '').join('')).join('');
    expect(text(r)).toBe(recorded);
    const upstreamLast = rec.response[rec.response.length - 1] as {
      usageMetadata: { promptTokenCount: number; candidatesTokenCount: number; thoughtsTokenCount?: number; totalTokenCount: number };
      candidates: Array<{ finishReason: string }>;
    };
    const u = last(r)?.usageMetadata;
    expect(u?.promptTokenCount).toBe(upstreamLast.usageMetadata.promptTokenCount);
    expect(u?.candidatesTokenCount).toBe(upstreamLast.usageMetadata.candidatesTokenCount);
    expect(u?.thoughtsTokenCount).toBe(upstreamLast.usageMetadata.thoughtsTokenCount);
    expect(u?.totalTokenCount).toBe(upstreamLast.usageMetadata.totalTokenCount);
    expect(last(r)?.candidates?.[0]?.finishReason).toBe(upstreamLast.candidates[0]?.finishReason);
    if (name === 'function_calling_stream') {
      expect(r.chunks.flatMap((c) => c.functionCalls ?? [])).toEqual([{ id: expect.stringMatching(/^call_/), name: 'customDivide', args: { denominator: 2, numerator: 100 } }]);
    }
  });
});

describe('gemini json-array framing', () => {
  it('the body is one JSON array of chunks', () => {
    const body = encodeStream([start, { type: 'text_delta', text: 'a' }, { type: 'text_delta', text: 'b' }, usage, { type: 'finish', reason: 'stop' }], 'json-array').join('');
    const chunks = JSON.parse(body) as Array<{ candidates: Array<{ content: { parts: Array<{ text: string }> }; finishReason?: string }> }>;
    expect(chunks).toHaveLength(3);
    expect(chunks.map((c) => c.candidates[0]?.content.parts[0]?.text ?? '').join('')).toBe('ab');
    expect(chunks[2]?.candidates[0]?.finishReason).toBe('STOP');
  });

  it('an error ends the array with an error element', () => {
    const body = encodeStream([start, { type: 'text_delta', text: 'a' }, { type: 'error', error: { status: 500, type: 'upstream', message: 'boom' } }], 'json-array').join('');
    const chunks = JSON.parse(body) as unknown[];
    expect(chunks[chunks.length - 1]).toEqual({ error: { code: 500, message: 'boom', status: 'INTERNAL' } });
  });

  it('an empty stream ending in error is still valid JSON', () => {
    const enc = geminiDialect.createStreamEncoder({ model: MODEL, request, framing: 'json-array' });
    const body = enc.write({ type: 'error', error: { status: 500, type: 'upstream', message: 'x' } }) + enc.end();
    expect(JSON.parse(body)).toHaveLength(1);
  });
});

describe('gemini encodeResponse, read by @google/genai generateContent', () => {
  const res: CanonicalResponse = {
    id: 'resp-9',
    model: 'upstream',
    created: 1,
    content: [
      { type: 'reasoning', text: 'thinking…', origin: 'gemini', signature: 'U0lH' },
      { type: 'text', text: 'Calling the tool.' },
      { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', thoughtSignature: 'Rk4=' },
      { type: 'tool_call', id: 'call_2', name: 'get_time', arguments: '' },
    ],
    finishReason: 'tool_calls',
    usage: { input: 5, cacheRead: 0, cacheWrite: 2, output: 9, reasoning: 0 },
  };

  it('text, function calls with ids and signatures, finish and usage', async () => {
    const body = geminiDialect.encodeResponse(res, { model: MODEL, request: { ...request, stream: false } });
    const ai = await client(() => ({ body: JSON.stringify(body), contentType: 'application/json; charset=UTF-8' }));
    const out = await ai.models.generateContent({ model: MODEL, contents: 'hi' });
    expect(server?.requests[0]?.url).toBe(`/v1beta/models/${MODEL}:generateContent`);
    expect(out.text).toBe('Calling the tool.');
    expect(out.functionCalls).toEqual([
      { id: 'call_1', name: 'get_weather', args: { city: 'Paris' } },
      { id: 'call_2', name: 'get_time', args: {} },
    ]);
    const ps = out.candidates?.[0]?.content?.parts ?? [];
    expect(ps[0]).toEqual({ thought: true, text: 'thinking…', thoughtSignature: 'U0lH' });
    expect(ps[2]?.thoughtSignature).toBe('Rk4=');
    expect(out.candidates?.[0]?.finishReason).toBe('STOP');
    expect(out.usageMetadata).toEqual({ promptTokenCount: 7, candidatesTokenCount: 9, totalTokenCount: 16 });
    expect(out.modelVersion).toBe(MODEL);
    expect(out.responseId).toBe('resp-9');
  });

  it('a content_filter answer with no content, and a refusal', () => {
    const blocked = geminiDialect.encodeResponse(
      { ...res, content: [], finishReason: 'content_filter', refusal: 'I can’t help with that.' },
      { model: MODEL, request },
    ) as { candidates: Array<{ content: { parts: unknown[] }; finishReason: string }> };
    expect(blocked.candidates[0]).toEqual({ content: { role: 'model', parts: [{ text: 'I can’t help with that.' }] }, finishReason: 'SAFETY', index: 0 });
  });

  it('the js-genai recording decodes and re-encodes to what the SDK reads from the original', async () => {
    const [rec] = recording('function_calling');
    const decoded = geminiDialect.decodeResponse(rec?.response[0]);
    const body = geminiDialect.encodeResponse(decoded, { model: 'gemini-2.0-flash', request });
    const ai = await client(() => ({ body: JSON.stringify(body), contentType: 'application/json' }));
    const out = await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'what is the result of 100/2' });
    expect(out.functionCalls?.map((f) => [f.name, f.args])).toEqual([['customDivide', { denominator: 2, numerator: 100 }]]);
    expect(out.usageMetadata).toMatchObject({ promptTokenCount: 21, candidatesTokenCount: 6, totalTokenCount: 27 });
  });

  it('an error body makes generateContent throw ApiError with the status', async () => {
    const err = geminiDialect.encodeError({ status: 404, type: 'not_found', message: 'models/nope is not found' });
    const ai = await client(() => ({ status: 404, body: JSON.stringify(err), contentType: 'application/json' }));
    await expect(ai.models.generateContent({ model: 'nope', contents: 'x' })).rejects.toMatchObject({ name: 'ApiError', status: 404 });
  });
});

describe('encodeModelList, read by @google/genai models.list', () => {
  it('lists models/<id> with display names and generation methods', async () => {
    const body = encodeModelList([{ id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash' }, { id: 'team-default' }]);
    const ai = await client(() => ({ body: JSON.stringify(body), contentType: 'application/json' }));
    const seen: Array<{ name?: string; displayName?: string; supportedActions?: string[] }> = [];
    for await (const m of await ai.models.list()) seen.push(m);
    expect(seen.map((m) => [m.name, m.displayName])).toEqual([
      ['models/gemini-2.5-flash', 'Gemini 2.5 Flash'],
      ['models/team-default', 'team-default'],
    ]);
    expect(seen[0]?.supportedActions).toEqual(['generateContent', 'streamGenerateContent', 'countTokens']);
    expect(server?.requests[0]?.method).toBe('GET');
  });
});

describe('gemini stream encoder: usage bookkeeping', () => {
  it('start usage (input known early) is kept; later usage supersedes bucket by bucket; zeros when none', () => {
    const enc = geminiDialect.createStreamEncoder({ model: MODEL, request });
    const frames = [
      enc.write({ type: 'start', id: 'r', model: 'm', created: 1, usage: { input: 30, output: 1 } }),
      enc.write({ type: 'text_delta', text: 'a' }),
      enc.write({ type: 'usage', usage: { output: 12 } }),
      enc.write({ type: 'finish', reason: 'stop' }),
      enc.end(),
    ].filter((f) => f !== '');
    const chunks = frames.map((f) => JSON.parse(f.slice('data: '.length)) as { usageMetadata?: Record<string, number> });
    expect(chunks[0]?.usageMetadata).toEqual({ promptTokenCount: 30, candidatesTokenCount: 1, totalTokenCount: 31 });
    expect(chunks[1]?.usageMetadata).toEqual({ promptTokenCount: 30, candidatesTokenCount: 12, totalTokenCount: 42 });

    const bare = geminiDialect.createStreamEncoder({ model: MODEL, request });
    const out = bare.write({ type: 'finish', reason: 'stop' }) + bare.end();
    expect(JSON.parse(out.slice('data: '.length))).toMatchObject({ usageMetadata: { promptTokenCount: 0, candidatesTokenCount: 0, totalTokenCount: 0 } });
  });
});
