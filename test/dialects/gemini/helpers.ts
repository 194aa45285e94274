/**
 * Shared helpers for the Gemini dialect tests: the js-genai recordings, reference fixtures, SSE
 * replay through the decoder, and a tiny 127.0.0.1 server for the @google/genai oracle.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { StreamEvent } from '../../../src/canonical/types.js';
import { geminiDialect } from '../../../src/dialects/gemini/index.js';
import { SseParser } from '../../../src/dialects/sse.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/gemini/', import.meta.url));

export interface Interaction {
  url: string;
  request: Record<string, unknown>;
  status: number;
  contentType: string;
  /** response body segments: one JSON body (non-stream) or the stream's chunks */
  response: Record<string, unknown>[];
}

interface RawRecording {
  interactions: Array<{
    request: { url: string; bodySegments: Record<string, unknown>[] };
    response: { statusCode: number; headers: Record<string, string>; bodySegments: Record<string, unknown>[] };
  }>;
}

/** A js-genai recording (test/fixtures/gemini/<name>.json). */
export function recording(name: string): Interaction[] {
  const raw = JSON.parse(readFileSync(`${FIXTURES}${name}.json`, 'utf8')) as RawRecording;
  return raw.interactions.map((i) => ({
    url: i.request.url,
    request: i.request.bodySegments[0] ?? {},
    status: i.response.statusCode,
    contentType: i.response.headers['Content-Type'] ?? '',
    response: i.response.bodySegments,
  }));
}

/** A hand-written reference fixture (test/fixtures/gemini/reference/<name>.json). */
export function reference<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(`${FIXTURES}reference/${name}.json`, 'utf8')) as T;
}

/** The model name in a Gemini URL path. */
export function modelOf(url: string): string {
  const m = /\/models\/([^:]+):/.exec(url);
  if (!m?.[1]) throw new Error(`no model in ${url}`);
  return m[1];
}

/** Chunks framed as real Gemini SSE (`data: …\r\n\r\n`). */
export function sseBody(chunks: readonly unknown[]): string {
  return chunks.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`).join('');
}

/**
 * Feed SSE bytes to the parser + decoder, cut into pieces of `step` bytes (so cuts fall inside
 * UTF-8 characters and JSON strings).
 */
export function decodeSse(text: string, step = 0): StreamEvent[] {
  const bytes = Buffer.from(text, 'utf8');
  const parser = new SseParser();
  const decoder = geminiDialect.createStreamDecoder();
  const out: StreamEvent[] = [];
  const size = step > 0 ? step : bytes.length;
  for (let i = 0; i < bytes.length; i += size) {
    for (const ev of parser.push(bytes.subarray(i, i + size))) out.push(...decoder.push(ev));
  }
  for (const ev of parser.end()) out.push(...decoder.push(ev));
  out.push(...decoder.end());
  return out;
}

export interface Replay {
  baseUrl: string;
  /** requests the server saw: method, url, parsed body */
  requests: Array<{ method: string; url: string; body: unknown }>;
  close(): Promise<void>;
}

export interface Reply {
  status?: number;
  contentType?: string;
  /** bytes to send; an array is written piece by piece */
  body: string | string[];
}

/** A 127.0.0.1 server answering every request with `reply(url)`. */
export async function replayServer(reply: (url: string) => Reply): Promise<Replay> {
  const requests: Replay['requests'] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', body: text ? (JSON.parse(text) as unknown) : undefined });
      const r = reply(req.url ?? '');
      res.writeHead(r.status ?? 200, { 'content-type': r.contentType ?? 'text/event-stream' });
      for (const piece of Array.isArray(r.body) ? r.body : [r.body]) res.write(piece);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
