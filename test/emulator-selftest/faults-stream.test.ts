import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { describe, expect, it, vi } from 'vitest';
import { KEY, useEmulator } from './helpers.js';

const emulator = useEmulator();
const openai = (): OpenAI => new OpenAI({ apiKey: KEY, baseURL: `${emulator().url}/v1`, maxRetries: 0 });
const anthropic = (): Anthropic => new Anthropic({ apiKey: KEY, baseURL: emulator().url, maxRetries: 0 });
const genai = (): GoogleGenAI => new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: emulator().url } });
const USER = 'one two three four';

interface Collected {
  deltas: string[];
  error: unknown;
}

async function collect(iterate: (push: (d: string) => void) => Promise<void>): Promise<Collected> {
  const deltas: string[] = [];
  try {
    await iterate((d) => deltas.push(d));
    return { deltas, error: null };
  } catch (error) {
    return { deltas, error };
  }
}

function openAiChat(model = 'gpt-4o'): Promise<Collected> {
  return collect(async (push) => {
    const stream = await openai().chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: USER }] });
    for await (const chunk of stream) {
      const d = chunk.choices[0]?.delta?.content;
      if (d) push(d);
    }
  });
}

function anthropicStream(): Promise<Collected> {
  return collect(async (push) => {
    const stream = anthropic().messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user', content: USER }] });
    stream.on('text', push);
    await stream.finalMessage();
  });
}

function geminiStream(): Promise<Collected> {
  return collect(async (push) => {
    const stream = await genai().models.generateContentStream({ model: 'gemini-2.5-flash', contents: USER });
    for await (const chunk of stream) if (chunk.text) push(chunk.text);
  });
}

describe('in-band errors inside a 200 stream', () => {
  it('openai chat: data: {"error": …} after N chunks, raised by the SDK', async () => {
    emulator().fault({ inBandError: { afterChunks: 2, message: 'upstream exploded' } });
    const { deltas, error } = await openAiChat();
    expect(deltas).toEqual(['Echo:', ' one']);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('upstream exploded');
    expect(emulator().received[0]?.status).toBe(200);
  });

  it('openai chat: before any content by default', async () => {
    emulator().fault({ inBandError: {} });
    const { deltas, error } = await openAiChat();
    expect(deltas).toEqual([]);
    expect((error as Error).message).toContain('The server had an error');
  });

  it('anthropic: event: error with overloaded_error', async () => {
    emulator().fault({ inBandError: { afterChunks: 1 } });
    const { deltas, error } = await anthropicStream();
    expect(deltas).toEqual(['Echo:']);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  it('gemini: an error chunk the SDK raises with its code', async () => {
    emulator().fault({ inBandError: { afterChunks: 3, code: 500, message: 'internal' } });
    const { deltas, error } = await geminiStream();
    expect(deltas).toEqual(['Echo:', ' one', ' two']);
    expect(error).toMatchObject({ status: 500 });
    expect((error as Error).message).toContain('INTERNAL');
  });

  it('responses: response.failed, which the SDK turns into a failed response', async () => {
    emulator().fault({ inBandError: { afterChunks: 1, code: 'server_error', message: 'boom' } });
    const stream = openai().responses.stream({ model: 'gpt-4o', input: USER });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();
    expect(deltas).toEqual(['Echo:']);
    expect(final.status).toBe('failed');
    expect(final.error).toEqual({ code: 'server_error', message: 'boom' });
  });

  it('responses: a bare error event, which the SDK raises', async () => {
    emulator().fault({ inBandError: { responsesEvent: 'error', message: 'bad things' } });
    const stream = openai().responses.stream({ model: 'gpt-4o', input: USER });
    const err: unknown = await stream.finalResponse().catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'error', message: 'bad things', code: 'server_error' });
  });
});

describe('connection cut mid-stream', () => {
  it('openai: the SDK sees N chunks, then the connection drop', async () => {
    emulator().fault({ cutAfterChunks: 2 });
    const { deltas, error } = await openAiChat();
    expect(deltas).toEqual(['Echo:', ' one']);
    expect(error).toBeInstanceOf(Error);
    expect(emulator().received[0]?.clientAborted).toBeUndefined();
  });

  it('anthropic: cut before any content', async () => {
    emulator().fault({ cutAfterChunks: 0 });
    const { deltas, error } = await anthropicStream();
    expect(deltas).toEqual([]);
    expect(error).toBeInstanceOf(Error);
  });

  it('gemini: cut after one chunk', async () => {
    emulator().fault({ cutAfterChunks: 1 });
    const { deltas, error } = await geminiStream();
    expect(deltas).toEqual(['Echo:']);
    expect(error).toBeInstanceOf(Error);
  });

  it('a non-stream reply is cut halfway through its body', async () => {
    emulator().fault({ cutAfterChunks: 0 });
    await expect(
      openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: USER }] }),
    ).rejects.toBeInstanceOf(Error);
  });
});

describe('timing between chunks', () => {
  it.each([
    ['a scripted chunk delay', (): void => void emulator().script({ model: 'gpt-4o', chunkDelayMs: 150 })],
    ['a fault chunk delay', (): void => void emulator().fault({ model: 'gpt-4o', chunkDelayMs: 150 })],
  ])('%s spaces the chunks: a request sent after the first chunk returns before the second', async (_name, setup) => {
    setup();
    const order: string[] = [];
    let fast: Promise<unknown> | null = null;
    const stream = await openai().chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: USER }] });
    for await (const chunk of stream) {
      const d = chunk.choices[0]?.delta?.content;
      if (!d) continue;
      order.push(d);
      fast ??= openai()
        .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
        .then(() => order.push('fast'));
    }
    await fast;
    expect(order.slice(0, 3)).toEqual(['Echo:', 'fast', ' one']);
  });

  it('records a client that leaves in the middle of a stream', async () => {
    emulator().script({ chunkDelayMs: 100 });
    const controller = new AbortController();
    const stream = await openai().chat.completions.create(
      { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: USER }] },
      { signal: controller.signal },
    );
    const got = await collect(async (push) => {
      for await (const chunk of stream) {
        const d = chunk.choices[0]?.delta?.content;
        if (d) push(d);
        if (d === 'Echo:') controller.abort();
      }
    });
    expect(got.deltas).toEqual(['Echo:']);
    await vi.waitFor(() => expect(emulator().received[0]?.clientAborted).toBe(true));
  });

  it('stalls after N chunks, leaving the stream open', async () => {
    emulator().fault({ hangAfterChunks: 2 });
    const controller = new AbortController();
    const res = await fetch(`${emulator().url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: USER }] }),
      signal: controller.signal,
    });
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    const decoder = new TextDecoder();
    let text = '';
    while ((text.match(/"delta":\{"content":"[^"]/g) ?? []).length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(text).toContain('"content":" one"');
    expect(text).not.toContain('finish_reason":"stop"');
    expect(text).not.toContain('[DONE]');
    controller.abort();
    await vi.waitFor(() => expect(emulator().received[0]?.clientAborted).toBe(true));
  });
});
