/**
 * OpenAI-style inference routes: POST /v1/chat/completions, /v1/responses, /v1/embeddings, and
 * the model list at GET /v1/models and GET /models.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidRequest } from '../../canonical/errors.js';
import type { CanonicalRequest } from '../../canonical/types.js';
import { dialectModule } from '../../dialects/registry.js';
import { detectChatRouteShape, normalizeGeminiInput } from '../../dialects/openai-chat/index.js';
import type { Gateway } from '../../server/gateway.js';
import { bearerSources, handleInference, sendError, toCanonicalError, type InferenceRequest, type InferenceRoute, type PreparedRequest } from './handle.js';
import { streamFlag } from './stream-flag.js';

type Obj = Record<string, unknown>;

function objectBody(request: InferenceRequest): Obj {
  const b = request.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) {
    throw invalidRequest('The request body must be a JSON object.');
  }
  return b as Obj;
}

function modelOf(body: Obj): string {
  const m = body.model;
  if (typeof m !== 'string' || m.trim() === '') throw invalidRequest("'model' is required: the name of the model to use.", 'model');
  return m;
}

function lazyCanonical(decode: () => CanonicalRequest): () => CanonicalRequest {
  let value: CanonicalRequest | undefined;
  return () => (value ??= decode());
}

function accept(request: InferenceRequest): string | undefined {
  const a = request.headers.accept;
  return Array.isArray(a) ? a[0] : a;
}

export const chatCompletionsRoute: InferenceRoute = {
  route: '/v1/chat/completions',
  dialect: 'openai-chat',
  kind: 'inference',
  tokens: bearerSources,
  prepare(request): PreparedRequest {
    let body = objectBody(request);
    const shape = detectChatRouteShape(body);
    if (shape === 'gemini-input') body = normalizeGeminiInput(body);
    const model = modelOf(body);
    const stream = streamFlag(body.stream, accept(request));
    if (shape === 'anthropic') {
      // a Claude-style body on the chat route: read it as Anthropic, answer as OpenAI chat
      const claude: Obj = { max_tokens: body.max_tokens ?? body.max_tokens_to_sample ?? 4096, ...body, stream };
      const canonical = dialectModule('anthropic').decodeRequest(claude);
      const asChat = dialectModule('openai-chat').encodeRequest({ ...canonical, sourceDialect: 'openai-chat' }, { upstreamModel: model }).body;
      return {
        model,
        stream,
        payload: { body: asChat, canonical: () => ({ ...canonical, sourceDialect: 'openai-chat' }), forwardHeaders: {} },
      };
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      throw invalidRequest("'messages' is required: a non-empty array of chat messages.", 'messages');
    }
    const b = body;
    return { model, stream, payload: { body: b, canonical: lazyCanonical(() => dialectModule('openai-chat').decodeRequest(b)), forwardHeaders: {} } };
  },
};

export const responsesRoute: InferenceRoute = {
  route: '/v1/responses',
  dialect: 'openai-responses',
  kind: 'inference',
  tokens: bearerSources,
  prepare(request): PreparedRequest {
    const body = objectBody(request);
    const model = modelOf(body);
    const stream = streamFlag(body.stream, accept(request));
    if (body.input === undefined) throw invalidRequest("'input' is required: a string or a list of input items.", 'input');
    return { model, stream, payload: { body, canonical: lazyCanonical(() => dialectModule('openai-responses').decodeRequest(body)), forwardHeaders: {} } };
  },
};

export const embeddingsRoute: InferenceRoute = {
  route: '/v1/embeddings',
  dialect: 'openai-chat',
  kind: 'embeddings',
  tokens: bearerSources,
  prepare(request): PreparedRequest {
    const body = objectBody(request);
    const model = modelOf(body);
    const input = body.input;
    const ok = typeof input === 'string' || (Array.isArray(input) && input.length > 0);
    if (!ok) throw invalidRequest("'input' is required: a string or a non-empty array of strings or token arrays.", 'input');
    return {
      model,
      stream: false,
      payload: {
        body,
        canonical: () => {
          throw invalidRequest('Embeddings are only served by OpenAI-style providers.', 'model');
        },
        forwardHeaders: {},
      },
    };
  },
};

export function registerOpenAiRoutes(app: FastifyInstance, gw: Gateway): void {
  for (const spec of [chatCompletionsRoute, responsesRoute, embeddingsRoute]) {
    app.post(spec.route, (request, reply) => handleInference(gw, spec, request, reply));
  }

  const listModels = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const principal = await gw.auth.authenticate(bearerSources(request));
      const models = await gw.catalog.listModels(principal);
      return reply.send({
        object: 'list',
        data: models.map((m) => ({ id: m.id, object: 'model', created: 0, owned_by: m.ownedBy })),
      });
    } catch (err) {
      return sendError(reply, 'openai-chat', toCanonicalError(err), { 'x-request-id': request.id });
    }
  };
  app.get('/v1/models', listModels);
  app.get('/models', listModels);
}
