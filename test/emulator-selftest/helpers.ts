/** Shared pieces of the emulator self-tests: one emulator per file, raw SSE parsing, capture fixtures, shape comparison. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startEmulator } from '../emulator/index.js';
import type { Emulator, EmulatorOptions } from '../emulator/index.js';

export const KEY = 'test-key';

/** Starts an emulator for the file, resets it before each test, closes it after. */
export function useEmulator(opts?: EmulatorOptions): () => Emulator {
  let em: Emulator | undefined;
  beforeAll(async () => {
    em = await startEmulator(opts);
  });
  afterAll(async () => {
    await em?.close();
  });
  beforeEach(() => {
    em?.reset();
  });
  return () => {
    if (!em) throw new Error('emulator not started');
    return em;
  };
}

export interface SseFrame {
  event: string | null;
  data: string;
}

/** Splits SSE text into frames (blank-line separated, `\n` or `\r\n`). */
export function parseSse(text: string): SseFrame[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event: string | null = null;
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      return { event, data: data.join('\n') };
    });
}

export function jsonFrames(text: string): unknown[] {
  return parseSse(text)
    .filter((f) => f.data !== '[DONE]')
    .map((f) => JSON.parse(f.data) as unknown);
}

export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const FIXTURES = new URL('../fixtures/', import.meta.url);

function fixtureText(path: string): string {
  return readFileSync(new URL(path, FIXTURES), 'utf8');
}

export interface Cassette {
  url: string;
  requestBody: unknown;
  status: number;
  /** Raw response body (SSE text for streams). */
  responseBody: string;
}

/** One interaction of a go-vcr cassette under test/fixtures/openai. */
export function cassette(name: string): Cassette {
  const doc = parseYaml(fixtureText(`openai/${name}`)) as {
    interactions: { request: { url: string; body: string }; response: { body: string; code: number } }[];
  };
  const first = doc.interactions[0];
  if (!first) throw new Error(`no interaction in ${name}`);
  return {
    url: first.request.url,
    requestBody: JSON.parse(first.request.body) as unknown,
    status: first.response.code,
    responseBody: first.response.body,
  };
}

export function anthropicCapture(name: string): string {
  return fixtureText(`anthropic/${name}`);
}

/** Gemini js-genai recording: the response body segments of its first interaction. */
export function geminiRecording(name: string): unknown[] {
  const doc = JSON.parse(fixtureText(`gemini/${name}`)) as {
    interactions: { response: { bodySegments: unknown[] } }[];
  };
  return doc.interactions[0]?.response.bodySegments ?? [];
}

/** Every key path of a JSON value with its type (`choices[].delta.content` -> `string`). */
export function shape(value: unknown, prefix = '', out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  const add = (type: string): void => {
    const set = out.get(prefix) ?? new Set<string>();
    set.add(type);
    out.set(prefix, set);
  };
  if (Array.isArray(value)) {
    add('array');
    for (const v of value) shape(v, `${prefix}[]`, out);
  } else if (value === null) {
    add('null');
  } else if (typeof value === 'object') {
    add('object');
    for (const [k, v] of Object.entries(value)) shape(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else {
    add(typeof value);
  }
  return out;
}

/**
 * Key paths of a real capture that the emulator's output lacks, or has with another type.
 * `ignore` lists capture-only paths (and their children) the emulator deliberately leaves out.
 */
export function shapeGaps(emulated: unknown, captured: unknown, ignore: string[] = []): string[] {
  const ours = shape(emulated);
  const gaps: string[] = [];
  for (const [path, types] of shape(captured)) {
    if (ignore.some((i) => path === i || path.startsWith(`${i}.`) || path.startsWith(`${i}[`))) continue;
    const got = ours.get(path);
    if (got === undefined) {
      gaps.push(`missing ${path}`);
      continue;
    }
    for (const t of types) if (!got.has(t)) gaps.push(`${path}: no ${t} (has ${[...got].join('|')})`);
  }
  return gaps;
}
