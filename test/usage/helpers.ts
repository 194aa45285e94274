/** Helpers for the usage tests: raw SSE requests (reading what arrived even when the stream breaks). */
import { request as httpRequest } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** the connection ended with an error (a cut stream) */
  broken: boolean;
}

/** POST JSON and read the whole answer as text, whatever happens to the connection. */
export function postRaw(url: string, headers: Record<string, string>, body: unknown): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } });
    req.on('response', (res) => {
      let text = '';
      let broken = false;
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('error', () => (broken = true));
      res.on('aborted', () => (broken = true));
      res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, broken }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** The `data:` payloads of an SSE text, parsed (non-JSON payloads skipped). */
export function sseData(text: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (data === '' || data === '[DONE]') continue;
    try {
      out.push(JSON.parse(data) as Record<string, unknown>);
    } catch {
      // not JSON
    }
  }
  return out;
}

/** Text of an OpenAI chat stream as the client received it. */
export function chatStreamText(text: string): string {
  let out = '';
  for (const d of sseData(text)) {
    const choices = d.choices as Array<{ delta?: { content?: string | null } }> | undefined;
    out += choices?.[0]?.delta?.content ?? '';
  }
  return out;
}

/** Text of an Anthropic Messages stream as the client received it. */
export function anthropicStreamText(text: string): string {
  let out = '';
  for (const d of sseData(text)) {
    const delta = d.delta as { type?: string; text?: string } | undefined;
    if (d.type === 'content_block_delta' && delta?.type === 'text_delta') out += delta.text ?? '';
  }
  return out;
}

export async function until<T>(fn: () => Promise<T | undefined | null | false>, what: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
