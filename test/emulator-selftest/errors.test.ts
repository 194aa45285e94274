import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { KEY, cassette, geminiRecording, post, useEmulator } from './helpers.js';

const emulator = useEmulator({ models: { gemini: ['gemini-2.0-flash'] } });

interface Case {
  provider: string;
  path: string;
  body: unknown;
  auth: (key: string) => Record<string, string>;
  /** The error body's shape: keys checked on a 401, 404 and 400. */
  shape: (status: number) => unknown;
}

const MESSAGES = [{ role: 'user', content: 'hi' }];
const CASES: Case[] = [
  {
    provider: 'openai',
    path: '/v1/chat/completions',
    body: { model: 'gpt-4o', messages: MESSAGES },
    auth: (k) => ({ authorization: `Bearer ${k}` }),
    shape: () => ({ error: { message: expect.any(String), type: 'invalid_request_error', param: null } }),
  },
  {
    provider: 'azure',
    path: '/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21',
    body: { messages: MESSAGES },
    auth: (k) => ({ 'api-key': k }),
    shape: (status) => ({ error: { message: expect.any(String), ...(status === 400 ? {} : { code: expect.any(String) }) } }),
  },
  {
    provider: 'anthropic',
    path: '/v1/messages',
    body: { model: 'claude-sonnet-4-6', max_tokens: 10, messages: MESSAGES },
    auth: (k) => ({ 'x-api-key': k, 'anthropic-version': '2023-06-01' }),
    shape: (status) => ({
      type: 'error',
      error: {
        type: { 400: 'invalid_request_error', 401: 'authentication_error', 404: 'not_found_error' }[status],
        message: expect.any(String),
      },
    }),
  },
  {
    provider: 'gemini',
    path: '/v1beta/models/gemini-2.0-flash:generateContent',
    body: { contents: [{ parts: [{ text: 'hi' }] }] },
    auth: (k) => ({ 'x-goog-api-key': k }),
    shape: (status) => ({
      error: { code: status, message: expect.any(String), status: { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 404: 'NOT_FOUND' }[status] },
    }),
  },
];

describe.each(CASES)('$provider errors', (c) => {
  it('answers a wrong key with 401 in the provider shape, without echoing the key', async () => {
    const res = await post(emulator().url + c.path, c.body, c.auth('wrong-key-123456'));
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toMatchObject(c.shape(401) as object);
    expect(res.text).not.toContain('wrong-key-123456');
    expect(emulator().received.at(-1)).toMatchObject({ key: 'wrong-key-123456', status: 401 });
  });

  it('answers a missing key with 401', async () => {
    const headers = c.auth(KEY);
    delete headers.authorization;
    delete headers['api-key'];
    delete headers['x-api-key'];
    delete headers['x-goog-api-key'];
    const res = await post(emulator().url + c.path, c.body, headers);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toMatchObject(c.shape(401) as object);
  });

  it('answers an unknown model with 404', async () => {
    const path = c.path.replace('gpt-4o', 'no-such-model').replace('gemini-2.0-flash', 'no-such-model');
    const body = { ...(c.body as object), model: 'no-such-model' };
    const res = await post(emulator().url + path, c.provider === 'azure' || c.provider === 'gemini' ? c.body : body, c.auth(KEY));
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toMatchObject(c.shape(404) as object);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await post(emulator().url + c.path, '{"model": "x", ', c.auth(KEY));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject(c.shape(400) as object);
    expect(emulator().received.at(-1)?.body).toBe('{"model": "x", ');
  });
});

describe('errors match the real captures', () => {
  it('OpenAI unknown model: the exact body of chat-unknown-model', async () => {
    const real = cassette('emu-chat-unknown-model.yaml');
    const res = await post(`${emulator().url}/v1/chat/completions`, real.requestBody, { authorization: `Bearer ${KEY}` });
    expect(res.status).toBe(real.status);
    expect(JSON.parse(res.text)).toEqual(JSON.parse(real.responseBody));
  });

  it('OpenAI empty messages: the exact body of chat-no-messages', async () => {
    const real = cassette('emu-chat-no-messages.yaml');
    const res = await post(`${emulator().url}/v1/chat/completions`, real.requestBody, { authorization: `Bearer ${KEY}` });
    expect(res.status).toBe(real.status);
    expect(JSON.parse(res.text)).toEqual(JSON.parse(real.responseBody));
  });

  it('Gemini unknown model: code, message and status of stream_with_error', async () => {
    const real = geminiRecording('emu-stream_with_error.json')[0] as { error: { code: number; message: string; status: string } };
    const res = await post(`${emulator().url}/v1beta/models/custom-gemini-2.0-flash:streamGenerateContent?alt=sse`, {
      contents: [{ role: 'user', parts: [{ text: 'why is the sky blue?' }] }],
    }, { 'x-goog-api-key': KEY });
    expect(res.status).toBe(404);
    const { code, message, status } = real.error;
    expect(JSON.parse(res.text)).toEqual({ error: { code, message, status } });
  });
});

describe('the SDKs classify the errors', () => {
  it('openai: AuthenticationError and NotFoundError', async () => {
    const bad = new OpenAI({ apiKey: 'nope', baseURL: `${emulator().url}/v1`, maxRetries: 0 });
    await expect(bad.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    const good = new OpenAI({ apiKey: KEY, baseURL: `${emulator().url}/v1`, maxRetries: 0 });
    await expect(good.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });

  it('anthropic: AuthenticationError with the error type', async () => {
    const bad = new Anthropic({ apiKey: 'nope', baseURL: emulator().url, maxRetries: 0 });
    const err: unknown = await bad.messages
      .create({ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((err as { error: unknown }).error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('genai: ApiError with status 404 for an unknown model', async () => {
    const genai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: emulator().url } });
    await expect(genai.models.generateContent({ model: 'gemini-9', contents: 'x' })).rejects.toMatchObject({ status: 404 });
  });
});
