import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator/index.js';
import type { RecordedRequest } from '../emulator/index.js';
import { KEY, post, useEmulator } from './helpers.js';

const emulator = useEmulator();
const client = (): OpenAI => new OpenAI({ apiKey: KEY, baseURL: `${emulator().url}/v1`, maxRetries: 0 });

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${emulator().url}/__emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('control routes over HTTP', () => {
  it('scripts and faults, without a provider key', async () => {
    expect((await control('POST', 'script', { text: 'from http', times: 1 })).status).toBe(200);
    expect((await control('POST', 'fault', [{ status: 500, times: 1, model: 'gpt-4o-mini' }])).body).toMatchObject({ ids: [expect.any(Number)] });
    const ok = await client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    expect(ok.choices[0]?.message.content).toBe('from http');
    await expect(client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      status: 500,
    });
  });

  it('rejects a malformed rule with 400 and the reason', async () => {
    const res = await control('POST', 'fault', { latency: 100 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: expect.stringContaining('unknown field "latency"') as string });
  });

  it('lists, filters and clears the recorded requests; reset clears rules too', async () => {
    await client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'one' }] });
    await post(`${emulator().url}/v1/messages?beta=true`, { model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'two' }] }, {
      'x-api-key': KEY,
      'anthropic-version': '2023-06-01',
    });
    const listed = (await control('GET', 'requests')).body as { total: number; requests: RecordedRequest[] };
    expect(listed.total).toBe(2);
    expect(listed.requests.map((r) => [r.seq, r.operation, r.model])).toEqual([
      [1, 'openai.chat', 'gpt-4o'],
      [2, 'anthropic.messages', 'claude-sonnet-4-6'],
    ]);
    expect(listed.requests[1]).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      query: { beta: 'true' },
      headers: { 'anthropic-version': '2023-06-01' },
      body: { messages: [{ role: 'user', content: 'two' }] },
      key: KEY,
      keySource: 'x-api-key',
      status: 200,
      stream: false,
    });
    const since = (await control('GET', 'requests?since=1')).body as { requests: RecordedRequest[] };
    expect(since.requests.map((r) => r.seq)).toEqual([2]);

    expect((await control('DELETE', 'requests')).status).toBe(200);
    expect(emulator().received).toHaveLength(0);
    expect(emulator().totalReceived).toBe(2);

    await control('POST', 'fault', { status: 500 });
    await control('POST', 'reset');
    expect(emulator().totalReceived).toBe(0);
    const after = await client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    expect(after.choices[0]?.message.content).toBe('Echo: x');
  });

  it('answers unknown provider routes with 404 in the matching shape', async () => {
    const res = await post(`${emulator().url}/v1/unknown`, {}, { authorization: `Bearer ${KEY}` });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(emulator().received.at(-1)).toMatchObject({ path: '/v1/unknown', provider: null, operation: null, status: 404 });
  });
});

describe('recording limits', () => {
  it('keeps about recordLimit requests and counts all of them', async () => {
    const em = await startEmulator({ recordLimit: 3 });
    try {
      for (let i = 0; i < 10; i++) {
        await post(`${em.url}/v1/chat/completions`, { model: 'gpt-4o', messages: [{ role: 'user', content: String(i) }] }, {
          authorization: `Bearer ${KEY}`,
        });
      }
      expect(em.totalReceived).toBe(10);
      expect(em.received.length).toBeGreaterThanOrEqual(3);
      expect(em.received.length).toBeLessThan(6);
      expect(em.received.at(-1)?.seq).toBe(10);
    } finally {
      await em.close();
    }
  });
});

describe('npm run emulator (main.ts)', () => {
  it('prints its URL and accepts the keys given', async () => {
    const main = fileURLToPath(new URL('../emulator/main.ts', import.meta.url));
    const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
    const child = spawn(tsx, [main, '--port', '0', '--keys', 'alpha, beta'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited with ${String(code)}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] };
      expect((await post(`${url}/v1/chat/completions`, body, { authorization: 'Bearer beta' })).status).toBe(200);
      expect((await post(`${url}/v1/chat/completions`, body, { authorization: `Bearer ${KEY}` })).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
