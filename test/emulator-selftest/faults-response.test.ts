import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { describe, expect, it, vi } from 'vitest';
import { startEmulator } from '../emulator/index.js';
import { KEY, post, useEmulator } from './helpers.js';

const emulator = useEmulator();
const openai = (opts: { timeout?: number } = {}): OpenAI =>
  new OpenAI({ apiKey: KEY, baseURL: `${emulator().url}/v1`, maxRetries: 0, ...opts });
const anthropic = (): Anthropic => new Anthropic({ apiKey: KEY, baseURL: emulator().url, maxRetries: 0 });
const genai = (): GoogleGenAI => new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: emulator().url } });
const chat = (model = 'gpt-4o'): Promise<OpenAI.ChatCompletion> =>
  openai().chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

describe('status faults', () => {
  it('openai: 429 with Retry-After and retry-after-ms, for the next request only', async () => {
    emulator().fault({ status: 429, retryAfter: 7, retryAfterMs: 7000, times: 1 });
    const err: unknown = await chat().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.headers?.get('retry-after')).toBe('7');
    expect(e.headers?.get('retry-after-ms')).toBe('7000');
    expect(e.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    expect((await chat()).choices[0]?.message.content).toBe('Echo: hi');
    expect(emulator().received.map((r) => r.status)).toEqual([429, 200]);
    expect(emulator().received[0]?.fault).toEqual(['status', 'retryAfter', 'retryAfterMs']);
  });

  it('anthropic: 529 overloaded_error in Anthropic shape', async () => {
    emulator().fault({ provider: 'anthropic', status: 529, retryAfter: 3 });
    const err: unknown = await anthropic()
      .messages.create({ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    const e = err as InstanceType<typeof Anthropic.APIError>;
    expect(e.status).toBe(529);
    expect(e.error).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(e.headers?.get('retry-after')).toBe('3');
  });

  it('gemini: 503 UNAVAILABLE in Gemini shape', async () => {
    emulator().fault({ provider: 'gemini', status: 503, retryAfter: 2 });
    await expect(genai().models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' })).rejects.toMatchObject({ status: 503 });
    const raw = await post(`${emulator().url}/v1beta/models/gemini-2.5-flash:generateContent`, { contents: [{ parts: [{ text: 'x' }] }] }, {
      'x-goog-api-key': KEY,
    });
    expect(raw.headers.get('retry-after')).toBe('2');
    expect(JSON.parse(raw.text)).toEqual({
      error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' },
    });
  });

  it('uses a custom message, error type, code and headers', async () => {
    emulator().fault({ status: 400, message: 'context too long', errorType: 'invalid_request_error', errorCode: 'context_length_exceeded', headers: { 'x-custom': '1' } });
    const res = await post(`${emulator().url}/v1/chat/completions`, { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }, {
      authorization: `Bearer ${KEY}`,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-custom')).toBe('1');
    expect(JSON.parse(res.text)).toEqual({
      error: { message: 'context too long', type: 'invalid_request_error', param: null, code: 'context_length_exceeded' },
    });
  });
});

describe('latency, drops and hangs', () => {
  it('adds latency before the response headers: a later fast request finishes first', async () => {
    emulator().fault({ model: 'gpt-4o', latencyMs: 500 });
    const order: string[] = [];
    const slow = chat('gpt-4o').then(() => order.push('slow'));
    await vi.waitFor(() => expect(emulator().received).toHaveLength(1));
    const fast = chat('gpt-4o-mini').then(() => order.push('fast'));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['fast', 'slow']);
  });

  it('drops the connection without an answer', async () => {
    emulator().fault({ dropConnection: true, times: 1 });
    await expect(chat()).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(emulator().received[0]?.status).toBeUndefined();
  });

  it('hangs until the client gives up, and records that the client went away', async () => {
    emulator().fault({ hang: true });
    const client = openai({ timeout: 300 });
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(
      OpenAI.APIConnectionTimeoutError,
    );
    await vi.waitFor(() => expect(emulator().received[0]?.clientAborted).toBe(true));
    expect(emulator().received[0]?.status).toBeUndefined();
  });

  it('closing the emulator ends hanging requests, and a closed emulator refuses connections', async () => {
    const em = await startEmulator();
    em.fault({ hang: true });
    const client = new OpenAI({ apiKey: KEY, baseURL: `${em.url}/v1`, maxRetries: 0 });
    const pending = client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    await vi.waitFor(() => expect(em.received).toHaveLength(1));
    await em.close();
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(
      OpenAI.APIConnectionError,
    );
  });
});

describe('probability', () => {
  async function outcomes(seed: number): Promise<number[]> {
    const em = await startEmulator({ seed });
    try {
      em.fault({ status: 500, probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await post(`${em.url}/v1/chat/completions`, { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }, {
          authorization: `Bearer ${KEY}`,
        });
        statuses.push(res.status);
      }
      return statuses;
    } finally {
      await em.close();
    }
  }

  it('fails some requests and not others, reproducibly for a seed', async () => {
    const a = await outcomes(7);
    const b = await outcomes(7);
    expect(a).toEqual(b);
    const failures = a.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(0);
    expect(failures).toBeLessThan(40);
    expect(a.every((s) => s === 500 || s === 200)).toBe(true);
  });
});
