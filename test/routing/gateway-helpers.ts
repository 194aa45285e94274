/** Helpers for the routing integration tests (test/integration/routing-*.test.ts). */
import { createServer } from 'node:net';
import type OpenAI from 'openai';

export const ADMIN_KEY = 'routing-admin-token-0123456789';

/** A port nothing listens on (taken, then released). */
export async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function admin<T = Record<string, unknown>>(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
}

export interface Answer {
  text: string;
  provider: string | null;
  attempts: number;
}

/** One chat request through the SDK, streaming or not; the text, and who answered. */
export async function ask(client: OpenAI, model: string, content: string, stream: boolean, headers: Record<string, string> = {}): Promise<Answer> {
  if (!stream) {
    const res = await client.chat.completions.create({ model, messages: [{ role: 'user', content }] }, { headers }).withResponse();
    return {
      text: res.data.choices[0]?.message.content ?? '',
      provider: res.response.headers.get('x-apiproxy-provider'),
      attempts: Number(res.response.headers.get('x-apiproxy-attempts')),
    };
  }
  const res = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content }] }, { headers }).withResponse();
  let text = '';
  for await (const chunk of res.data) text += chunk.choices[0]?.delta.content ?? '';
  return {
    text,
    provider: res.response.headers.get('x-apiproxy-provider'),
    attempts: Number(res.response.headers.get('x-apiproxy-attempts')),
  };
}

/** Run `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Poll until `check` returns a value (not undefined), or fail after `tries`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, tries = 200, everyMs = 50): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}
