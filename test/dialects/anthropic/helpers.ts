import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SseParser, type SseEvent } from '../../../src/dialects/sse.js';
import type { CanonicalRequest } from '../../../src/canonical/types.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/anthropic/', import.meta.url));

export function fixtureText(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name)) as unknown;
}

/** Parse SSE text completely (the project's own parser). */
export function parseSse(text: string): SseEvent[] {
  const p = new SseParser();
  return [...p.push(text), ...p.end()];
}

/** The frames of encoder output as {event, data(parsed)}. */
export function frames(text: string): Array<{ event: string | undefined; data: Record<string, unknown> }> {
  return parseSse(text).map((e) => ({ event: e.event, data: JSON.parse(e.data) as Record<string, unknown> }));
}

/** A minimal canonical request for encoder tests. */
export function baseRequest(over: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return {
    model: 'client-model',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    stream: false,
    sourceDialect: 'openai-chat',
    ...over,
  };
}

/** Serve fixed SSE bytes for every request on 127.0.0.1:0; records the request bodies. */
export async function serveSse(body: string): Promise<{ url: string; close: () => Promise<void>; requests: unknown[] }> {
  const requests: unknown[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      requests.push(raw ? (JSON.parse(raw) as unknown) : undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
