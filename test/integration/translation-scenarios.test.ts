/**
 * What must survive translation end to end (checklist items that need a round trip through a
 * real client and a real upstream format): tool results and ids, Gemini thought signatures and
 * Anthropic thinking signatures carried through a chat-style history, reasoning shown to chat
 * clients, dropped parameters announced, inexpressible requests refused, the two legacy body
 * shapes on the chat route, each route's own error shape, Gemini's JSON-array stream and
 * count_tokens.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const CLIENT_KEY = 'client-key-for-translation-01';
let emu: Emulator;
let gw: TestGateway;
let openai: OpenAI;

beforeAll(async () => {
  emu = await startEmulator({ keys: ['provider-key'], models: { openai: ['*'] } });
  gw = await startGateway({
    config: `
providers:
  - {id: oai, kind: openai-compatible, base_url: "${emu.url}/v1", api_keys: [provider-key], models: [gpt-4o-mini]}
  - {id: claude, kind: anthropic, base_url: "${emu.url}", api_keys: [provider-key], models: [claude-sonnet-4-6]}
  - {id: gem, kind: gemini, base_url: "${emu.url}", api_keys: [provider-key], models: [gemini-2.5-flash]}
api_keys:
  - {name: ci, key: ${CLIENT_KEY}}
`,
  });
  openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close();
  await emu?.close();
});
beforeEach(() => emu.reset());

type Obj = Record<string, unknown>;
const lastBody = (): Obj => emu.received.at(-1)!.body as Obj;

describe('tool use across dialects', () => {
  it('an OpenAI chat client runs a tool loop on Gemini: the thought signature rides the id and goes back to Gemini', async () => {
    emu.script({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }], times: 1 });
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const first = await openai.chat.completions.create({ model: 'gemini-2.5-flash', tools, messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    if (call.type !== 'function') throw new Error('expected a function call');
    // the signature Gemini attached to the call is carried inside the id the client sees
    expect(call.id).toContain('__ts_');

    const second = await openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      tools,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"temp_c": 21}' },
      ],
    });
    expect(second.choices[0]!.message.content).toMatch(/^Echo:/);
    const contents = lastBody().contents as Array<{ role: string; parts: Obj[] }>;
    const modelTurn = contents.find((c) => c.role === 'model')!;
    const fc = modelTurn.parts.find((p) => 'functionCall' in p)!;
    expect((fc.functionCall as Obj).name).toBe('get_weather');
    expect(typeof fc.thoughtSignature).toBe('string');
    expect(fc.thoughtSignature).not.toBe('skip_thought_signature_validator');
    const response = contents.at(-1)!.parts.find((p) => 'functionResponse' in p)!.functionResponse as Obj;
    expect(response.name).toBe('get_weather');
    expect(response.response).toEqual({ temp_c: 21 });
  });

  it('an Anthropic client runs a tool loop on an OpenAI upstream: ids round-trip, results arrive as tool messages', async () => {
    emu.script({ toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }, { name: 'lookup', arguments: { q: 'y' } }], times: 1 });
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: CLIENT_KEY, maxRetries: 0 });
    const tools = [{ name: 'lookup', input_schema: { type: 'object' as const, properties: { q: { type: 'string' } } } }];
    const first = await anthropic.messages.create({ model: 'gpt-4o-mini', max_tokens: 100, tools, messages: [{ role: 'user', content: 'find x and y' }] });
    expect(first.stop_reason).toBe('tool_use');
    const uses = first.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(uses.map((u) => u.input)).toEqual([{ q: 'x' }, { q: 'y' }]);

    await anthropic.messages.create({
      model: 'gpt-4o-mini',
      max_tokens: 100,
      tools,
      messages: [
        { role: 'user', content: 'find x and y' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: uses.map((u) => ({ type: 'tool_result' as const, tool_use_id: u.id, content: `result for ${(u.input as { q: string }).q}` })) },
      ],
    });
    const messages = lastBody().messages as Obj[];
    const assistant = messages.find((m) => m.role === 'assistant')!;
    const ids = (assistant.tool_calls as Array<{ id: string }>).map((t) => t.id);
    const toolMessages = messages.filter((m) => m.role === 'tool');
    expect(toolMessages.map((m) => m.tool_call_id)).toEqual(ids);
    expect(toolMessages.map((m) => m.content)).toEqual(['result for x', 'result for y']);
  });

  it("an OpenAI chat client on Anthropic keeps Claude's thinking signature through the history", async () => {
    emu.script({ reasoning: { text: 'Let me think.', signature: 'sig-claude-123' }, toolCalls: [{ name: 'calc', arguments: { a: 1 } }], times: 1 });
    const tools = [{ type: 'function' as const, function: { name: 'calc', parameters: { type: 'object', properties: { a: { type: 'number' } } } } }];
    const first = await openai.chat.completions.create({
      model: 'claude-sonnet-4-6',
      reasoning_effort: 'low',
      tools,
      messages: [{ role: 'user', content: 'compute' }],
    });
    const msg = first.choices[0]!.message as OpenAI.ChatCompletionMessage & { reasoning_content?: string; thinking_blocks?: unknown[] };
    expect(msg.reasoning_content).toBe('Let me think.');
    expect(msg.thinking_blocks).toEqual([{ type: 'thinking', thinking: 'Let me think.', signature: 'sig-claude-123' }]);
    const call = msg.tool_calls![0]!;

    await openai.chat.completions.create({
      model: 'claude-sonnet-4-6',
      reasoning_effort: 'low',
      tools,
      messages: [
        { role: 'user', content: 'compute' },
        { role: 'assistant', content: null, tool_calls: [call], ...({ thinking_blocks: msg.thinking_blocks } as object) },
        { role: 'tool', tool_call_id: call.id, content: '2' },
      ],
    });
    const sent = lastBody().messages as Array<{ role: string; content: Obj[] }>;
    const assistant = sent.find((m) => m.role === 'assistant')!;
    expect(assistant.content[0]).toEqual({ type: 'thinking', thinking: 'Let me think.', signature: 'sig-claude-123' });
    expect(assistant.content[1]).toMatchObject({ type: 'tool_use', id: call.id, name: 'calc', input: { a: 1 } });
    const results = sent.at(-1)!.content;
    expect(results[0]).toMatchObject({ type: 'tool_result', tool_use_id: call.id });
  });
});

describe('parameters', () => {
  it('announces parameters the target cannot express', async () => {
    const res = await openai.chat.completions
      .create({ model: 'claude-sonnet-4-6', seed: 7, logprobs: true, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    const dropped = res.response.headers.get('x-apiproxy-dropped-params') ?? '';
    expect(dropped.split(',')).toEqual(expect.arrayContaining(['seed', 'logprobs']));
    expect(lastBody()).not.toHaveProperty('seed');
    expect(lastBody().max_tokens).toBe(4096);
  });

  it('refuses n>1 for a provider without it, with a clear 400', async () => {
    const err = await openai.chat.completions
      .create({ model: 'claude-sonnet-4-6', n: 3, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toMatch(/\bn\b/);
    expect(emu.received).toHaveLength(0);
  });

  it('maps a JSON schema response format to each provider', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
    await openai.chat.completions.create({
      model: 'gemini-2.5-flash',
      response_format: { type: 'json_schema', json_schema: { name: 'reply', schema, strict: true } },
      messages: [{ role: 'user', content: 'json please' }],
    });
    const cfg = lastBody().generationConfig as Obj;
    expect(cfg.responseMimeType).toBe('application/json');
    expect(cfg.responseJsonSchema ?? cfg.responseSchema).toBeDefined();
  });
});

describe('the chat route also takes the original system’s other body shapes', () => {
  it('a Claude-style body (system + max_tokens_to_sample) answers in OpenAI shape', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        system: 'be brief',
        max_tokens_to_sample: 50,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'claude style' }] }],
      }),
    });
    const body = (await res.json()) as OpenAI.ChatCompletion;
    expect(res.status).toBe(200);
    expect(body.choices[0]!.message.content).toBe('Echo: claude style');
    const sent = lastBody().messages as Array<{ role: string; content: unknown }>;
    expect(sent[0]).toMatchObject({ role: 'system' });
  });

  it('a Gemini-style body with input instead of messages', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gemini-2.5-flash', input: [{ role: 'user', content: [{ type: 'input_text', text: 'gemini style' }] }] }),
    });
    const body = (await res.json()) as OpenAI.ChatCompletion;
    expect(body.choices[0]!.message.content).toBe('Echo: gemini style');
  });
});

describe('each route answers errors in its own shape', () => {
  it('Anthropic: {"type":"error","error":{...}} and the SDK raises the right class', async () => {
    const bad = new Anthropic({ baseURL: gw.url, apiKey: 'wrong-key-0000000000', maxRetries: 0 });
    const err = await bad.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    const raw = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': CLIENT_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
  });

  it('Gemini: {"error":{"code","message","status"}} and the SDK raises', async () => {
    const bad = new GoogleGenAI({ apiKey: 'wrong-key-0000000000', httpOptions: { baseUrl: gw.url } });
    const err = await bad.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' }).catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(401);
    const raw = await fetch(`${gw.url}/v1beta/models/no-such-model:generateContent?key=${CLIENT_KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }),
    });
    expect(raw.status).toBe(404);
    const body = (await raw.json()) as { error: { code: number; status: string; message: string } };
    expect(body.error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
    expect(body.error.message).toContain('no-such-model');
    await gw.flushLogs();
    expect(gw.logs.join('\n')).not.toContain(CLIENT_KEY);
  });

  it('an upstream error passes through translation with its status', async () => {
    emu.fault({ status: 400, message: 'prompt is too long', times: 1 });
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: CLIENT_KEY, maxRetries: 0 });
    const err = await anthropic.messages.create({ model: 'gemini-2.5-flash', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as Error).message).toContain('prompt is too long');
  });
});

describe('Gemini specifics', () => {
  it('streams as a JSON array without ?alt=sse (translated and native)', async () => {
    for (const model of ['gemini-2.5-flash', 'gpt-4o-mini']) {
      const res = await fetch(`${gw.url}/v1beta/models/${model}:streamGenerateContent`, {
        method: 'POST',
        headers: { 'x-goog-api-key': CLIENT_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'array stream' }] }] }),
      });
      expect(res.status).toBe(200);
      const chunks = JSON.parse(await res.text()) as Array<{ candidates?: Array<{ content?: { parts?: Array<{ text?: string }> } }> }>;
      const text = chunks.map((c) => c.candidates?.[0]?.content?.parts?.map((p) => p.text ?? '').join('') ?? '').join('');
      expect(text).toBe('Echo: array stream');
    }
  });

  it('lists models the Gemini way, and counts tokens', async () => {
    const ai = new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: gw.url } });
    const names: string[] = [];
    for await (const m of await ai.models.list()) names.push(m.name ?? '');
    expect(names).toContain('models/gemini-2.5-flash');
    const count = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'count these words please' });
    expect(count.totalTokens).toBeGreaterThan(0);
  });

  it('counts tokens for Anthropic clients (upstream when Anthropic serves the model, estimated otherwise)', async () => {
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: CLIENT_KEY, maxRetries: 0 });
    const native = await anthropic.messages.countTokens({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'how many tokens is this' }] });
    expect(native.input_tokens).toBeGreaterThan(0);
    expect(emu.received.at(-1)!.path).toBe('/v1/messages/count_tokens');
    const estimated = await anthropic.messages.countTokens({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'how many tokens is this' }] });
    expect(estimated.input_tokens).toBeGreaterThan(0);
  });
});

describe('images', () => {
  // a 1x1 PNG
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  let images: Server;
  let imageUrl = '';

  beforeAll(async () => {
    images = createServer((req, res) => {
      if (req.url === '/cat.png') res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => images.listen(0, '127.0.0.1', r));
    const a = images.address();
    imageUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/cat.png`;
  });
  afterAll(() => new Promise<void>((r) => images.close(() => r())));

  const withImage = (url: string): OpenAI.ChatCompletionMessageParam[] => [
    { role: 'user', content: [{ type: 'text', text: 'what is this' }, { type: 'image_url', image_url: { url } }] },
  ];

  it('fetches an image URL for Gemini (which cannot read URLs) and sends the bytes inline', async () => {
    await openai.chat.completions.create({ model: 'gemini-2.5-flash', messages: withImage(imageUrl) });
    const parts = (lastBody().contents as Array<{ parts: Obj[] }>)[0]!.parts;
    const inline = parts.find((p) => 'inlineData' in p)!.inlineData as { mimeType: string; data: string };
    expect(inline).toEqual({ mimeType: 'image/png', data: PNG.toString('base64') });
  });

  it('gives Anthropic the URL and base64 images as image sources', async () => {
    await openai.chat.completions.create({ model: 'claude-sonnet-4-6', messages: withImage(imageUrl) });
    let content = (lastBody().messages as Array<{ content: Obj[] }>)[0]!.content;
    expect(content[1]).toEqual({ type: 'image', source: { type: 'url', url: imageUrl } });
    await openai.chat.completions.create({ model: 'claude-sonnet-4-6', messages: withImage(`data:image/png;base64,${PNG.toString('base64')}`) });
    content = (lastBody().messages as Array<{ content: Obj[] }>)[0]!.content;
    expect(content[1]).toEqual({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG.toString('base64') } });
  });

  it('refuses an image it cannot fetch with a 400 naming it, and never asks the upstream', async () => {
    const err = await openai.chat.completions
      .create({ model: 'gemini-2.5-flash', messages: withImage(imageUrl.replace('cat.png', 'missing.png')) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toContain('missing.png');
    expect(emu.received).toHaveLength(0);
  });
});

describe('requests that cannot be translated', () => {
  it('refuses previous_response_id for providers without the Responses API', async () => {
    const err = await openai.responses.create({ model: 'claude-sonnet-4-6', input: 'continue', previous_response_id: 'resp_123' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toContain('previous_response_id');
    expect(emu.received).toHaveLength(0);
  });

  it('refuses embeddings for a model whose providers have no embeddings endpoint', async () => {
    const err = await openai.embeddings.create({ model: 'claude-sonnet-4-6', input: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toMatch(/embeddings/);
  });
});
