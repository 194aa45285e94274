/** Where each provider takes its key from, in order of preference. */
import type { IncomingHttpHeaders } from 'node:http';
import type { KeySource, ProviderName } from './types.js';

export interface PresentedKey {
  key: string;
  source: KeySource;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function bearer(headers: IncomingHttpHeaders): PresentedKey | null {
  const auth = header(headers, 'authorization');
  if (auth === undefined) return null;
  const match = /^Bearer\s+(.+)$/i.exec(auth);
  return match?.[1] ? { key: match[1].trim(), source: 'authorization' } : null;
}

function named(headers: IncomingHttpHeaders, name: 'api-key' | 'x-api-key' | 'x-goog-api-key'): PresentedKey | null {
  const v = header(headers, name);
  return v !== undefined && v !== '' ? { key: v, source: name } : null;
}

/**
 * OpenAI: `Authorization: Bearer`. Azure: `api-key` (or a Bearer token). Anthropic: `x-api-key`
 * (or Bearer, as `authToken` clients send). Gemini: `x-goog-api-key`, or `?key=`.
 */
export function presentedKey(
  provider: ProviderName,
  headers: IncomingHttpHeaders,
  query: Record<string, string>,
): PresentedKey | null {
  switch (provider) {
    case 'openai':
      return bearer(headers);
    case 'azure':
      return named(headers, 'api-key') ?? bearer(headers);
    case 'anthropic':
      return named(headers, 'x-api-key') ?? bearer(headers);
    case 'gemini': {
      const h = named(headers, 'x-goog-api-key');
      if (h) return h;
      const q = query.key;
      return q !== undefined && q !== '' ? { key: q, source: 'query' } : null;
    }
  }
}
