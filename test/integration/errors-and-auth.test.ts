/**
 * Auth and error answers on the OpenAI routes: the right status, OpenAI's error shape, a message
 * that says what to fix, and never a key in the answer or the log.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

const CLIENT_KEY = 'client-key-for-errors-0001';
const PROVIDER_KEY = 'sk-provider-secret-abcdef123456';
const ADMIN_KEY = 'admin-token-0123456789abcdef';

let emu: Emulator;
let gw: TestGateway;

beforeAll(async () => {
  emu = await startEmulator({ keys: [PROVIDER_KEY] });
  gw = await startGateway({
    env: { ADMIN_API_KEY: ADMIN_KEY },
    config: `
providers:
  - id: local
    kind: openai-compatible
    base_url: ${emu.url}/v1
    api_keys: ["${PROVIDER_KEY}"]
    models: [gpt-4o-mini, gpt-4o]
  - id: other
    kind: openai-compatible
    base_url: ${emu.url}/v1
    api_keys: ["${PROVIDER_KEY}"]
    models: [gpt-4o]
api_keys:
  - {name: ci, key: ${CLIENT_KEY}}
  - {name: narrow, key: narrow-key-0123456789, allowed_models: [gpt-4o]}
  - {name: off, key: disabled-key-0123456789, enabled: false}
`,
  });
});
afterAll(async () => {
  await gw?.close();
  await emu?.close();
});
beforeEach(() => emu.reset());

async function post(path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${CLIENT_KEY}` }) {
  const res = await fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as { error: { message: string; type: string; code: string | null; param: string | null } } };
}

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

describe('authentication', () => {
  it('refuses a missing key with 401 in OpenAI shape', async () => {
    const r = await post('/v1/chat/completions', chat, {});
    expect(r.status).toBe(401);
    expect(r.json.error.type).toBe('authentication_error');
    expect(r.json.error.message).toMatch(/Missing API key/);
    expect(emu.received).toHaveLength(0);
  });

  it('refuses an unknown key with 401', async () => {
    const r = await post('/v1/chat/completions', chat, { authorization: 'Bearer nope-not-a-key-123' });
    expect(r.status).toBe(401);
    expect(r.json.error.message).toBe('Invalid API key.');
    expect(r.text).not.toContain('nope-not-a-key-123');
  });

  it('refuses a malformed Authorization header with 401', async () => {
    const r = await post('/v1/chat/completions', chat, { authorization: 'Basic abc' });
    expect(r.status).toBe(401);
    expect(r.json.error.message).toMatch(/Bearer/);
  });

  it('accepts Bearer <key>, Bearer <base64 of key> and X-API-Key', async () => {
    const forms: Array<Record<string, string>> = [
      { authorization: `Bearer ${CLIENT_KEY}` },
      { authorization: `Bearer ${Buffer.from(CLIENT_KEY).toString('base64')}` },
      { 'x-api-key': CLIENT_KEY },
    ];
    for (const headers of forms) {
      const r = await post('/v1/chat/completions', chat, headers);
      expect(r.status).toBe(200);
    }
  });

  it('accepts the ADMIN_API_KEY as a superuser token', async () => {
    const r = await post('/v1/chat/completions', chat, { authorization: `Bearer ${ADMIN_KEY}` });
    expect(r.status).toBe(200);
  });

  it('refuses a disabled key with 403', async () => {
    const r = await post('/v1/chat/completions', chat, { authorization: 'Bearer disabled-key-0123456789' });
    expect(r.status).toBe(403);
    expect(r.json.error.message).toMatch(/disabled/);
  });

  it('keeps a key to the models it is allowed', async () => {
    const denied = await post('/v1/chat/completions', chat, { authorization: 'Bearer narrow-key-0123456789' });
    expect(denied.status).toBe(403);
    expect(denied.json.error.message).toContain("'gpt-4o-mini'");
    const allowed = await post('/v1/chat/completions', { ...chat, model: 'gpt-4o' }, { authorization: 'Bearer narrow-key-0123456789' });
    expect(allowed.status).toBe(200);
    const list = (await (await fetch(`${gw.url}/v1/models`, { headers: { authorization: 'Bearer narrow-key-0123456789' } })).json()) as {
      data: Array<{ id: string }>;
    };
    expect(list.data.map((m) => m.id)).toEqual(['gpt-4o']);
  });

  it('answers /health without auth and /v1/models only with it', async () => {
    expect(await (await fetch(`${gw.url}/health`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${gw.url}/v1/models`)).status).toBe(401);
    const ready = await fetch(`${gw.url}/ready`);
    expect(ready.status).toBe(200);
  });
});

describe('bad input is a 4xx that says what to fix', () => {
  it.each([
    ['not JSON', '{"model": ', 400, /not valid JSON/],
    ['an array', '[1,2]', 400, /must be a JSON object/],
    ['no model', { messages: [{ role: 'user', content: 'x' }] }, 400, /'model' is required/],
    ['no messages', { model: 'gpt-4o-mini' }, 400, /'messages' is required/],
    ['empty messages', { model: 'gpt-4o-mini', messages: [] }, 400, /'messages' is required/],
    ['a bad stream flag', { ...chat, stream: 'yes' }, 400, /'stream' must be true or false/],
  ])('%s', async (_name, body, status, message) => {
    const r = await post('/v1/chat/completions', body);
    expect(r.status).toBe(status);
    expect(r.json.error.type).toBe('invalid_request_error');
    expect(r.json.error.message).toMatch(message);
  });

  it('answers 404 with the model name for a model no provider serves', async () => {
    const r = await post('/v1/chat/completions', { ...chat, model: 'no-such-model' });
    expect(r.status).toBe(404);
    expect(r.json.error.message).toContain("'no-such-model'");
    expect(r.json.error.code).toBe('model_not_found');
  });

  it('answers a too large body with 413', async () => {
    const huge = { ...chat, messages: [{ role: 'user', content: 'x'.repeat(21 * 1024 * 1024) }] };
    const r = await post('/v1/chat/completions', huge);
    expect(r.status).toBe(413);
    expect(r.json.error.message).toMatch(/too large|larger than/);
  });

  it('answers an unknown route with 404 in OpenAI shape', async () => {
    const r = await post('/v1/nothing-here', chat);
    expect(r.status).toBe(404);
    expect(r.json.error.message).toMatch(/Unknown route/);
  });
});

describe('upstream failures', () => {
  it('returns the upstream 4xx status and message, without failing over, and without the provider key', async () => {
    emu.fault({ status: 400, message: `bad request for key ${PROVIDER_KEY}`, times: 1 });
    const r = await post('/v1/chat/completions', chat);
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('bad request for key');
    expect(r.text).not.toContain(PROVIDER_KEY);
    expect(emu.received).toHaveLength(1);
  });

  it('answers 502 with the upstream status and message when the only provider fails', async () => {
    emu.fault({ status: 503, message: 'engine overloaded', times: 1 });
    const r = await post('/v1/chat/completions', chat);
    expect(r.status).toBe(502);
    expect(r.json.error.message).toContain('HTTP 503');
    expect(r.json.error.message).toContain('engine overloaded');
    expect(r.headers.get('x-apiproxy-attempts')).toBe('1');
  });

  it('answers 429 with Retry-After when every upstream is rate limited', async () => {
    emu.fault({ status: 429, retryAfter: 7, times: 1 });
    const r = await post('/v1/chat/completions', chat);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
  });

  it('answers 504 when the upstream does not answer in time', async () => {
    const slow = await startGateway({
      config: `
providers:
  - id: slow
    kind: openai-compatible
    base_url: ${emu.url}/v1
    api_keys: ["${PROVIDER_KEY}"]
    models: [gpt-4o-mini]
    timeouts: {total_ms: 300, ttfb_ms: 300}
api_keys:
  - {name: ci, key: ${CLIENT_KEY}}
`,
    });
    try {
      emu.fault({ hang: true, times: 2 });
      const res = await fetch(`${slow.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(chat),
      });
      expect(res.status).toBe(504);
      const streamRes = await fetch(`${slow.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...chat, stream: true }),
      });
      expect(streamRes.status).toBe(504);
    } finally {
      await slow.close();
    }
  });

  it('answers 502 when the upstream refuses connections', async () => {
    const dead = await startGateway({
      config: `
providers:
  - id: dead
    kind: openai-compatible
    base_url: http://127.0.0.1:9/v1
    api_keys: ["${PROVIDER_KEY}"]
    models: [gpt-4o-mini]
api_keys:
  - {name: ci, key: ${CLIENT_KEY}}
`,
    });
    try {
      const client = new OpenAI({ baseURL: `${dead.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
      const err = await client.chat.completions.create(chat as OpenAI.ChatCompletionCreateParamsNonStreaming).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
      expect((err as Error).message).toMatch(/connection refused/);
    } finally {
      await dead.close();
    }
  });
});

describe('secrets stay secret', () => {
  it('never writes a client or provider key to the log, and redacts ?key=', async () => {
    await post('/v1/chat/completions', chat);
    await post('/v1/chat/completions?key=leaky-query-key-123', chat, { authorization: 'Bearer wrong-key-abcdef-123' });
    // a provider no earlier test has put into back-off, so the 401 really reaches it
    emu.fault({ status: 401, message: `Incorrect API key provided: ${PROVIDER_KEY}`, times: 1 });
    const rejected = await post('/v1/chat/completions', { ...chat, model: 'other/gpt-4o' });
    expect(emu.received.at(-1)!.status).toBe(401);
    expect(rejected.status).toBe(502);
    expect(rejected.text).not.toContain(PROVIDER_KEY);
    await gw.flushLogs();
    const all = gw.logs.join('\n');
    expect(all).toContain('"request"');
    for (const secret of [CLIENT_KEY, PROVIDER_KEY, 'leaky-query-key-123', 'wrong-key-abcdef-123', ADMIN_KEY]) {
      expect(all).not.toContain(secret);
    }
    const rows = await gw.gw.store.requestLogs.query({ limit: 1000 });
    expect(JSON.stringify(rows)).not.toContain(PROVIDER_KEY);
  });
});
