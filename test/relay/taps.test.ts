import { describe, expect, it } from 'vitest';
import { lastObjectValue } from '../../src/relay/json-scan.js';
import { anthropicTap, geminiTap, openAiChatTap, openAiResponsesTap, type TapState } from '../../src/relay/passthrough-taps.js';
import { usageOfBody } from '../../src/relay/usage-scan.js';
import { emptyUsage } from '../../src/usage/extract.js';

const state = (): TapState => ({ usage: emptyUsage(), sawEnd: false, error: null });

describe('usage from a forwarded body', () => {
  it('reads the last usage object, ignoring the word inside strings', () => {
    const body = Buffer.from(
      JSON.stringify({
        choices: [{ message: { content: 'the "usage": {bogus} word' } }],
        usage: { prompt_tokens: 10, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } },
      }),
    );
    expect(usageOfBody('openai-chat', body)).toEqual({ input: 6, cacheRead: 4, cacheWrite: 0, output: 5, reasoning: 2 });
    expect(lastObjectValue(Buffer.from('{"a": "}"}'), 'a')).toBeUndefined();
    expect(lastObjectValue(Buffer.from('{"u" :  {"x":"}{"}}'), 'u')).toEqual({ x: '}{' });
  });

  it('maps each dialect into the five buckets', () => {
    expect(usageOfBody('anthropic', Buffer.from('{"usage":{"input_tokens":3,"cache_read_input_tokens":5,"cache_creation_input_tokens":7,"output_tokens":9}}'))).toEqual({
      input: 3,
      cacheRead: 5,
      cacheWrite: 7,
      output: 9,
      reasoning: 0,
    });
    expect(usageOfBody('gemini', Buffer.from('{"usageMetadata":{"promptTokenCount":20,"cachedContentTokenCount":8,"candidatesTokenCount":5,"thoughtsTokenCount":11}}'))).toEqual({
      input: 12,
      cacheRead: 8,
      cacheWrite: 0,
      output: 5,
      reasoning: 11,
    });
    expect(
      usageOfBody('openai-responses', Buffer.from('{"usage":{"input_tokens":9,"input_tokens_details":{"cached_tokens":1},"output_tokens":4,"output_tokens_details":{"reasoning_tokens":3}}}')),
    ).toEqual({ input: 8, cacheRead: 1, cacheWrite: 0, output: 1, reasoning: 3 });
    expect(usageOfBody('embeddings', Buffer.from('{"usage":{"prompt_tokens":6,"total_tokens":6}}')).input).toBe(6);
  });
});

describe('passthrough taps', () => {
  const chunk = (o: unknown): string => `data: ${JSON.stringify(o)}\n\n`;

  it('OpenAI chat: drops the usage-only chunk for a client that did not ask, keeps it otherwise', () => {
    const region = Buffer.from(
      chunk({ choices: [{ delta: { content: 'hi' }, finish_reason: null }], usage: null }) +
        chunk({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } }) +
        'data: [DONE]\n\n',
    );
    const s1 = state();
    const out = openAiChatTap(false).region(region, s1).toString();
    expect(out).not.toContain('"choices":[]');
    expect(out).toContain('"content":"hi"');
    expect(out).toContain('[DONE]');
    expect(s1.usage.output).toBe(2);
    expect(s1.sawEnd).toBe(true);
    const s2 = state();
    expect(openAiChatTap(true).region(region, s2).toString()).toBe(region.toString());
  });

  it('OpenAI chat: drops exactly the usage-only event from the middle of a CRLF-framed region', () => {
    const crlf = (o: unknown): string => `data: ${JSON.stringify(o)}\r\n\r\n`;
    const before = crlf({ choices: [{ delta: { content: 'a' } }] });
    const usage = crlf({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 1 } });
    const after = crlf({ choices: [{ delta: { content: 'b' } }] }) + 'data: [DONE]\r\n\r\n';
    const s = state();
    const out = openAiChatTap(false).region(Buffer.from(before + usage + after), s).toString();
    expect(out).toBe(before + after);
    expect(s.usage.input).toBe(3);
    expect(s.sawEnd).toBe(true);
  });

  it('OpenAI chat: a region without markers is forwarded as the same buffer', () => {
    const region = Buffer.from(chunk({ choices: [{ delta: { content: 'x' } }] }));
    expect(openAiChatTap(false).region(region, state())).toBe(region);
  });

  it('OpenAI chat: notes an in-band error', () => {
    const s = state();
    openAiChatTap(false).region(Buffer.from(chunk({ error: { message: 'boom' } })), s);
    expect(s.error).toBe('boom');
    expect(s.sawEnd).toBe(false);
  });

  it('Anthropic: input usage from message_start, output from message_delta, end at message_stop', () => {
    const s = state();
    const ev = (type: string, o: unknown): string => `event: ${type}\ndata: ${JSON.stringify(o)}\n\n`;
    anthropicTap().region(
      Buffer.from(
        ev('message_start', { type: 'message_start', message: { usage: { input_tokens: 11, cache_read_input_tokens: 3, output_tokens: 1 } } }) +
          ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 6 } }) +
          ev('message_stop', { type: 'message_stop' }),
      ),
      s,
    );
    expect(s.usage).toMatchObject({ input: 11, cacheRead: 3, output: 6 });
    expect(s.sawEnd).toBe(true);
  });

  it('Responses: usage and end from response.completed; response.failed is an error', () => {
    const s = state();
    openAiResponsesTap().region(
      Buffer.from(`event: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', response: { usage: { input_tokens: 4, output_tokens: 3 } } })}\n\n`),
      s,
    );
    expect(s).toMatchObject({ sawEnd: true, usage: { input: 4, output: 3 } });
    const f = state();
    openAiResponsesTap().region(
      Buffer.from(`event: response.failed\ndata: ${JSON.stringify({ type: 'response.failed', response: { error: { message: 'nope' } } })}\n\n`),
      f,
    );
    expect(f.error).toBe('nope');
  });

  it('Gemini: cumulative usage (last wins) and the finish reason ends the stream', () => {
    const s = state();
    const tap = geminiTap();
    tap.region(Buffer.from(`data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: 'a' }] } }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1 } })}\r\n\r\n`), s);
    tap.region(
      Buffer.from(`data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: 'b' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2 } })}\r\n\r\n`),
      s,
    );
    expect(s.usage).toMatchObject({ input: 5, output: 2 });
    expect(s.sawEnd).toBe(true);
  });
});
