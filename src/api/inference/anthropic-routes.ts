/**
 * Anthropic Messages: POST /v1/messages (Claude Code adds `?beta=true`) and
 * POST /v1/messages/count_tokens. Keys as `x-api-key` or `Authorization: Bearer`. Errors in
 * Anthropic's shape. The client's `anthropic-beta` header is passed to Anthropic upstreams; its
 * `anthropic-version` never is (the gateway speaks its own version upstream).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidRequest } from '../../canonical/errors.js';
import type { CanonicalRequest } from '../../canonical/types.js';
import { dialectModule } from '../../dialects/registry.js';
import { kindSpec } from '../../providers/registry.js';
import { joinApiPath } from '../../providers/url.js';
import { readBody } from '../../routing/upstream-client.js';
import type { Gateway } from '../../server/gateway.js';
import { estimateInputTokens } from '../../usage/estimate-tokens.js';
import { bearerSources, handleInference, sendError, toCanonicalError, type InferenceRequest, type InferenceRoute, type PreparedRequest } from './handle.js';
import { streamFlag } from './stream-flag.js';

type Obj = Record<string, unknown>;

function objectBody(request: InferenceRequest): Obj {
  const b = request.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw invalidRequest('The request body must be a JSON object.');
  return b as Obj;
}

function validateMessages(body: Obj): { model: string } {
  if (typeof body.model !== 'string' || body.model.trim() === '') throw invalidRequest('model: Field required', 'model');
  if (!Array.isArray(body.messages)) throw invalidRequest('messages: Field required', 'messages');
  return { model: body.model };
}

function header(request: InferenceRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

export const messagesRoute: InferenceRoute = {
  route: '/v1/messages',
  dialect: 'anthropic',
  kind: 'inference',
  tokens: bearerSources,
  prepare(request): PreparedRequest {
    const body = objectBody(request);
    const { model } = validateMessages(body);
    if (body.max_tokens === undefined) throw invalidRequest('max_tokens: Field required', 'max_tokens');
    if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
      throw invalidRequest('max_tokens: Input should be a positive integer', 'max_tokens');
    }
    const stream = streamFlag(body.stream, header(request, 'accept'));
    let canonical: CanonicalRequest | undefined;
    const beta = header(request, 'anthropic-beta');
    return {
      model,
      stream,
      payload: {
        body,
        canonical: () => (canonical ??= dialectModule('anthropic').decodeRequest(body)),
        forwardHeaders: beta ? { 'anthropic-beta': beta } : {},
      },
    };
  },
};

/** count_tokens: asks an Anthropic upstream when one serves the model, estimates otherwise. */
async function countTokens(gw: Gateway, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  try {
    const principal = await gw.auth.authenticate(bearerSources(request));
    const body = objectBody(request);
    const { model } = validateMessages(body);
    const resolution = await gw.catalog.resolve(model, principal);
    const native = resolution.candidates.find((c) => c.provider.dialects.includes('anthropic'));
    const key = native?.provider.keys.find((k) => k.status === 'active');
    if (native && key) {
      try {
        const p = native.provider;
        const res = await gw.client.request(p, {
          url: joinApiPath(p.baseUrl, '/v1/messages/count_tokens'),
          method: 'POST',
          headers: { 'content-type': 'application/json', ...kindSpec(p.kind).authHeaders(p, key.secret), ...p.headers },
          body: JSON.stringify({ ...body, model: native.model }),
          headersTimeoutMs: 30_000,
          bodyTimeoutMs: 30_000,
        });
        const text = await readBody(res.body, 1024 * 1024);
        if (res.statusCode === 200) {
          return reply.header('x-apiproxy-token-count', 'upstream').header('x-apiproxy-provider', p.id).type('application/json').send(text);
        }
      } catch {
        // fall back to the estimate
      }
    }
    const canonical = dialectModule('anthropic').decodeRequest({ max_tokens: 1, ...body });
    return reply.header('x-apiproxy-token-count', 'estimated').send({ input_tokens: estimateInputTokens(canonical) });
  } catch (err) {
    return sendError(reply, 'anthropic', toCanonicalError(err), { 'x-request-id': request.id });
  }
}

export function registerAnthropicRoutes(app: FastifyInstance, gw: Gateway): void {
  app.post('/v1/messages', (request, reply) => handleInference(gw, messagesRoute, request, reply));
  app.post('/v1/messages/count_tokens', (request, reply) => countTokens(gw, request, reply));
}
