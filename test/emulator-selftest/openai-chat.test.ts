import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { KEY, cassette, jsonFrames, post, shapeGaps, useEmulator } from './helpers.js';

const emulator = useEmulator();
const client = (): OpenAI => new OpenAI({ apiKey: KEY, baseURL: `${emulator().url}/v1`, maxRetries: 0 });

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_current_weather',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

describe('OpenAI chat completions, non-stream', () => {
  it('echoes the last user message, with usage counted from the request', async () => {
    const text = 'What is the weather like in Boston today?';
    const res = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: text },
      ],
    });
    expect(res.object).toBe('chat.completion');
    expect(res.model).toBe('gpt-4o-mini');
    expect(res.choices[0]?.message).toMatchObject({ role: 'assistant', content: `Echo: ${text}` });
    expect(res.choices[0]?.finish_reason).toBe('stop');
    // input: ceil((9 + 41 chars) / 4); output: one token per word piece of "Echo: What is the ... today?"
    expect(res.usage).toMatchObject({ prompt_tokens: 13, completion_tokens: 9, total_tokens: 22 });
  });

  it('has every field of a real OpenAI chat completion (chat-basic capture)', async () => {
    const real = cassette('emu-chat-basic.yaml');
    const body = await post(`${emulator().url}/v1/chat/completions`, real.requestBody, { authorization: `Bearer ${KEY}` });
    expect(body.status).toBe(200);
    expect(shapeGaps(JSON.parse(body.text), JSON.parse(real.responseBody))).toEqual([]);
  });

  it('renders scripted parallel tool calls after text like the chat-tools capture', async () => {
    emulator().script({
      text: 'Let me check.',
      toolCalls: [
        { name: 'get_current_weather', arguments: { location: 'Boston, MA', unit: 'fahrenheit' } },
        { name: 'get_current_weather', arguments: { location: 'Paris' } },
      ],
    });
    const res = await client().chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather in Boston and Paris?' }],
      tools: [WEATHER_TOOL],
    });
    const msg = res.choices[0]?.message;
    expect(res.choices[0]?.finish_reason).toBe('tool_calls');
    expect(msg?.content).toBe('Let me check.');
    const calls = (msg?.tool_calls ?? []).map((c) => (c.type === 'function' ? c : null));
    expect(calls.map((c) => c?.function.name)).toEqual(['get_current_weather', 'get_current_weather']);
    expect(calls.map((c) => JSON.parse(c?.function.arguments ?? 'null') as unknown)).toEqual([
      { location: 'Boston, MA', unit: 'fahrenheit' },
      { location: 'Paris' },
    ]);
    expect(new Set(calls.map((c) => c?.id)).size).toBe(2);
    expect(calls.every((c) => c?.id.startsWith('call_'))).toBe(true);
  });

  it('tool-only replies carry content null, with the capture shape', async () => {
    const real = cassette('emu-chat-tools.yaml');
    emulator().script({ toolCalls: [{ name: 'get_current_weather', arguments: { location: 'Boston, MA' } }] });
    const body = await post(`${emulator().url}/v1/chat/completions`, real.requestBody, { authorization: `Bearer ${KEY}` });
    const ours = JSON.parse(body.text) as { choices: { message: { content: unknown } }[] };
    expect(ours.choices[0]?.message.content).toBeNull();
    expect(shapeGaps(ours, JSON.parse(real.responseBody))).toEqual([]);
  });

  it('uses scripted finish reason, usage and cached tokens', async () => {
    emulator().script({
      text: 'cut short',
      finishReason: 'length',
      usage: { inputTokens: 120, outputTokens: 50, cachedTokens: 100, reasoningTokens: 20 },
    });
    const res = await client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    expect(res.choices[0]?.finish_reason).toBe('length');
    expect(res.usage).toMatchObject({
      prompt_tokens: 120,
      completion_tokens: 50,
      total_tokens: 170,
      prompt_tokens_details: { cached_tokens: 100 },
      completion_tokens_details: { reasoning_tokens: 20 },
    });
  });

  it('echoes a tool result when the last message is a tool message', async () => {
    const res = await client().chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'w', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '22 degrees' },
      ],
    });
    expect(res.choices[0]?.message.content).toBe('Echo: 22 degrees');
  });
});

describe('OpenAI chat completions, stream', () => {
  it('streams word by word and the SDK assembles the final completion', async () => {
    const stream = client().chat.completions.stream({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hello there friend' }],
    });
    const deltas: string[] = [];
    stream.on('content', (delta) => deltas.push(delta));
    const final = await stream.finalChatCompletion();
    expect(deltas).toEqual(['Echo:', ' Hello', ' there', ' friend']);
    expect(final.choices[0]?.message.content).toBe('Echo: Hello there friend');
    expect(final.choices[0]?.finish_reason).toBe('stop');
  });

  it('with include_usage: usage null on every chunk, then a choices-free usage chunk, then [DONE]', async () => {
    const real = cassette('emu-chat-streaming-detailed-usage.yaml');
    const res = await post(`${emulator().url}/v1/chat/completions`, real.requestBody, { authorization: `Bearer ${KEY}` });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.text.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = jsonFrames(res.text) as { choices: { delta: Record<string, unknown>; finish_reason: string | null }[]; usage: unknown }[];
    const last = chunks[chunks.length - 1];
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(last?.choices).toEqual([]);
    // the capture's only message is a developer message: no user text, so the reply is the bare "Echo:"
    expect(last?.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 1, total_tokens: 7 });
    expect(chunks[0]?.choices[0]?.delta).toMatchObject({ role: 'assistant', content: '' });
    expect(chunks.filter((c) => c.choices[0]?.finish_reason).map((c) => c.choices[0]?.finish_reason)).toEqual(['stop']);
    const realChunks = jsonFrames(real.responseBody);
    expect(shapeGaps(chunks, realChunks, ['[].obfuscation'])).toEqual([]);
  });

  it('without include_usage: chunks carry no usage field, like the chat-streaming capture', async () => {
    const real = cassette('emu-chat-streaming.yaml');
    const res = await post(`${emulator().url}/v1/chat/completions`, real.requestBody, { authorization: `Bearer ${KEY}` });
    const chunks = jsonFrames(res.text) as Record<string, unknown>[];
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    expect(shapeGaps(chunks, jsonFrames(real.responseBody), ['[].obfuscation'])).toEqual([]);
  });

  it('streams tool calls in fragments that the SDK reassembles', async () => {
    emulator().script({
      text: 'Checking.',
      toolCalls: [
        { name: 'get_current_weather', arguments: { location: 'San Francisco, CA' } },
        { name: 'get_time', arguments: { zone: 'PST' }, id: 'call_fixed' },
      ],
      chunks: 4,
    });
    const stream = client().chat.completions.stream({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'weather and time' }],
      tools: [WEATHER_TOOL],
    });
    const argDeltas: string[] = [];
    stream.on('tool_calls.function.arguments.delta', (e) => argDeltas.push(e.arguments_delta));
    const final = await stream.finalChatCompletion();
    const msg = final.choices[0]?.message;
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(msg?.content).toBe('Checking.');
    const calls = (msg?.tool_calls ?? []).map((c) => (c.type === 'function' ? c : null));
    expect(calls.map((c) => [c?.function.name, JSON.parse(c?.function.arguments ?? 'null')])).toEqual([
      ['get_current_weather', { location: 'San Francisco, CA' }],
      ['get_time', { zone: 'PST' }],
    ]);
    expect(calls[1]?.id).toBe('call_fixed');
    // 4 argument pieces per call (the empty opening fragment aside)
    expect(argDeltas.filter((d) => d !== '').length).toBe(8);
  });

  it('splits text into the scripted number of pieces', async () => {
    emulator().script({ text: 'abcdefghij', chunks: 3 });
    const stream = client().chat.completions.stream({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    const deltas: string[] = [];
    stream.on('content', (d) => deltas.push(d));
    await stream.finalChatCompletion();
    expect(deltas).toEqual(['abc', 'defg', 'hij']);
  });
});
