import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/canonical/errors.js';
import { unpackReasoning } from '../../../src/canonical/opaque.js';
import type { CanonicalResponse, FinishReason } from '../../../src/canonical/types.js';
import { anthropicDialect, fromAnthropicId } from '../../../src/dialects/anthropic/index.js';
import { baseRequest, fixtureJson } from './helpers.js';

describe('anthropic decodeResponse', () => {
  it('decodes a text message with cache usage (input excludes cache on Anthropic)', () => {
    const res = anthropicDialect.decodeResponse(fixtureJson('message-text.json'));
    expect(res).toMatchObject({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Hi! My name is Claude.' }],
      finishReason: 'stop',
      usage: { input: 2095, cacheRead: 1800, cacheWrite: 120, output: 503, reasoning: 0 },
    });
    expect(res.stopSequence).toBeUndefined();
    expect(typeof res.created).toBe('number');
  });

  it('decodes parallel tool_use blocks with input as JSON text (empty input -> "{}")', () => {
    const res = anthropicDialect.decodeResponse(fixtureJson('message-tool-use.json'));
    expect(res.finishReason).toBe('tool_calls');
    expect(res.content).toEqual([
      { type: 'text', text: "I'll check the current weather in San Francisco for you." },
      { type: 'tool_call', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
      { type: 'tool_call', id: 'toolu_01B19q90qw90lq917835lq0', name: 'get_time', arguments: '{}' },
    ]);
    expect(res.usage).toEqual({ input: 472, cacheRead: 0, cacheWrite: 0, output: 91, reasoning: 0 });
  });

  it('decodes thinking + redacted thinking, stop_sequence, and splits thinking tokens when Anthropic states them', () => {
    const res = anthropicDialect.decodeResponse(fixtureJson('message-thinking.json'));
    expect(res.content).toEqual([
      {
        type: 'reasoning',
        text: 'Let me analyze this step by step...',
        origin: 'anthropic',
        signature: 'WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL',
      },
      {
        type: 'reasoning',
        text: '',
        origin: 'anthropic',
        redactedData:
          'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB9URj2pLmN3kF8/dW5hR7xJ0aP1oLs9yTcMnKVf2wRpEGjH9XZaBt4UvDcPrQ',
      },
      { type: 'text', text: 'Based on my analysis, the answer is 42.' },
    ]);
    expect(res.finishReason).toBe('stop_sequence');
    expect(res.stopSequence).toBe('###');
    expect(res.usage).toEqual({ input: 88, cacheRead: 0, cacheWrite: 0, output: 50, reasoning: 300 });
  });

  it('keeps server tool blocks as opaque and maps pause_turn', () => {
    const res = anthropicDialect.decodeResponse(fixtureJson('message-server-tool.json'));
    expect(res.finishReason).toBe('pause_turn');
    expect(res.content.map((b) => b.type)).toEqual(['text', 'opaque', 'opaque', 'text']);
    expect(res.content[1]).toEqual({
      type: 'opaque',
      dialect: 'anthropic',
      value: { type: 'server_tool_use', id: 'srvtoolu_01WYG3ziw53XMcoyKL4XcZmE', name: 'web_search', input: { query: 'claude shannon birth date' } },
    });
  });

  it.each<[string, FinishReason]>([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop_sequence'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'refusal'],
    ['pause_turn', 'pause_turn'],
    ['model_context_window_exceeded', 'length'],
  ])('maps stop_reason %s to %s', (stop, finish) => {
    const body = { ...(fixtureJson('message-text.json') as object), stop_reason: stop };
    expect(anthropicDialect.decodeResponse(body).finishReason).toBe(finish);
  });

  it('refuses a body that is not a message with a 502', () => {
    expect(() => anthropicDialect.decodeResponse({ type: 'message' })).toThrow(GatewayError);
    try {
      anthropicDialect.decodeResponse('nope');
    } catch (e) {
      expect((e as GatewayError).status).toBe(502);
    }
  });
});

function response(over: Partial<CanonicalResponse>): CanonicalResponse {
  return {
    id: 'chatcmpl-abc',
    model: 'gpt-x',
    created: 1700000000,
    content: [],
    finishReason: 'stop',
    usage: { input: 10, cacheRead: 5, cacheWrite: 2, output: 20, reasoning: 7 },
    ...over,
  };
}

const ctx = { model: 'my-claude', request: baseRequest({ sourceDialect: 'anthropic', maxTokens: 100 }) };

describe('anthropic encodeResponse', () => {
  it('builds a message object: msg_ id, client model, usage with output = output + reasoning', () => {
    const out = anthropicDialect.encodeResponse(response({ content: [{ type: 'text', text: 'Hello' }] }), ctx);
    expect(out).toEqual({
      id: 'msg_chatcmpl-abc',
      type: 'message',
      role: 'assistant',
      model: 'my-claude',
      content: [{ type: 'text', text: 'Hello' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: 10,
        cache_creation_input_tokens: 2,
        cache_read_input_tokens: 5,
        output_tokens: 27,
        output_tokens_details: { thinking_tokens: 7 },
      },
    });
  });

  it('encodes reasoning, tool calls (safe ids, parsed input) and says tool_use even when upstream said stop', () => {
    const out = anthropicDialect.encodeResponse(
      response({
        id: 'msg_1',
        content: [
          { type: 'reasoning', text: 'think', origin: 'anthropic', signature: 'sig' },
          { type: 'reasoning', text: '', origin: 'anthropic', redactedData: 'R' },
          { type: 'text', text: '' },
          { type: 'tool_call', id: 'call_a', name: 'f', arguments: '{"x":[1,2]}' },
          { type: 'tool_call', id: 'weird id', name: 'g', arguments: '' },
          { type: 'tool_call', id: 'fc_1', name: 'h', arguments: '{}', thoughtSignature: 'gsig' },
        ],
        finishReason: 'stop',
      }),
      ctx,
    ) as { id: string; content: Array<Record<string, unknown>>; stop_reason: string };
    expect(out.id).toBe('msg_1');
    expect(out.stop_reason).toBe('tool_use');
    expect(out.content.slice(0, 3)).toEqual([
      { type: 'thinking', thinking: 'think', signature: 'sig' },
      { type: 'redacted_thinking', data: 'R' },
      { type: 'tool_use', id: 'call_a', name: 'f', input: { x: [1, 2] } },
    ]);
    const weird = out.content[3] as { id: string; input: unknown };
    expect(weird.id).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(fromAnthropicId(weird.id)).toBe('weird id');
    expect(weird.input).toEqual({});
    // a Gemini thought signature rides in the id and comes back when the client replays it
    const sigId = out.content[4]?.id as string;
    const replay = anthropicDialect.decodeRequest({
      model: 'm',
      max_tokens: 5,
      messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: sigId, name: 'h', input: {} }] }],
    });
    expect(replay.messages[0]?.content[0]).toEqual({ type: 'tool_call', id: 'fc_1', name: 'h', arguments: '{}', thoughtSignature: 'gsig' });
  });

  it('shows another vendor\'s reasoning as thinking with its state packed in the signature', () => {
    const out = anthropicDialect.encodeResponse(
      response({ content: [{ type: 'reasoning', text: 'gemini thought', origin: 'gemini', signature: 'gem-sig' }, { type: 'text', text: 'A' }] }),
      ctx,
    ) as { content: Array<{ type: string; signature?: string }> };
    const sig = out.content[0]?.signature ?? '';
    expect(out.content[0]?.type).toBe('thinking');
    expect(unpackReasoning(sig)).toMatchObject({ origin: 'gemini', signature: 'gem-sig' });
    // replayed by the client, it is not Anthropic's and is never sent to Anthropic
    const replay = anthropicDialect.decodeRequest({
      model: 'm',
      max_tokens: 5,
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: out.content },
        { role: 'user', content: 'q2' },
      ],
    });
    expect(replay.messages[1]?.content[0]).toEqual({ type: 'reasoning', text: 'gemini thought', origin: 'gemini', signature: 'gem-sig' });
    const upstream = anthropicDialect.encodeRequest(replay, { upstreamModel: 'c' }).body.messages as Array<{ content: unknown[] }>;
    expect(upstream[1]?.content).toEqual([{ type: 'text', text: 'A' }]);
  });

  it.each<[FinishReason, string]>([
    ['stop', 'end_turn'],
    ['stop_sequence', 'stop_sequence'],
    ['length', 'max_tokens'],
    ['content_filter', 'refusal'],
    ['refusal', 'refusal'],
    ['pause_turn', 'pause_turn'],
    ['error', 'end_turn'],
  ])('maps finish %s to stop_reason %s', (finish, stop) => {
    const out = anthropicDialect.encodeResponse(response({ content: [{ type: 'text', text: 'x' }], finishReason: finish }), ctx) as {
      stop_reason: string;
    };
    expect(out.stop_reason).toBe(stop);
  });

  it('carries the stop sequence and a refusal text', () => {
    const out = anthropicDialect.encodeResponse(
      response({ content: [], finishReason: 'content_filter', refusal: 'I cannot help with that.', stopSequence: undefined }),
      ctx,
    ) as { content: unknown; stop_sequence: unknown };
    expect(out.content).toEqual([{ type: 'text', text: 'I cannot help with that.' }]);
    const s = anthropicDialect.encodeResponse(response({ content: [{ type: 'text', text: 'a' }], finishReason: 'stop_sequence', stopSequence: '###' }), ctx) as {
      stop_sequence: unknown;
    };
    expect(s.stop_sequence).toBe('###');
  });

  it('decode -> encode of an Anthropic message keeps its content and usage', () => {
    for (const name of ['message-text.json', 'message-tool-use.json', 'message-thinking.json']) {
      const original = fixtureJson(name) as Record<string, unknown> & { usage: Record<string, unknown> };
      const out = anthropicDialect.encodeResponse(anthropicDialect.decodeResponse(original), { ...ctx, model: original.model as string }) as Record<
        string,
        unknown
      > & { usage: Record<string, unknown> };
      expect(out.id).toBe(original.id);
      expect(out.stop_reason).toBe(original.stop_reason);
      expect(out.stop_sequence).toBe(original.stop_sequence);
      expect(out.usage.input_tokens).toBe(original.usage.input_tokens);
      expect(out.usage.output_tokens).toBe(original.usage.output_tokens);
      const strip = (blocks: unknown) => (blocks as Array<Record<string, unknown>>).map(({ citations: _c, ...rest }) => rest);
      expect(strip(out.content)).toEqual(strip(original.content));
    }
  });
});
