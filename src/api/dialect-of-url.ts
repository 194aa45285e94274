import type { Dialect } from '../canonical/types.js';

/** The error dialect of a route, from its URL. */
export function dialectOfUrl(url: string): Dialect {
  if (url.startsWith('/v1/messages')) return 'anthropic';
  if (url.startsWith('/v1beta/')) return 'gemini';
  if (url.startsWith('/v1/responses')) return 'openai-responses';
  return 'openai-chat';
}
