import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import type { CanonicalRequest, StreamEvent } from '../../../src/canonical/types.js';
import { openAiResponsesDialect } from '../../../src/dialects/openai-responses/index.js';
import { SseParser, type SseEvent } from '../../../src/dialects/sse.js';

const FIXTURES = new URL('../../fixtures/openai-responses/', import.meta.url);

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURES));
}

/** JSON fixtures are `{source, body}`; returns the wire body. */
export function fixtureBody(name: string): Record<string, unknown> {
  const parsed = JSON.parse(fixtureText(name)) as { source: string; body: Record<string, unknown> };
  if (typeof parsed.source !== 'string' || parsed.source === '') throw new Error(`${name} has no source note`);
  return parsed.body;
}

/** Feeds bytes to the SSE parser in chunks of the given sizes (cycled), then ends it. */
export function parseSse(bytes: Uint8Array, chunkSizes: number[] = [bytes.length]): SseEvent[] {
  const parser = new SseParser();
  const out: SseEvent[] = [];
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const size = Math.max(1, chunkSizes[i++ % chunkSizes.length] ?? 1);
    out.push(...parser.push(bytes.subarray(at, at + size)));
    at += size;
  }
  out.push(...parser.end());
  return out;
}

/** Runs SSE bytes through the dialect's stream decoder. */
export function decodeStream(bytes: Uint8Array, chunkSizes?: number[]): StreamEvent[] {
  const decoder = openAiResponsesDialect.createStreamDecoder();
  const events: StreamEvent[] = [];
  for (const ev of parseSse(bytes, chunkSizes)) events.push(...decoder.push(ev));
  events.push(...decoder.end());
  return events;
}

/** Canonical events -> the bytes our stream encoder writes for a Responses client. */
export function encodeStream(events: StreamEvent[], request: CanonicalRequest, model = 'my-model'): string {
  const encoder = openAiResponsesDialect.createStreamEncoder({ model, request });
  let out = '';
  for (const ev of events) out += encoder.write(ev);
  return out + encoder.end();
}

export interface WireEvent {
  event: string | undefined;
  payload: Record<string, unknown> & { type: string; sequence_number: number };
}

export function wireEvents(sse: string): WireEvent[] {
  return parseSse(Buffer.from(sse, 'utf8')).map((e) => ({
    event: e.event,
    payload: JSON.parse(e.data) as WireEvent['payload'],
  }));
}

export function request(over: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return {
    model: 'my-model',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    stream: true,
    sourceDialect: 'openai-responses',
    ...over,
  };
}

export interface ReplayServer {
  client: OpenAI;
  requests: Array<{ url: string; body: unknown }>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/**
 * A 127.0.0.1 server that answers every request with the given bytes, and an openai@6 client
 * pointed at it (no retries).
 */
export async function replayServer(
  respond: { status?: number; contentType: string; body: string },
): Promise<ReplayServer> {
  const requests: ReplayServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      requests.push({ url: req.url ?? '', body });
      res.writeHead(respond.status ?? 200, { 'content-type': respond.contentType });
      // write in a few pieces so the client has to reassemble frames
      const bytes = Buffer.from(respond.body, 'utf8');
      const step = Math.max(1, Math.ceil(bytes.length / 7));
      for (let at = 0; at < bytes.length; at += step) res.write(bytes.subarray(at, at + step));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new OpenAI({ apiKey: 'test-key', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
  return {
    client,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
