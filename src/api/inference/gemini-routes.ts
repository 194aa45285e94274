/**
 * Gemini generateContent: POST /v1beta/models/{model}:generateContent, :streamGenerateContent
 * (`?alt=sse`, or the default JSON-array stream) and :countTokens; GET /v1beta/models and
 * /v1beta/models/{model}. Keys as `x-goog-api-key`, `?key=` (redacted in every log), or
 * `Authorization: Bearer`. Errors in Gemini's shape. The model may be `provider-id/model`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError, invalidRequest } from '../../canonical/errors.js';
import type { CanonicalRequest } from '../../canonical/types.js';
import { encodeModelList } from '../../dialects/gemini/index.js';
import { dialectModule } from '../../dialects/registry.js';
import type { TokenSources } from '../../server/client-auth.js';
import type { Gateway } from '../../server/gateway.js';
import { estimateInputTokens } from '../../usage/estimate-tokens.js';
import { handleInference, sendError, toCanonicalError, type InferenceRoute, type PreparedRequest } from './handle.js';

type Obj = Record<string, unknown>;
const ACTIONS = ['generateContent', 'streamGenerateContent', 'countTokens'] as const;
type Action = (typeof ACTIONS)[number];

interface Target {
  model: string;
  action: Action;
}

/**
 * The model segment of the URL, percent-decoded once more (`models%2Fx`); the router has decoded
 * it already, so a `%` left in it that starts no valid escape (`%25` in the URL) is taken as it is.
 */
function modelFromPath(segment: string): string {
  try {
    return decodeURIComponent(segment).replace(/^models\//, '');
  } catch {
    return segment.replace(/^models\//, '');
  }
}

/** `gemini-2.0-flash:streamGenerateContent` (the `*` of the route) -> model and action. */
export function parseModelAction(rest: string): Target {
  const at = rest.lastIndexOf(':');
  const action = at >= 0 ? rest.slice(at + 1) : '';
  const model = modelFromPath(at >= 0 ? rest.slice(0, at) : rest);
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new GatewayError(404, 'not_found', `Unknown method '${action || rest}': use :generateContent, :streamGenerateContent or :countTokens.`);
  }
  if (model === '') throw invalidRequest('The model is missing from the URL.', 'model');
  return { model, action: action as Action };
}

function tokens(request: FastifyRequest): TokenSources {
  const h = (name: string): string | undefined => {
    const v = request.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const q = request.query as Record<string, unknown> | undefined;
  const queryKey = q && typeof q.key === 'string' ? q.key : undefined;
  return { authorization: h('authorization'), xApiKey: h('x-api-key'), googKey: h('x-goog-api-key') ?? queryKey };
}

function target(request: FastifyRequest): Target {
  const params = request.params as { '*': string };
  return parseModelAction(params['*']);
}

function objectBody(request: FastifyRequest): Obj {
  const b = request.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw invalidRequest('The request body must be a JSON object.');
  const body = b as Obj;
  if (body.contents === undefined) {
    throw invalidRequest("'contents' is required: a list of turns with parts.", 'contents');
  }
  return body;
}

export const generateContentRoute: InferenceRoute<FastifyRequest> = {
  route: '/v1beta/generateContent',
  dialect: 'gemini',
  kind: 'inference',
  tokens,
  prepare(request): PreparedRequest {
    const t = target(request);
    if (t.action === 'countTokens') throw new Error('countTokens is served by its own handler');
    const body = objectBody(request);
    const stream = t.action === 'streamGenerateContent';
    const q = request.query as Record<string, unknown> | undefined;
    const framing = q && q.alt === 'sse' ? 'sse' : 'json-array';
    let canonical: CanonicalRequest | undefined;
    return {
      model: t.model,
      stream,
      payload: {
        body,
        canonical: () => (canonical ??= dialectModule('gemini').decodeRequest(body, { model: t.model, stream })),
        forwardHeaders: {},
        ...(stream ? { framing } : {}),
      },
    };
  },
};

async function countTokens(gw: Gateway, request: FastifyRequest, reply: FastifyReply, t: Target): Promise<FastifyReply> {
  try {
    const principal = await gw.auth.authenticate(tokens(request));
    const body = objectBody(request);
    await gw.catalog.resolve(t.model, principal);
    // countTokens accepts either {contents} or {generateContentRequest: {...}}
    const inner = (body.generateContentRequest as Obj | undefined) ?? body;
    const canonical = dialectModule('gemini').decodeRequest(inner, { model: t.model, stream: false });
    return reply.header('x-apiproxy-token-count', 'estimated').send({ totalTokens: estimateInputTokens(canonical) });
  } catch (err) {
    return sendError(reply, 'gemini', toCanonicalError(err), { 'x-request-id': request.id });
  }
}

export function registerGeminiRoutes(app: FastifyInstance, gw: Gateway): void {
  app.post('/v1beta/models/*', async (request, reply) => {
    let t: Target;
    try {
      t = target(request);
    } catch (err) {
      return sendError(reply, 'gemini', toCanonicalError(err), { 'x-request-id': request.id });
    }
    if (t.action === 'countTokens') return countTokens(gw, request, reply, t);
    return handleInference(gw, generateContentRoute, request, reply);
  });

  const list = async (request: FastifyRequest, reply: FastifyReply, one?: string): Promise<FastifyReply> => {
    try {
      const principal = await gw.auth.authenticate(tokens(request));
      const models = await gw.catalog.listModels(principal);
      if (one !== undefined) {
        const id = modelFromPath(one);
        const m = models.find((x) => x.id === id);
        if (!m) throw new GatewayError(404, 'not_found', `Model '${id}' is not available.`);
        const body = encodeModelList([{ id: m.id }]) as { models: unknown[] };
        return reply.send(body.models[0]);
      }
      return reply.send(encodeModelList(models.map((m) => ({ id: m.id }))));
    } catch (err) {
      return sendError(reply, 'gemini', toCanonicalError(err), { 'x-request-id': request.id });
    }
  };
  app.get('/v1beta/models', (request, reply) => list(request, reply));
  app.get('/v1beta/models/*', (request, reply) => list(request, reply, (request.params as { '*': string })['*']));
}
