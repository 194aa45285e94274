/**
 * Descriptions of routes registered without a schema (the inference routes read their bodies
 * themselves, in each provider's own format). Matched by method and URL as registered.
 */
import type { Access } from '../access.js';

export interface KnownRoute {
  summary: string;
  description?: string;
  tags: string[];
  access: Access;
  /** a loose description of the JSON body (the provider's own format) */
  body?: Record<string, unknown>;
  /** OpenAPI name of a trailing "*" path segment */
  wildcard?: string;
}

const obj = (required: string[], properties: Record<string, unknown>, description: string): Record<string, unknown> => ({
  type: 'object',
  required,
  properties,
  additionalProperties: true,
  description,
});

const model = { type: 'string', description: 'a model name: a logical model, a provider model (or alias), or "<provider-id>/<model>"' };
const stream = { type: 'boolean', description: 'answer as server-sent events' };

const KNOWN: Record<string, KnownRoute> = {
  'POST /v1/chat/completions': {
    summary: 'OpenAI Chat Completions',
    description: 'The OpenAI wire format, for any provider (translated when the provider speaks another dialect). Streams when "stream" is true.',
    tags: ['Inference'],
    access: 'client-key',
    body: obj(['model', 'messages'], { model, messages: { type: 'array', items: { type: 'object' } }, stream }, 'OpenAI chat completion request'),
  },
  'POST /v1/responses': {
    summary: 'OpenAI Responses',
    tags: ['Inference'],
    access: 'client-key',
    body: obj(['model', 'input'], { model, input: {}, stream }, 'OpenAI Responses request'),
  },
  'POST /v1/embeddings': {
    summary: 'OpenAI embeddings',
    tags: ['Inference'],
    access: 'client-key',
    body: obj(['model', 'input'], { model, input: {} }, 'OpenAI embeddings request'),
  },
  'GET /v1/models': { summary: 'Models this API key may use (OpenAI list format)', tags: ['Inference'], access: 'client-key' },
  'GET /models': { summary: 'Models this API key may use (same as /v1/models)', tags: ['Inference'], access: 'client-key' },
  'POST /v1/messages': {
    summary: 'Anthropic Messages',
    tags: ['Inference'],
    access: 'client-key',
    body: obj(['model', 'messages', 'max_tokens'], { model, messages: { type: 'array' }, max_tokens: { type: 'integer' }, stream }, 'Anthropic Messages request'),
  },
  'POST /v1/messages/count_tokens': { summary: 'Anthropic token counting', tags: ['Inference'], access: 'client-key' },
  'GET /health': { summary: 'Liveness: the process answers', tags: ['System'], access: 'public' },
  'GET /ready': { summary: 'Readiness: the database and shared state answer', tags: ['System'], access: 'public' },
  'GET /metrics': { summary: 'Prometheus metrics (send "Authorization: Bearer <METRICS_TOKEN>" when one is set)', tags: ['System'], access: 'public' },
  'GET /openapi.json': { summary: 'This OpenAPI description', tags: ['System'], access: 'public' },
  'GET /docs': { summary: 'A readable page of this API description', tags: ['System'], access: 'public' },
};

export function knownRoute(method: string, url: string): KnownRoute | undefined {
  const exact = KNOWN[`${method} ${url}`];
  if (exact) return exact;
  if (url.startsWith('/v1beta/')) {
    if (method === 'GET') {
      return url.endsWith('*')
        ? { summary: 'One Gemini model (Gemini format)', tags: ['Inference'], access: 'client-key', wildcard: 'model' }
        : { summary: 'Models this API key may use (Gemini format)', tags: ['Inference'], access: 'client-key' };
    }
    return {
      summary: 'Gemini generateContent / streamGenerateContent / countTokens',
      description: 'The Gemini wire format: the model and the method are in the path, e.g. /v1beta/models/gemini-2.5-flash:generateContent.',
      tags: ['Inference'],
      access: 'client-key',
      wildcard: 'model_method',
      body: obj(['contents'], { contents: { type: 'array' } }, 'Gemini generateContent request'),
    };
  }
  if (url.startsWith('/v1/')) return { summary: `${method} ${url}`, tags: ['Inference'], access: 'client-key' };
  return undefined;
}
