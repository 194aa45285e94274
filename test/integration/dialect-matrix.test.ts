/**
 * Every client dialect to every provider kind, streaming and not, text and tool calls: the
 * official SDKs are the clients, and each SDK's own helpers must assemble what the upstream said
 * (the emulator's reply), with usage.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI, Type } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const CLIENT_KEY = 'client-key-for-matrix-0001';

interface Outcome {
  text: string;
  toolCalls: Array<{ name: string; args: unknown }>;
  inputTokens: number;
  outputTokens: number;
}

type Client = (model: string, prompt: string, opts: { stream: boolean; tools: boolean }) => Promise<Outcome>;

const WEATHER_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string', description: 'City name' } },
  required: ['city'],
};

let emu: Emulator;
let gw: TestGateway;

const PROVIDERS = {
  openai: 'gpt-4o-mini',
  compat: 'llama-3.1-8b',
  azure: 'gpt-4o',
  anthropic: 'claude-sonnet-4-6',
  gemini: 'gemini-2.5-flash',
} as const;
type ProviderId = keyof typeof PROVIDERS;
/** The wire format the emulator must have been spoken to in, per provider. */
const WIRE: Record<ProviderId, string> = { openai: 'openai', compat: 'openai', azure: 'azure', anthropic: 'anthropic', gemini: 'gemini' };

beforeAll(async () => {
  emu = await startEmulator({ keys: ['provider-key'], models: { openai: ['*'], azure: ['gpt-4o'] } });
  gw = await startGateway({
    config: `
providers:
  - {id: openai, kind: openai, base_url: "${emu.url}", api_keys: [provider-key], models: [gpt-4o-mini]}
  - {id: compat, kind: openai-compatible, base_url: "${emu.url}/v1", api_keys: [provider-key], models: [llama-3.1-8b]}
  - {id: azure, kind: azure-openai, base_url: "${emu.url}", api_version: "2024-10-21", api_keys: [provider-key], models: [gpt-4o]}
  - {id: anthropic, kind: anthropic, base_url: "${emu.url}", api_keys: [provider-key], models: [claude-sonnet-4-6]}
  - {id: gemini, kind: gemini, base_url: "${emu.url}", api_keys: [provider-key], models: [gemini-2.5-flash]}
api_keys:
  - {name: ci, key: ${CLIENT_KEY}}
`,
  });
});
afterAll(async () => {
  await gw?.close();
  await emu?.close();
});
beforeEach(() => emu.reset());

const openAiChat: Client = async (model, prompt, { stream, tools }) => {
  const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
  const params = {
    model,
    messages: [{ role: 'user' as const, content: prompt }],
    ...(tools
      ? { tools: [{ type: 'function' as const, function: { name: 'get_weather', description: 'Weather for a city', parameters: WEATHER_SCHEMA } }] }
      : {}),
  };
  const completion = stream
    ? await client.chat.completions.stream({ ...params, stream_options: { include_usage: true } }).finalChatCompletion()
    : await client.chat.completions.create(params);
  const msg = completion.choices[0]!.message;
  return {
    text: msg.content ?? '',
    toolCalls: (msg.tool_calls ?? []).map((t) => {
      if (t.type !== 'function') throw new Error('unexpected tool call type');
      return { name: t.function.name, args: JSON.parse(t.function.arguments) as unknown };
    }),
    inputTokens: completion.usage?.prompt_tokens ?? 0,
    outputTokens: completion.usage?.completion_tokens ?? 0,
  };
};

const openAiResponses: Client = async (model, prompt, { stream, tools }) => {
  const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
  const params = {
    model,
    input: prompt,
    ...(tools ? { tools: [{ type: 'function' as const, name: 'get_weather', description: 'Weather for a city', parameters: WEATHER_SCHEMA, strict: false }] } : {}),
  };
  const r = stream ? await client.responses.stream(params).finalResponse() : await client.responses.create(params);
  const output: OpenAI.Responses.ResponseOutputItem[] = r.output;
  const toolCalls = output.flatMap((o) => (o.type === 'function_call' ? [{ name: o.name, args: JSON.parse(o.arguments) as unknown }] : []));
  return {
    text: r.output_text,
    toolCalls,
    inputTokens: r.usage?.input_tokens ?? 0,
    outputTokens: r.usage?.output_tokens ?? 0,
  };
};

const anthropic: Client = async (model, prompt, { stream, tools }) => {
  const client = new Anthropic({ baseURL: gw.url, apiKey: CLIENT_KEY, maxRetries: 0 });
  const params = {
    model,
    max_tokens: 512,
    messages: [{ role: 'user' as const, content: prompt }],
    ...(tools ? { tools: [{ name: 'get_weather', description: 'Weather for a city', input_schema: WEATHER_SCHEMA as Anthropic.Tool.InputSchema }] } : {}),
  };
  const m = stream ? await client.messages.stream(params).finalMessage() : await client.messages.create(params);
  return {
    text: m.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join(''),
    toolCalls: m.content.flatMap((b) => (b.type === 'tool_use' ? [{ name: b.name, args: b.input }] : [])),
    inputTokens: m.usage.input_tokens + (m.usage.cache_read_input_tokens ?? 0) + (m.usage.cache_creation_input_tokens ?? 0),
    outputTokens: m.usage.output_tokens,
  };
};

const gemini: Client = async (model, prompt, { stream, tools }) => {
  const ai = new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: gw.url } });
  const params = {
    model,
    contents: prompt,
    ...(tools
      ? {
          config: {
            tools: [
              {
                functionDeclarations: [
                  {
                    name: 'get_weather',
                    description: 'Weather for a city',
                    parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING } }, required: ['city'] },
                  },
                ],
              },
            ],
          },
        }
      : {}),
  };
  if (!stream) {
    const r = await ai.models.generateContent(params);
    return {
      text: r.text ?? '',
      toolCalls: (r.functionCalls ?? []).map((f) => ({ name: f.name ?? '', args: f.args })),
      inputTokens: r.usageMetadata?.promptTokenCount ?? 0,
      outputTokens: (r.usageMetadata?.candidatesTokenCount ?? 0) + (r.usageMetadata?.thoughtsTokenCount ?? 0),
    };
  }
  let text = '';
  const toolCalls: Outcome['toolCalls'] = [];
  let inputTokens = 0;
  let outputTokens = 0;
  for await (const chunk of await ai.models.generateContentStream(params)) {
    text += chunk.text ?? '';
    for (const f of chunk.functionCalls ?? []) toolCalls.push({ name: f.name ?? '', args: f.args });
    if (chunk.usageMetadata) {
      inputTokens = chunk.usageMetadata.promptTokenCount ?? inputTokens;
      outputTokens = (chunk.usageMetadata.candidatesTokenCount ?? 0) + (chunk.usageMetadata.thoughtsTokenCount ?? 0);
    }
  }
  return { text, toolCalls, inputTokens, outputTokens };
};

const CLIENTS: Array<[string, Client]> = [
  ['openai-chat', openAiChat],
  ['openai-responses', openAiResponses],
  ['anthropic', anthropic],
  ['gemini', gemini],
];

const cases: Array<[string, Client, ProviderId, boolean]> = [];
for (const [name, client] of CLIENTS) {
  for (const provider of Object.keys(PROVIDERS) as ProviderId[]) {
    for (const stream of [false, true]) cases.push([name, client, provider, stream]);
  }
}

describe.each(cases)('%s client -> %s provider (stream %s)', (_name, client, provider, stream) => {
  const model = `${provider}/${PROVIDERS[provider]}`;

  it('gets the upstream text and the usage', async () => {
    const out = await client(model, 'What is the capital of France?', { stream, tools: false });
    expect(out.text).toBe('Echo: What is the capital of France?');
    expect(out.toolCalls).toEqual([]);
    expect(out.inputTokens).toBeGreaterThan(0);
    expect(out.outputTokens).toBeGreaterThan(0);
    const upstream = emu.received.at(-1)!;
    expect(upstream.provider).toBe(WIRE[provider]);
    expect(upstream.stream).toBe(stream);
    expect(upstream.key).toBe('provider-key');
    await gw.flushLogs();
    const row = (await gw.gw.store.requestLogs.query({ limit: 1 }))[0]!;
    expect(row.provider_id).toBe(provider);
    expect(row.output_tokens + row.reasoning_tokens).toBeGreaterThan(0);
    expect(row.input_tokens + row.cache_read_tokens).toBeGreaterThan(0);
  });

  it('gets parallel tool calls with their arguments', async () => {
    emu.script({
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'Paris' } },
        { name: 'get_weather', arguments: { city: 'Tōkyō' } },
      ],
      times: 1,
    });
    const out = await client(model, 'Weather in Paris and Tokyo?', { stream, tools: true });
    expect(out.toolCalls).toEqual([
      { name: 'get_weather', args: { city: 'Paris' } },
      { name: 'get_weather', args: { city: 'Tōkyō' } },
    ]);
  });
});
