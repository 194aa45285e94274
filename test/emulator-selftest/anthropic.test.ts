import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { KEY, anthropicCapture, parseSse, post, shapeGaps, useEmulator } from './helpers.js';

const emulator = useEmulator();
const client = (): Anthropic => new Anthropic({ apiKey: KEY, baseURL: emulator().url, maxRetries: 0 });
const MODEL = 'claude-sonnet-4-6';
const VERSION = { 'anthropic-version': '2023-06-01', 'x-api-key': KEY };

/** Frames of an Anthropic stream: the event name and the parsed data. */
function events(text: string): { event: string | null; data: Record<string, unknown> }[] {
  return parseSse(text).map((f) => ({ event: f.event, data: JSON.parse(f.data) as Record<string, unknown> }));
}

describe('Anthropic messages', () => {
  it('answers with a message object; input usage excludes cached tokens', async () => {
    emulator().script({ usage: { inputTokens: 100, cachedTokens: 60, cacheWriteTokens: 10 } });
    const msg = await client().messages.create({
      model: MODEL,
      max_tokens: 100,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Hi Claude' }],
    });
    expect(msg.type).toBe('message');
    expect(msg.content).toEqual([{ type: 'text', text: 'Echo: Hi Claude' }]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage).toMatchObject({
      input_tokens: 30,
      cache_read_input_tokens: 60,
      cache_creation_input_tokens: 10,
      output_tokens: 3,
    });
  });

  it('streams every frame with an event line, in the order of the real capture', async () => {
    const res = await post(`${emulator().url}/v1/messages`, { model: MODEL, max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'Hello there' }] }, VERSION);
    const ours = events(res.text);
    const real = events(anthropicCapture('emu-basic_response.sse'));
    expect(ours.every((e) => e.event === e.data.type)).toBe(true);
    const order = (list: { event: string | null }[]): string[] => list.map((e) => e.event ?? '').filter((e, i, a) => e !== a[i - 1]);
    expect(order(ours)).toEqual(order(real));
    for (const type of ['message_start', 'content_block_start', 'content_block_delta', 'message_delta']) {
      const a = ours.find((e) => e.event === type)?.data;
      const b = real.find((e) => e.event === type)?.data;
      expect(shapeGaps(a, b)).toEqual([]);
    }
  });

  it('the SDK stream helper assembles text', async () => {
    const stream = client().messages.stream({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'stream this' }] });
    const deltas: string[] = [];
    stream.on('text', (d) => deltas.push(d));
    const final = await stream.finalMessage();
    expect(deltas).toEqual(['Echo:', ' stream', ' this']);
    expect(final.content).toEqual([{ type: 'text', text: 'Echo: stream this' }]);
    expect(final.usage.output_tokens).toBe(3);
  });

  it('streams tool_use input as several input_json_delta fragments, like the tool_use capture', async () => {
    emulator().script({
      text: "I'll check the weather.",
      toolCalls: [{ name: 'get_weather', arguments: { location: 'Paris', unit: 'celsius' } }],
    });
    const body = {
      model: MODEL,
      max_tokens: 200,
      stream: true,
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { location: { type: 'string' } } } }],
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    };
    const res = await post(`${emulator().url}/v1/messages`, body, VERSION);
    const ours = events(res.text);
    const fragments = ours.filter((e) => (e.data.delta as { type?: string } | undefined)?.type === 'input_json_delta');
    expect(fragments.length).toBeGreaterThanOrEqual(3);
    const real = events(anthropicCapture('emu-tool_use_response.sse'));
    const start = (list: typeof ours): unknown => list.find((e) => (e.data.content_block as { type?: string } | undefined)?.type === 'tool_use')?.data;
    expect(shapeGaps(start(ours), start(real))).toEqual([]);

    emulator().reset();
    emulator().script({ text: 'Checking.', toolCalls: [{ name: 'get_weather', arguments: { location: 'Paris' } }], times: 1 });
    const stream = client().messages.stream({
      model: MODEL,
      max_tokens: 200,
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content[0]).toEqual({ type: 'text', text: 'Checking.' });
    expect(final.content[1]).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { location: 'Paris' } });
  });

  it('streams thinking with a signature when thinking is enabled', async () => {
    const stream = client().messages.stream({
      model: MODEL,
      max_tokens: 2000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'why?' }],
    });
    const thinking: string[] = [];
    stream.on('thinking', (d) => thinking.push(d));
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'thinking', thinking: 'Thinking about: why?' });
    expect((final.content[0] as { signature: string }).signature.length).toBeGreaterThan(0);
    expect(thinking.join('')).toBe('Thinking about: why?');
    expect(final.content[1]).toEqual({ type: 'text', text: 'Echo: why?' });
  });

  it('uses a scripted reasoning text and signature', async () => {
    emulator().script({ reasoning: { text: 'Let me think.', signature: 'EqQBCkgIARABGAIiQL' }, text: 'Done.' });
    const final = await client()
      .messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'q' }] })
      .finalMessage();
    expect(final.content).toEqual([
      { type: 'thinking', thinking: 'Let me think.', signature: 'EqQBCkgIARABGAIiQL' },
      { type: 'text', text: 'Done.' },
    ]);
  });

  it('counts tokens', async () => {
    const res = await client().messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: '12345678' }] });
    expect(res.input_tokens).toBe(2);
  });

  it('lists models in Anthropic shape', async () => {
    const page = await client().models.list();
    expect(page.data[0]).toMatchObject({ type: 'model', id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6' });
    const raw = await fetch(`${emulator().url}/v1/models`, { headers: VERSION });
    const body = (await raw.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ has_more: false, first_id: 'claude-sonnet-4-6', last_id: 'claude-opus-4-1' });
  });

  it('requires the anthropic-version header and max_tokens, with 400s in Anthropic shape', async () => {
    const noVersion = await post(`${emulator().url}/v1/messages`, { model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }, {
      'x-api-key': KEY,
    });
    expect(noVersion.status).toBe(400);
    expect(JSON.parse(noVersion.text)).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
    });
    const noMax = await post(`${emulator().url}/v1/messages`, { model: MODEL, messages: [{ role: 'user', content: 'x' }] }, VERSION);
    expect(noMax.status).toBe(400);
    expect(JSON.parse(noMax.text)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
  });

  it('accepts the key in x-api-key or as a Bearer token (what the SDK sends), and records which', async () => {
    const msg = await client().messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    expect(msg.content).toEqual([{ type: 'text', text: 'Echo: x' }]);
    expect(emulator().received.at(-1)).toMatchObject({ key: KEY, keySource: 'authorization' });
    const raw = await post(`${emulator().url}/v1/messages`, { model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'y' }] }, VERSION);
    expect(raw.status).toBe(200);
    expect(emulator().received.at(-1)).toMatchObject({ key: KEY, keySource: 'x-api-key' });
  });
});
