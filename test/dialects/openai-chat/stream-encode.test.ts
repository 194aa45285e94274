/**
 * The stream encoder, with the official openai SDK (v6) as the oracle: the encoded bytes are
 * served by a local HTTP server and `chat.completions.stream(...).finalChatCompletion()` must
 * assemble the expected completion.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSignatureFromId } from '../../../src/canonical/opaque.js';
import type { CanonicalRequest, StreamEvent } from '../../../src/canonical/types.js';
import { openAiChatDialect } from '../../../src/dialects/openai-chat/index.js';

function encode(events: StreamEvent[], includeUsage = true): string[] {
  const request: CanonicalRequest = {
    model: 'my-model',
    messages: [],
    stream: true,
    sourceDialect: 'openai-chat',
    ...(includeUsage ? { streamIncludeUsage: true } : {}),
  };
  const enc = openAiChatDialect.createStreamEncoder({ model: 'my-model', request });
  const out = events.map((e) => enc.write(e));
  out.push(enc.end());
  return out.filter((s) => s !== '');
}

/** The JSON payloads of `data:` frames (and the literal [DONE]). */
function frames(pieces: string[]): unknown[] {
  return pieces
    .join('')
    .split('\n\n')
    .filter((f) => f.startsWith('data: '))
    .map((f) => {
      const d = f.slice(6);
      return d === '[DONE]' ? d : (JSON.parse(d) as unknown);
    });
}

let server: Server;
let client: OpenAI;
let body: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const pieces = body;
      let i = 0;
      const next = (): void => {
        if (i >= pieces.length) {
          res.end();
          return;
        }
        res.write(pieces[i++], next);
      };
      next();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'test', maxRetries: 0 });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function sdkFinal(events: StreamEvent[], includeUsage = true) {
  body = encode(events, includeUsage);
  const stream = client.chat.completions.stream({
    model: 'my-model',
    messages: [{ role: 'user', content: 'hi' }],
    ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
  });
  return stream.finalChatCompletion();
}

const start: StreamEvent = { type: 'start', id: 'msg_01XYZ', model: 'claude-x', created: 1700000000 };
const usage: StreamEvent = { type: 'usage', usage: { input: 10, cacheRead: 90, cacheWrite: 0, output: 7, reasoning: 3 } };
const sdkUsage = {
  prompt_tokens: 100,
  completion_tokens: 10,
  total_tokens: 110,
  prompt_tokens_details: { cached_tokens: 90 },
  completion_tokens_details: { reasoning_tokens: 3 },
};

describe('openai-chat stream encoder, checked by the openai SDK', () => {
  it('text only, usage before finish', async () => {
    const c = await sdkFinal([start, { type: 'text_delta', text: 'Hel' }, { type: 'text_delta', text: 'lo ✓' }, usage, { type: 'finish', reason: 'stop' }]);
    expect(c.id).toBe('chatcmpl-msg_01XYZ');
    expect(c.model).toBe('my-model');
    expect(c.choices).toHaveLength(1);
    expect(c.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Hello ✓', refusal: null });
    expect(c.choices[0]?.finish_reason).toBe('stop');
    expect(c.usage).toEqual(sdkUsage);
  });

  it('tool call only (no text), usage after finish', async () => {
    const c = await sdkFinal([
      start,
      { type: 'tool_call_start', index: 0, id: 'toolu_1', name: 'get_weather' },
      { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
      { type: 'tool_call_delta', index: 0, arguments: '"Oslo"}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
      usage,
    ]);
    expect(c.choices[0]?.message.content).toBeNull();
    expect(c.choices[0]?.message.tool_calls).toEqual([{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }]);
    expect(c.choices[0]?.finish_reason).toBe('tool_calls');
    expect(c.usage).toEqual(sdkUsage);
  });

  it('text then parallel tool calls (canonical indexes need not start at 0)', async () => {
    const c = await sdkFinal([
      start,
      { type: 'text_delta', text: 'Checking both.' },
      { type: 'tool_call_start', index: 1, id: 'call_a', name: 'weather' },
      { type: 'tool_call_delta', index: 1, arguments: '{"city":"Paris"}' },
      { type: 'tool_call_end', index: 1 },
      { type: 'tool_call_start', index: 2, id: 'call_b', name: 'time' },
      { type: 'tool_call_end', index: 2 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(c.choices[0]?.message.content).toBe('Checking both.');
    expect(c.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_b', type: 'function', function: { name: 'time', arguments: '' } },
    ]);
    // no usage event at all: the client asked for usage, so it gets a (zero) usage chunk
    expect(c.usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });

  it('reasoning then text: reasoning_content deltas, content untouched', async () => {
    const events: StreamEvent[] = [
      start,
      { type: 'reasoning_delta', text: 'Let me ', origin: 'anthropic' },
      { type: 'reasoning_delta', text: 'think.', origin: 'anthropic' },
      { type: 'reasoning_delta', text: '', origin: 'anthropic', signature: 'EqQBsig' },
      { type: 'text_delta', text: 'Answer.' },
      { type: 'finish', reason: 'stop' },
      usage,
    ];
    const c = await sdkFinal(events);
    expect(c.choices[0]?.message.content).toBe('Answer.');
    const raw = frames(encode(events)) as Array<{ choices: Array<{ delta: Record<string, unknown> }> } | string>;
    const deltas = raw.flatMap((f) => (typeof f === 'string' ? [] : f.choices.map((ch) => ch.delta)));
    expect(deltas.map((d) => d.reasoning_content ?? '').join('')).toBe('Let me think.');
    expect(deltas.find((d) => d.thinking_blocks)?.thinking_blocks).toEqual([{ type: 'thinking', thinking: 'Let me think.', signature: 'EqQBsig' }]);
  });

  it('a Gemini thought signature: embedded in the tool-call id and in extra_content', async () => {
    const c = await sdkFinal([
      start,
      { type: 'tool_call_start', index: 0, id: 'call_g', name: 'f', thoughtSignature: 'CiQBsig==' },
      { type: 'tool_call_delta', index: 0, arguments: '{}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    const call = c.choices[0]?.message.tool_calls?.[0] as unknown as { id: string; extra_content: unknown };
    expect(extractSignatureFromId(call.id)).toEqual({ baseId: 'call_g', signature: 'CiQBsig==' });
    expect(call.extra_content).toEqual({ google: { thought_signature: 'CiQBsig==' } });
  });

  it('without include_usage there is no usage chunk', async () => {
    const c = await sdkFinal([start, { type: 'text_delta', text: 'x' }, usage, { type: 'finish', reason: 'length' }], false);
    expect(c.usage).toBeUndefined();
    expect(c.choices[0]?.finish_reason).toBe('length');
  });

  it('an error mid-stream is raised by the SDK', async () => {
    const events: StreamEvent[] = [
      start,
      { type: 'text_delta', text: 'partial' },
      { type: 'error', error: { status: 529, type: 'overloaded', message: 'Overloaded' } },
    ];
    await expect(sdkFinal(events)).rejects.toThrow(/Overloaded/);
  });

  it('a finish with reason error is raised as an error too', async () => {
    await expect(sdkFinal([start, { type: 'text_delta', text: 'x' }, { type: 'finish', reason: 'error' }])).rejects.toThrow(/stopped with an error/);
  });
});

describe('openai-chat stream encoder: the bytes', () => {
  const finishFrames = (pieces: string[]) =>
    (frames(pieces) as Array<{ choices?: Array<{ finish_reason: string | null }> } | string>).filter(
      (f) => typeof f !== 'string' && f.choices?.some((c) => c.finish_reason !== null),
    );

  it('role chunk first, finish exactly once before the usage chunk, then [DONE] — whatever the usage order', () => {
    const text: StreamEvent = { type: 'text_delta', text: 'hi' };
    const finish: StreamEvent = { type: 'finish', reason: 'stop_sequence' };
    for (const events of [
      [start, text, usage, finish],
      [start, text, finish, usage],
      [start, text, usage, finish, usage],
    ]) {
      const all = frames(encode(events)) as Array<Record<string, unknown> | string>;
      expect(all[0]).toEqual({
        id: 'chatcmpl-msg_01XYZ',
        object: 'chat.completion.chunk',
        created: 1700000000,
        model: 'my-model',
        choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
        usage: null,
      });
      expect(all.slice(-3)).toEqual([
        { id: 'chatcmpl-msg_01XYZ', object: 'chat.completion.chunk', created: 1700000000, model: 'my-model', choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], usage: null },
        { id: 'chatcmpl-msg_01XYZ', object: 'chat.completion.chunk', created: 1700000000, model: 'my-model', choices: [], usage: sdkUsage },
        '[DONE]',
      ]);
      expect(finishFrames(encode(events))).toHaveLength(1);
    }
  });

  it('the first fragment of a tool call has index, id, type, name and empty arguments', () => {
    const all = frames(encode([start, { type: 'tool_call_start', index: 0, id: 'c1', name: 'f' }, { type: 'tool_call_delta', index: 0, arguments: '{}' }, { type: 'finish', reason: 'tool_calls' }])) as Array<{ choices: Array<{ delta: unknown }> }>;
    expect(all[1]?.choices[0]?.delta).toEqual({ tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '' } }] });
    expect(all[2]?.choices[0]?.delta).toEqual({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] });
  });

  it('finish reasons are only the standard values', () => {
    const cases: Array<[StreamEvent & { type: 'finish' }, string]> = [
      [{ type: 'finish', reason: 'refusal' }, 'content_filter'],
      [{ type: 'finish', reason: 'pause_turn' }, 'stop'],
      [{ type: 'finish', reason: 'content_filter' }, 'content_filter'],
      [{ type: 'finish', reason: 'length' }, 'length'],
    ];
    for (const [ev, wire] of cases) {
      const f = finishFrames(encode([start, ev])) as Array<{ choices: Array<{ finish_reason: string }> }>;
      expect(f[0]?.choices[0]?.finish_reason).toBe(wire);
    }
  });

  it('an error: one OpenAI error frame, no [DONE], nothing after it', () => {
    const pieces = encode([start, { type: 'text_delta', text: 'a' }, { type: 'error', error: { status: 429, type: 'rate_limit', message: 'slow down', code: 'rate_limit_exceeded' } }, { type: 'text_delta', text: 'b' }]);
    const all = frames(pieces);
    expect(all.at(-1)).toEqual({ error: { message: 'slow down', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } });
    expect(all).not.toContain('[DONE]');
    expect(pieces.join('')).not.toContain('"b"');
  });

  it('a stream that ends without finish or error ends with an error frame, not [DONE]', () => {
    const all = frames(encode([start, { type: 'text_delta', text: 'a' }]));
    expect(all.at(-1)).toMatchObject({ error: { type: 'server_error' } });
    expect(all).not.toContain('[DONE]');
  });

  it('decoder then encoder: an upstream chat stream re-encoded keeps text, tools and usage', async () => {
    // a stream from an OpenAI-compatible upstream, decoded and re-encoded for a chat client
    const upstream = [
      { id: 'u1', object: 'chat.completion.chunk', created: 5, model: 'up', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }] },
      { id: 'u1', object: 'chat.completion.chunk', created: 5, model: 'up', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a"' } }] }, finish_reason: null }] },
      { id: 'u1', object: 'chat.completion.chunk', created: 5, model: 'up', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }, finish_reason: null }] },
      { id: 'u1', object: 'chat.completion.chunk', created: 5, model: 'up', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { id: 'u1', object: 'chat.completion.chunk', created: 5, model: 'up', choices: [], usage: { prompt_tokens: 100, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 90 }, completion_tokens_details: { reasoning_tokens: 3 } } },
    ];
    const dec = openAiChatDialect.createStreamDecoder();
    const events = [...upstream.map((c) => ({ data: JSON.stringify(c) })), { data: '[DONE]' }].flatMap((e) => dec.push(e));
    events.push(...dec.end());
    const c = await sdkFinal(events);
    expect(c.id).toBe('chatcmpl-u1');
    expect(c.choices[0]?.message.content).toBe('Hi');
    expect(c.choices[0]?.message.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }]);
    expect(c.usage).toEqual(sdkUsage);
  });
});
