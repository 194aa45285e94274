/** Which provider operation a method and path name. */
import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderName } from './types.js';

export type Operation =
  | 'chat'
  | 'responses'
  | 'embeddings'
  | 'models'
  | 'model'
  | 'messages'
  | 'count_tokens'
  | 'generate'
  | 'stream';

export interface Route {
  provider: ProviderName;
  op: Operation;
  /** Model named by the URL: Gemini model, Azure deployment, or the id of a single-model GET. */
  urlModel: string | null;
  /** Azure classic routes answer 404 without `?api-version=`. */
  needsApiVersion: boolean;
  /** `provider.op`, as recorded. */
  name: string;
}

function route(provider: ProviderName, op: Operation, urlModel: string | null = null, needsApiVersion = false): Route {
  return { provider, op, urlModel, needsApiVersion, name: `${provider}.${op}` };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const GEMINI_METHODS: Record<string, Operation> = {
  generateContent: 'generate',
  streamGenerateContent: 'stream',
  countTokens: 'count_tokens',
};

/** `/v1beta/models/<model>:<method>` (also `/v1/...`), POST. */
function geminiCall(path: string): Route | null {
  const prefix = path.startsWith('/v1beta/models/') ? 15 : path.startsWith('/v1/models/') ? 11 : -1;
  if (prefix < 0) return null;
  const rest = path.slice(prefix);
  const colon = rest.lastIndexOf(':');
  if (colon <= 0) return null;
  const op = GEMINI_METHODS[rest.slice(colon + 1)];
  return op ? route('gemini', op, decode(rest.slice(0, colon))) : null;
}

function isAnthropicClient(headers: IncomingHttpHeaders): boolean {
  return headers['anthropic-version'] !== undefined || headers['x-api-key'] !== undefined;
}

function post(path: string): Route | null {
  switch (path) {
    case '/v1/chat/completions':
      return route('openai', 'chat');
    case '/v1/responses':
      return route('openai', 'responses');
    case '/v1/embeddings':
      return route('openai', 'embeddings');
    case '/v1/messages':
      return route('anthropic', 'messages');
    case '/v1/messages/count_tokens':
      return route('anthropic', 'count_tokens');
    case '/openai/responses':
      return route('azure', 'responses', null, true);
    case '/openai/v1/chat/completions':
      return route('azure', 'chat');
    case '/openai/v1/responses':
      return route('azure', 'responses');
    case '/openai/v1/embeddings':
      return route('azure', 'embeddings');
  }
  if (path.startsWith('/openai/deployments/')) {
    const rest = path.slice(20);
    const slash = rest.indexOf('/');
    if (slash <= 0) return null;
    const deployment = decode(rest.slice(0, slash));
    const op = rest.slice(slash);
    if (op === '/chat/completions') return route('azure', 'chat', deployment, true);
    if (op === '/embeddings') return route('azure', 'embeddings', deployment, true);
    return null;
  }
  return geminiCall(path);
}

function get(path: string, headers: IncomingHttpHeaders): Route | null {
  switch (path) {
    case '/v1/models':
      return route(isAnthropicClient(headers) ? 'anthropic' : 'openai', 'models');
    case '/v1beta/models':
      return route('gemini', 'models');
    case '/openai/models':
      return route('azure', 'models', null, true);
    case '/openai/v1/models':
      return route('azure', 'models');
  }
  if (path.startsWith('/v1/models/')) {
    return route(isAnthropicClient(headers) ? 'anthropic' : 'openai', 'model', decode(path.slice(11)));
  }
  if (path.startsWith('/v1beta/models/')) return route('gemini', 'model', decode(path.slice(15)));
  return null;
}

export function resolveRoute(method: string, path: string, headers: IncomingHttpHeaders): Route | null {
  if (method === 'POST') return post(path);
  if (method === 'GET') return get(path, headers);
  return null;
}

/** The provider whose error shape fits an unknown path. */
export function providerForPath(path: string): ProviderName {
  if (path.startsWith('/v1beta/')) return 'gemini';
  if (path.startsWith('/openai/')) return 'azure';
  return 'openai';
}
