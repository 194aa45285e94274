import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/canonical/types.js';
import { decodeSse, recording, reference, sseBody } from './helpers.js';

function texts(events: StreamEvent[]): string {
  return events.map((e) => (e.type === 'text_delta' ? e.text : '')).join('');
}

function recordedText(chunks: Array<Record<string, unknown>>): string {
  let out = '';
  for (const c of chunks) {
    const parts = (c as { candidates?: Array<{ content?: { parts?: Array<{ text?: string }> } }> }).candidates?.[0]?.content?.parts ?? [];
    for (const p of parts) out += p.text ?? '';
  }
  return out;
}

describe('gemini stream decoder: js-genai recordings', () => {
  // 1 byte splits every multi-byte character and every JSON string; 7 and 64 give uneven cuts
  it.each([0, 1, 7, 64])('text_stream, history_stream, stream_with_parameters split every %d bytes', (step) => {
    for (const name of ['text_stream', 'history_stream', 'stream_with_parameters']) {
      const [rec] = recording(name);
      if (!rec) throw new Error('no interaction');
      const events = decodeSse(sseBody(rec.response), step);
      expect(texts(events)).toBe(recordedText(rec.response));
      expect(events[0]).toMatchObject({ type: 'start', id: rec.response[0]?.responseId, model: rec.response[0]?.modelVersion });
      const last = rec.response[rec.response.length - 1] as { usageMetadata: Record<string, number> };
      const usages = events.filter((e) => e.type === 'usage');
      const finalUsage = usages[usages.length - 1];
      expect(finalUsage).toEqual({
        type: 'usage',
        usage: {
          input: last.usageMetadata.promptTokenCount,
          cacheRead: 0,
          cacheWrite: 0,
          output: last.usageMetadata.candidatesTokenCount,
          reasoning: last.usageMetadata.thoughtsTokenCount ?? 0,
        },
      });
      expect(events.filter((e) => e.type === 'finish')).toHaveLength(1);
      expect(events[events.length - 1]?.type).toBe('finish');
      expect(events.some((e) => e.type === 'error')).toBe(false);
    }
  });

  it('stream_with_parameters: MAX_TOKENS -> length; the en dash (3 UTF-8 bytes) survives 1-byte splits', () => {
    const [rec] = recording('stream_with_parameters');
    const events = decodeSse(sseBody(rec?.response ?? []), 1);
    expect(events[events.length - 1]).toEqual({ type: 'finish', reason: 'length' });
    expect(texts(events)).toContain('wavelength \u2013 red');
    expect(events.filter((e) => e.type === 'usage').at(-1)).toMatchObject({ usage: { input: 7, output: 153, reasoning: 45 } });
  });

  it('function_calling_stream: one whole call -> start, one delta with the args, end; finish tool_calls', () => {
    const [rec] = recording('function_calling_stream');
    const events = decodeSse(sseBody(rec?.response ?? []), 5);
    const calls = events.filter((e) => e.type.startsWith('tool_call'));
    expect(calls).toEqual([
      { type: 'tool_call_start', index: 0, id: expect.stringMatching(/^call_/), name: 'customDivide' },
      { type: 'tool_call_delta', index: 0, arguments: '{"denominator":2,"numerator":100}' },
      { type: 'tool_call_end', index: 0 },
    ]);
    expect(events.filter((e) => e.type === 'usage')).toEqual([{ type: 'usage', usage: { input: 21, cacheRead: 0, cacheWrite: 0, output: 6, reasoning: 0 } }]);
    expect(events[events.length - 1]).toEqual({ type: 'finish', reason: 'tool_calls' });
  });

  it('synthesized ids are unique across two streams of the same recording', () => {
    const [first, second] = recording('function_calling_stream');
    const id = (chunks: Array<Record<string, unknown>>): string => {
      const start = decodeSse(sseBody(chunks)).find((e) => e.type === 'tool_call_start');
      return start?.type === 'tool_call_start' ? start.id : '';
    };
    expect(id(first?.response ?? [])).not.toBe(id(second?.response ?? []));
  });
});

describe('gemini stream decoder: reference streams and edge cases', () => {
  it('Gemini 3: thought -> reasoning_delta, text, then the signed empty text part; cumulative usage', () => {
    const { chunks } = reference<{ chunks: unknown[] }>('gemini3-stream');
    const events = decodeSse(sseBody(chunks), 3);
    expect(events.filter((e) => e.type !== 'usage')).toEqual([
      { type: 'start', id: 'resp-stream-1', model: 'gemini-3-pro-preview', created: expect.any(Number) },
      { type: 'reasoning_delta', text: '**Thinking about colour**\nRayleigh scattering is the key.', origin: 'gemini' },
      { type: 'text_delta', text: 'The sky looks blue because air scatters ' },
      { type: 'text_delta', text: 'short (blue) wavelengths more — “Rayleigh scattering”.' },
      { type: 'text_delta', text: '', thoughtSignature: 'c2lnLWxhc3QtcGFydA==' },
      { type: 'finish', reason: 'stop' },
    ]);
    // usage changes three times; the unchanged final chunk adds no event
    expect(events.filter((e) => e.type === 'usage').map((e) => (e.type === 'usage' ? e.usage.output : -1))).toEqual([0, 8, 19]);
  });

  it('parallel calls in one chunk get indexes 0 and 1; the signature rides on the first', () => {
    const res = reference<Record<string, unknown>>('gemini3-parallel-calls');
    const events = decodeSse(sseBody([res]));
    const starts = events.filter((e) => e.type === 'tool_call_start');
    expect(starts).toEqual([
      { type: 'tool_call_start', index: 0, id: expect.any(String), name: 'get_weather', thoughtSignature: 'c2lnLXBhcmFsbGVsLTE=' },
      { type: 'tool_call_start', index: 1, id: expect.any(String), name: 'get_weather' },
    ]);
  });

  it('a blocked prompt -> finish content_filter', () => {
    const events = decodeSse(sseBody([reference('blocked-prompt')]));
    expect(events.map((e) => e.type)).toEqual(['start', 'usage', 'finish']);
    expect(events[2]).toEqual({ type: 'finish', reason: 'content_filter' });
  });

  it('a SAFETY candidate without content -> finish content_filter, no crash', () => {
    const events = decodeSse(sseBody([{ candidates: [{ content: { role: 'model', parts: [{ text: 'Sure, ' }] } }] }, reference('safety-finish')]));
    expect(texts(events)).toBe('Sure, ');
    expect(events[events.length - 1]).toEqual({ type: 'finish', reason: 'content_filter' });
  });

  it('an in-band error chunk -> error event, nothing after it', () => {
    const events = decodeSse(
      sseBody([
        { candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] } }] },
        { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } },
        { candidates: [{ content: { role: 'model', parts: [{ text: 'lo' }] }, finishReason: 'STOP' }] },
      ]),
    );
    expect(events.map((e) => e.type)).toEqual(['start', 'text_delta', 'error']);
    expect(events[2]).toEqual({
      type: 'error',
      error: { status: 503, type: 'overloaded', message: 'The model is overloaded.', code: 'UNAVAILABLE' },
    });
  });

  it('a stream cut before finishReason ends with an error, not a clean finish', () => {
    const events = decodeSse(sseBody([{ candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] } }] }]));
    expect(events[events.length - 1]).toMatchObject({ type: 'error', error: { status: 502, type: 'upstream' } });
  });

  it('a chunk that is not JSON -> error', () => {
    const events = decodeSse('data: {"candidates": [\r\n\r\n');
    expect(events).toEqual([{ type: 'error', error: { status: 502, type: 'upstream', message: expect.stringContaining('not valid JSON') } }]);
  });

  it('keep-alive comments and \\n line endings are tolerated', () => {
    const chunk = { candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP' }] };
    const events = decodeSse(`: keep-alive\n\ndata: ${JSON.stringify(chunk)}\n\n`, 2);
    expect(events.map((e) => e.type)).toEqual(['start', 'text_delta', 'finish']);
  });
});

describe('gemini stream decoder: a very large single event', () => {
  it('a 3 MB chunk (base64-sized text with multi-byte characters) split in 64 KiB reads', () => {
    const big = 'é☀'.repeat(600_000);
    const events = decodeSse(sseBody([{ candidates: [{ content: { role: 'model', parts: [{ text: big }] }, finishReason: 'STOP' }] }]), 65_536);
    expect(texts(events)).toBe(big);
    expect(events[events.length - 1]).toEqual({ type: 'finish', reason: 'stop' });
  });
});
