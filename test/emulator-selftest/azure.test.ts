import { AzureOpenAI } from 'openai';
import { describe, expect, it } from 'vitest';
import { embeddingVector } from '../emulator/index.js';
import { KEY, cassette, jsonFrames, post, shapeGaps, useEmulator } from './helpers.js';

const emulator = useEmulator({ models: { azure: ['gpt-5-nano', 'my-embeddings'] } });
const API_VERSION = '2024-10-21';
const client = (deployment = 'gpt-5-nano'): AzureOpenAI =>
  new AzureOpenAI({ endpoint: emulator().url, apiKey: KEY, apiVersion: API_VERSION, deployment, maxRetries: 0 });

describe('Azure OpenAI', () => {
  it('answers chat on the deployment URL, with the api-key header and api-version', async () => {
    const res = await client().chat.completions.create({ model: 'ignored', messages: [{ role: 'user', content: 'Hello!' }] });
    expect(res.choices[0]?.message.content).toBe('Echo: Hello!');
    expect((res as unknown as { prompt_filter_results: unknown }).prompt_filter_results).toBeInstanceOf(Array);
    const rec = emulator().received.at(-1);
    expect(rec).toMatchObject({
      path: '/openai/deployments/gpt-5-nano/chat/completions',
      query: { 'api-version': API_VERSION },
      provider: 'azure',
      model: 'gpt-5-nano',
      keySource: 'api-key',
    });
  });

  it('has every field of the real Azure capture', async () => {
    const real = cassette('emu-azure-chat-basic.yaml');
    const res = await post(`${emulator().url}/openai/deployments/gpt-5-nano/chat/completions?api-version=2024-12-01-preview`, real.requestBody, {
      'api-key': KEY,
    });
    expect(shapeGaps(JSON.parse(res.text), JSON.parse(real.responseBody))).toEqual([]);
  });

  it('starts a stream with a choices-free chunk carrying prompt_filter_results', async () => {
    const stream = await client().chat.completions.create({
      model: 'gpt-5-nano',
      messages: [{ role: 'user', content: 'Hello!' }],
      stream: true,
    });
    const chunks: unknown[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]).toMatchObject({ choices: [], prompt_filter_results: [{ prompt_index: 0 }] });
    expect(chunks[1]).toMatchObject({ choices: [{ delta: { role: 'assistant' } }] });
  });

  it('the SDK stream helper assembles the final completion over the Azure stream', async () => {
    const final = await client()
      .chat.completions.stream({ model: 'gpt-5-nano', messages: [{ role: 'user', content: 'one two three' }] })
      .finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Echo: one two three');
  });

  it('serves embeddings on the deployment URL', async () => {
    const res = await client('my-embeddings').embeddings.create({ model: 'my-embeddings', input: 'hello' });
    expect(res.data[0]?.embedding).toEqual(Array.from(embeddingVector('hello', 1536)));
    expect(emulator().received.at(-1)?.path).toBe('/openai/deployments/my-embeddings/embeddings');
  });

  it('answers 404 without api-version, like Azure', async () => {
    const res = await post(`${emulator().url}/openai/deployments/gpt-5-nano/chat/completions`, { messages: [{ role: 'user', content: 'x' }] }, {
      'api-key': KEY,
    });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toEqual({ error: { code: '404', message: 'Resource not found' } });
  });

  it('answers DeploymentNotFound for an unknown deployment', async () => {
    await expect(
      client('nope').chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 404, code: 'DeploymentNotFound' });
  });

  it('lists models, and serves the v1 API with the model in the body', async () => {
    const list = await fetch(`${emulator().url}/openai/models?api-version=${API_VERSION}`, { headers: { 'api-key': KEY } });
    const body = (await list.json()) as { data: { id: string }[] };
    expect(body.data.map((m) => m.id)).toEqual(['gpt-5-nano', 'my-embeddings']);
    const res = await post(`${emulator().url}/openai/v1/responses?api-version=preview`, { model: 'gpt-5-nano', input: 'hi', stream: true }, {
      'api-key': KEY,
    });
    const events = jsonFrames(res.text) as { type: string }[];
    expect(events.at(-1)?.type).toBe('response.completed');
  });
});
