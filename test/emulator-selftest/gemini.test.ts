import { GoogleGenAI, Type } from '@google/genai';
import type { GenerateContentResponse, Tool } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { KEY, geminiRecording, post, shapeGaps, useEmulator } from './helpers.js';

const emulator = useEmulator();
const client = (): GoogleGenAI => new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: emulator().url } });
const MODEL = 'gemini-2.5-flash';

const DIVIDE_TOOL: Tool = {
  functionDeclarations: [
    {
      name: 'customDivide',
      description: 'Custom divide function',
      parameters: { type: Type.OBJECT, properties: { numerator: { type: Type.NUMBER }, denominator: { type: Type.NUMBER } } },
    },
  ],
};

describe('Gemini generateContent', () => {
  it('answers with a GenerateContentResponse and usage, key in x-goog-api-key', async () => {
    const res = await client().models.generateContent({ model: MODEL, contents: 'why is the sky blue?' });
    expect(res.text).toBe('Echo: why is the sky blue?');
    expect(res.candidates?.[0]?.finishReason).toBe('STOP');
    expect(res.usageMetadata).toMatchObject({ promptTokenCount: 5, candidatesTokenCount: 6, totalTokenCount: 11 });
    expect(emulator().received.at(-1)).toMatchObject({
      path: `/v1beta/models/${MODEL}:generateContent`,
      operation: 'gemini.generate',
      model: MODEL,
      keySource: 'x-goog-api-key',
    });
  });

  it('has every field of the real function-calling recording, plus an id and a thoughtSignature', async () => {
    emulator().script({ toolCalls: [{ name: 'customDivide', arguments: { numerator: 100, denominator: 2 } }] });
    const res = await client().models.generateContent({
      model: MODEL,
      contents: 'what is the result of 100/2',
      config: { tools: [DIVIDE_TOOL] },
    });
    expect(res.functionCalls).toEqual([{ id: expect.any(String) as string, name: 'customDivide', args: { numerator: 100, denominator: 2 } }]);
    const part = res.candidates?.[0]?.content?.parts?.[0];
    expect(part?.thoughtSignature).toEqual(expect.any(String));
    const real = geminiRecording('emu-function_calling.json')[0];
    expect(shapeGaps(JSON.parse(JSON.stringify(res)), real, ['candidates[].avgLogprobs', 'usageMetadata.candidatesTokensDetails'])).toEqual([]);
  });

  it('includes thought parts when includeThoughts is set', async () => {
    emulator().script({ reasoning: { text: 'Dividing now.', signature: 'c2lnbmF0dXJl' }, text: '50' });
    const res = await client().models.generateContent({
      model: MODEL,
      contents: 'what is 100/2?',
      config: { thinkingConfig: { includeThoughts: true } },
    });
    const parts = res.candidates?.[0]?.content?.parts ?? [];
    expect(parts).toEqual([
      { text: 'Dividing now.', thought: true },
      { text: '50', thoughtSignature: 'c2lnbmF0dXJl' },
    ]);
    expect(res.text).toBe('50');
    expect(res.usageMetadata?.thoughtsTokenCount).toBe(2);
  });
});

describe('Gemini streamGenerateContent', () => {
  it('streams SSE chunks the SDK reads, with cumulative usage on every chunk', async () => {
    const stream = await client().models.generateContentStream({ model: MODEL, contents: 'why is the sky blue?' });
    const chunks: GenerateContentResponse[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.text)).toEqual(['Echo:', ' why', ' is', ' the', ' sky', ' blue?']);
    const counts = chunks.map((c) => c.usageMetadata?.candidatesTokenCount ?? -1);
    expect(counts).toEqual([1, 2, 3, 4, 5, 6]);
    expect(chunks.every((c) => c.usageMetadata?.promptTokenCount === 5)).toBe(true);
    expect(chunks.map((c) => c.candidates?.[0]?.finishReason ?? null)).toEqual([null, null, null, null, null, 'STOP']);
    expect(emulator().received.at(-1)).toMatchObject({ query: { alt: 'sse' }, stream: true, operation: 'gemini.stream' });
  });

  it('frames end in \\r\\n\\r\\n, no [DONE], chunks shaped like the real recording', async () => {
    const res = await post(`${emulator().url}/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`, { contents: [{ role: 'user', parts: [{ text: 'hi there' }] }] }, {
      'x-goog-api-key': KEY,
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const frames = res.text.split('\r\n\r\n');
    expect(frames.pop()).toBe('');
    expect(frames.every((f) => f.startsWith('data: {'))).toBe(true);
    expect(res.text).not.toContain('[DONE]');
    const ours = frames.map((f) => JSON.parse(f.slice(6)) as unknown);
    expect(shapeGaps(ours, geminiRecording('emu-text_stream.json'), ['[].usageMetadata.candidatesTokensDetails'])).toEqual([]);
  });

  it('streams function calls with id and thoughtSignature', async () => {
    emulator().script({
      text: 'Dividing.',
      toolCalls: [
        { name: 'customDivide', arguments: { numerator: 100, denominator: 2 } },
        { name: 'customDivide', arguments: { numerator: 50, denominator: 2 } },
      ],
    });
    const stream = await client().models.generateContentStream({
      model: MODEL,
      contents: 'divide twice',
      config: { tools: [DIVIDE_TOOL] },
    });
    const calls: unknown[] = [];
    const signed: boolean[] = [];
    for await (const chunk of stream) {
      for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
        if (part.functionCall) {
          calls.push(part.functionCall);
          signed.push(typeof part.thoughtSignature === 'string');
        }
      }
    }
    expect(calls).toMatchObject([
      { name: 'customDivide', args: { numerator: 100, denominator: 2 } },
      { name: 'customDivide', args: { numerator: 50, denominator: 2 } },
    ]);
    const ids = calls.map((c) => (c as { id?: string }).id);
    expect(ids.every((id) => typeof id === 'string' && id !== '')).toBe(true);
    expect(new Set(ids).size).toBe(2);
    expect(signed).toEqual([true, false]);
  });

  it('streams thought parts first when includeThoughts is set', async () => {
    const stream = await client().models.generateContentStream({
      model: MODEL,
      contents: 'ponder',
      config: { thinkingConfig: { includeThoughts: true } },
    });
    const parts: { text?: string; thought?: boolean }[] = [];
    for await (const chunk of stream) parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
    expect(parts.filter((p) => p.thought).map((p) => p.text).join('')).toBe('Thinking about: ponder');
    expect(parts.filter((p) => !p.thought).map((p) => p.text).join('')).toBe('Echo: ponder');
    expect(parts.findIndex((p) => !p.thought)).toBe(parts.filter((p) => p.thought).length);
  });

  it('without alt=sse streams a JSON array', async () => {
    const res = await post(`${emulator().url}/v1beta/models/${MODEL}:streamGenerateContent`, { contents: [{ parts: [{ text: 'a b' }] }] }, {
      'x-goog-api-key': KEY,
    });
    const body = JSON.parse(res.text) as { candidates: { content: { parts: { text: string }[] } }[] }[];
    expect(Array.isArray(body)).toBe(true);
    expect(body.map((c) => c.candidates[0]?.content.parts[0]?.text)).toEqual(['Echo:', ' a', ' b']);
  });

  it('accepts the key as ?key= and records that it came from the query', async () => {
    const res = await post(`${emulator().url}/v1beta/models/${MODEL}:generateContent?key=${KEY}`, { contents: [{ parts: [{ text: 'q' }] }] }, {});
    expect(res.status).toBe(200);
    expect(emulator().received.at(-1)).toMatchObject({ key: KEY, keySource: 'query' });
  });
});

describe('Gemini models', () => {
  it('lists models as models/<id>', async () => {
    const names: string[] = [];
    for await (const m of await client().models.list()) names.push(m.name ?? '');
    expect(names).toContain(`models/${MODEL}`);
    const one = await client().models.get({ model: MODEL });
    expect(one.name).toBe(`models/${MODEL}`);
  });

  it('counts tokens', async () => {
    const res = await client().models.countTokens({ model: MODEL, contents: '123456789' });
    expect(res.totalTokens).toBe(3);
  });
});
