/**
 * The inference routes served in front of Fastify (src/server/inference-fast-path.ts), through
 * the real server: what a client sees must not depend on which path served it.
 */
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const KEY = 'fast-path-client-key-0001';
let em: Emulator;

beforeAll(async () => {
  em = await startEmulator({ keys: ['up-key'] });
});
afterAll(async () => {
  await em?.close();
});

function config(): string {
  return `
providers:
  - {id: p1, kind: openai-compatible, base_url: "${em.url}/v1", api_keys: [up-key], models: [gpt-4o]}
  - {id: g1, kind: gemini, base_url: "${em.url}", api_keys: [up-key], models: [gemini-2.0-flash]}
api_keys:
  - {name: k, key: ${KEY}}
`;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** a POST whose body is sent in chunks without a Content-Length when `chunked` */
function post(base: string, path: string, body: string, opts: { headers?: Record<string, string>; chunked?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...opts.headers },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    if (opts.chunked) {
      const half = Math.floor(body.length / 2);
      req.write(body.slice(0, half));
      setTimeout(() => req.end(body.slice(half)), 20);
    } else {
      req.end(body);
    }
  });
}

const chat = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });

describe('inference routes in front of Fastify', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ config: config(), env: { MAX_BODY_MB: '1' } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('answers with a request id, the provider headers and a content length', async () => {
    const r = await post(gw.url, '/v1/chat/completions', chat);
    expect(r.status).toBe(200);
    expect(r.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
    expect(r.headers['x-apiproxy-provider']).toBe('p1');
    expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.text));
    expect(JSON.parse(r.text)).toMatchObject({ object: 'chat.completion' });
  });

  it('serves the route with a query string, and reads a body sent in chunks', async () => {
    const r = await post(gw.url, '/v1/chat/completions?api-version=2024-10-21', chat, { chunked: true });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ object: 'chat.completion' });
  });

  it('leaves other methods and paths to Fastify (404 in the route dialect)', async () => {
    const r = await post(gw.url, '/v1/chat/completions/', chat);
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text)).toMatchObject({ error: { message: 'Unknown route POST /v1/chat/completions/.' } });
    const get = await fetch(`${gw.url}/v1/chat/completions`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(get.status).toBe(404);
  });

  it('refuses a body that is not JSON with 400 in the route dialect, and logs the refusal', async () => {
    const r = await post(gw.url, '/v1/messages', '{"model": ', { headers: { 'anthropic-version': '2023-06-01' } });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'The request body is not valid JSON.' } });
    const id = String(r.headers['x-request-id']);
    await gw.flushLogs();
    const row = await gw.gw.store.requestLogs.get(id);
    expect(row).toMatchObject({ route: '/v1/messages', status: 400, error: 'rejected before routing', client_ip: '127.0.0.1' });
  });

  it('refuses a chunked body over MAX_BODY_MB with 413 (no Content-Length to go by) and logs it', async () => {
    const big = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(1024 * 1024 + 10) }] });
    const r = await post(gw.url, '/v1/chat/completions', big, { chunked: true });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text)).toMatchObject({ error: { code: 'request_too_large' } });
    await gw.flushLogs();
    const row = await gw.gw.store.requestLogs.get(String(r.headers['x-request-id']));
    expect(row).toMatchObject({ status: 413, error: 'rejected before routing' });
    // the gateway still serves
    expect((await post(gw.url, '/v1/chat/completions', chat)).status).toBe(200);
  });

  it('answers 503 in the route dialect, with Connection: close, to a request that arrives while it shuts down', async () => {
    const own = await startGateway({ config: config() });
    em.script({ model: 'gpt-4o', text: 'slow answer', times: 1 });
    em.fault({ model: 'gpt-4o', latencyMs: 600, times: 1 });
    const port = new URL(own.url).port;
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (received += d));
    const req = (body: string) =>
      `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    socket.write(req(chat));
    await new Promise((r) => setTimeout(r, 150));
    const closing = own.close();
    await new Promise((r) => setTimeout(r, 50));
    // the same connection, busy with the slow answer, so the shutdown has not closed it
    socket.write(req(chat));
    await closing;
    await new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));
    const answers = received.split(/(?=HTTP\/1\.1 )/);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 200/);
    expect(answers[0]).toContain('slow answer');
    expect(answers[1]).toMatch(/^HTTP\/1\.1 503/);
    expect(answers[1]).toMatch(/connection: close/i);
    expect(answers[1]).toContain('"message":"The gateway is shutting down; retry on another instance."');
  });
});

describe('TRUST_PROXY, the same on both paths', () => {
  const forwarded = { 'x-forwarded-for': '203.0.113.9, 198.51.100.7' };
  const gemini = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });

  async function clientIps(trust: string): Promise<{ chat: string | null; gemini: string | null }> {
    const gw = await startGateway({ config: config(), env: { TRUST_PROXY: trust } });
    try {
      const a = await post(gw.url, '/v1/chat/completions', chat, { headers: forwarded });
      // Gemini's model paths are Fastify routes
      const b = await post(gw.url, '/v1beta/models/gemini-2.0-flash:generateContent', gemini, { headers: { ...forwarded, 'x-goog-api-key': KEY } });
      expect([a.status, b.status]).toEqual([200, 200]);
      await gw.flushLogs();
      const rowA = await gw.gw.store.requestLogs.get(String(a.headers['x-request-id']));
      const rowB = await gw.gw.store.requestLogs.get(String(b.headers['x-request-id']));
      return { chat: rowA?.client_ip ?? null, gemini: rowB?.client_ip ?? null };
    } finally {
      await gw.close();
    }
  }

  it('false: the socket peer', async () => {
    expect(await clientIps('false')).toEqual({ chat: '127.0.0.1', gemini: '127.0.0.1' });
  });

  it('a hop count: that many proxies are trusted', async () => {
    expect(await clientIps('1')).toEqual({ chat: '198.51.100.7', gemini: '198.51.100.7' });
    expect(await clientIps('2')).toEqual({ chat: '203.0.113.9', gemini: '203.0.113.9' });
  });

  it('addresses: only the listed proxies are trusted', async () => {
    expect(await clientIps('127.0.0.0/8')).toEqual({ chat: '198.51.100.7', gemini: '198.51.100.7' });
    expect(await clientIps('127.0.0.1,198.51.100.7')).toEqual({ chat: '203.0.113.9', gemini: '203.0.113.9' });
  });

  it('true: the first address of the chain', async () => {
    expect(await clientIps('true')).toEqual({ chat: '203.0.113.9', gemini: '203.0.113.9' });
  });
});
