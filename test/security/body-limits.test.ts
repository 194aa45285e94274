/**
 * Request-body limits through the real server: over MAX_BODY_MB is a 413, deeper than
 * MAX_JSON_DEPTH a 400, each in the route's own error shape; odd inputs are 4xx, never a 500.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const KEY = 'body-limits-client-key-0001';
let em: Emulator;
let gw: TestGateway;

beforeAll(async () => {
  em = await startEmulator({ keys: ['up-key'] });
  gw = await startGateway({
    env: { MAX_BODY_MB: '1', MAX_JSON_DEPTH: '32' },
    config: `
providers:
  - {id: p1, kind: openai-compatible, base_url: "${em.url}/v1", api_keys: [up-key], models: [gpt-4o]}
api_keys:
  - {name: k, key: ${KEY}}
`,
  });
});
afterAll(async () => {
  await gw?.close();
  await em?.close();
});

function post(path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${gw.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'x-api-key': KEY, 'content-type': 'application/json', ...headers },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    });
    // the server may answer 413 and close before the whole body is sent
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    req.end(body);
  });
}

const big = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(1024 * 1024 + 10) }] });
const deep = `{"model":"gpt-4o","messages":[{"role":"user","content":"hi","x":${'['.repeat(40)}${']'.repeat(40)}}]}`;

describe('body size limit (MAX_BODY_MB)', () => {
  it('answers 413 in the OpenAI shape', async () => {
    const r = await post('/v1/chat/completions', big);
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ error: { type: 'invalid_request_error', code: 'request_too_large' } });
    expect((r.json as { error: { message: string } }).error.message).toContain('1 MB limit (MAX_BODY_MB)');
  });

  it('answers 413 in the Anthropic shape on /v1/messages', async () => {
    const r = await post('/v1/messages', big, { 'anthropic-version': '2023-06-01' });
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
  });

  it('answers 413 in the Gemini shape', async () => {
    const r = await post('/v1beta/models/gemini-2.5-flash:generateContent', big, { 'x-goog-api-key': KEY });
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ error: { code: 413, status: 'INVALID_ARGUMENT' } });
  });
});

describe('JSON depth limit (MAX_JSON_DEPTH)', () => {
  it('answers 400 naming the limit, in the route dialect', async () => {
    const r = await post('/v1/chat/completions', deep);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { type: 'invalid_request_error', code: 'body_too_deep' } });
    expect((r.json as { error: { message: string } }).error.message).toContain('32 levels');
    const a = await post('/v1/messages', deep, { 'anthropic-version': '2023-06-01' });
    expect(a.status).toBe(400);
    expect(a.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('survives a body of 500 000 nested brackets (400, not a crash)', async () => {
    const r = await post('/v1/chat/completions', '['.repeat(500_000));
    expect(r.status).toBe(400);
    const health = await fetch(`${gw.url}/health`);
    expect(health.status).toBe(200);
  });
});

describe('odd inputs are 4xx, never 500', () => {
  const cases: Array<[string, string | Buffer]> = [
    ['not JSON', '{"model":'],
    ['an array', '[]'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"hello"'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    ['model is an object', '{"model":{"a":1},"messages":[]}'],
    ['messages is a string', '{"model":"gpt-4o","messages":"hi"}'],
    ['message content is a number', '{"model":"gpt-4o","messages":[{"role":"user","content":5}]}'],
    ['a __proto__ key', '{"__proto__":{"admin":true},"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}'],
    ['a huge number', '{"model":"gpt-4o","max_tokens":1e400,"messages":[{"role":"user","content":"hi"}]}'],
  ];
  for (const path of ['/v1/chat/completions', '/v1/responses', '/v1/messages', '/v1/embeddings']) {
    it.each(cases)(`${path}: %s`, async (_what, body) => {
      const r = await post(path, body, { 'anthropic-version': '2023-06-01' });
      expect(r.status).toBeLessThan(500);
    });
  }
});
