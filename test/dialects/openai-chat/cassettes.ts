/** Loads the recorded OpenAI / Azure cassettes in test/fixtures/openai (go-vcr YAML). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export interface Cassette {
  requestBody: Record<string, unknown>;
  url: string;
  status: number;
  /** The response body as the provider sent it (SSE text for streams). */
  responseText: string;
}

const DIR = fileURLToPath(new URL('../../fixtures/openai/', import.meta.url));

export function loadCassette(name: string): Cassette {
  const doc = parse(readFileSync(`${DIR}${name}.yaml`, 'utf8')) as {
    interactions: Array<{
      request: { body: string; url: string };
      response: { body: string; code: number };
    }>;
  };
  const first = doc.interactions[0];
  if (!first) throw new Error(`cassette ${name} has no interaction`);
  return {
    requestBody: JSON.parse(first.request.body) as Record<string, unknown>,
    url: first.request.url,
    status: first.response.code,
    responseText: first.response.body,
  };
}

export function responseJson(c: Cassette): Record<string, unknown> {
  return JSON.parse(c.responseText) as Record<string, unknown>;
}
