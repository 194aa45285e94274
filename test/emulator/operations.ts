/**
 * Per operation: validate the request the way the provider does, find its model, and say how to
 * answer it (a ready JSON body, or a generation the renderers turn into a reply or a stream).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Conversation, JsonObject } from './conversation.js';
import {
  anthropicConversation,
  chatConversation,
  geminiConversation,
  isObject,
  responsesConversation,
} from './conversation.js';
import { anthropicErrorBody, geminiErrorBody, openAiErrorBody, unknownModelBody } from './errors.js';
import { anthropicMessage, anthropicStream } from './render/anthropic.js';
import type { RenderContext } from './render/context.js';
import { defaultDimensions, embeddingInputs, embeddingsResponse } from './render/embeddings.js';
import { geminiCountTokens, geminiResponse, geminiStream } from './render/gemini.js';
import { modelEntry, modelList } from './render/models.js';
import { chatCompletion, chatStream } from './render/openai-chat.js';
import { responsesResponse, responsesStream } from './render/openai-responses.js';
import type { Route } from './routes.js';
import type { StreamPlan } from './stream-writer.js';
import { tokensForChars } from './text.js';
import type { ProviderName } from './types.js';

export type KnownModels = Record<ProviderName, readonly string[]>;

export type Prepared =
  | { kind: 'error'; model: string | null; status: number; body: unknown }
  | { kind: 'json'; model: string | null; respond: () => unknown }
  | {
      kind: 'generate';
      model: string;
      stream: boolean;
      conv: Conversation;
      render: (ctx: RenderContext) => unknown;
      renderStream: (ctx: RenderContext) => StreamPlan;
    };

export interface Request {
  route: Route;
  body: JsonObject;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  models: KnownModels;
}

function known(models: readonly string[], model: string): boolean {
  return models.includes(model) || models.includes('*');
}

function error(provider: ProviderName, model: string | null, status: number, message: string, param: string | null = null): Prepared {
  const body =
    provider === 'anthropic'
      ? anthropicErrorBody(status, { message })
      : provider === 'gemini'
        ? geminiErrorBody(status, { message })
        : openAiErrorBody(status, { message, param, code: null });
  return { kind: 'error', model, status, body };
}

function notFound(provider: ProviderName, model: string): Prepared {
  return { kind: 'error', model, status: 404, body: unknownModelBody(provider, model) };
}

/** The model a request names: the URL's (Gemini, Azure deployment) or the body's. */
function modelOf(req: Request): string | null {
  if (req.route.urlModel !== null) return req.route.urlModel;
  return typeof req.body.model === 'string' && req.body.model !== '' ? req.body.model : null;
}

function openAiLike(req: Request): Prepared {
  const { route, body } = req;
  const provider = route.provider;
  const model = modelOf(req);
  if (model === null) return error(provider, null, 400, 'you must provide a model parameter', 'model');
  if (route.op === 'chat') {
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      const message = Array.isArray(body.messages)
        ? "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead."
        : "Missing required parameter: 'messages'.";
      const code = Array.isArray(body.messages) ? 'empty_array' : 'missing_required_parameter';
      return { kind: 'error', model, status: 400, body: openAiErrorBody(400, { message, param: 'messages', code }) };
    }
  }
  if (!known(req.models[provider], model)) return notFound(provider, model);
  const azure = provider === 'azure';
  if (route.op === 'embeddings') {
    const inputs = embeddingInputs(body.input);
    if ('error' in inputs) return error(provider, model, 400, inputs.error, 'input');
    const dims = typeof body.dimensions === 'number' && body.dimensions > 0 ? Math.floor(body.dimensions) : defaultDimensions(model);
    const base64 = body.encoding_format === 'base64';
    return { kind: 'json', model, respond: () => embeddingsResponse(model, inputs.texts, inputs.tokens, dims, base64) };
  }
  const stream = body.stream === true;
  if (route.op === 'responses') {
    return { kind: 'generate', model, stream, conv: responsesConversation(body), render: responsesResponse, renderStream: responsesStream };
  }
  const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  return {
    kind: 'generate',
    model,
    stream,
    conv: chatConversation(body),
    render: (ctx) => chatCompletion(ctx, azure),
    renderStream: (ctx) => chatStream(ctx, azure, includeUsage),
  };
}

function anthropic(req: Request): Prepared {
  const { route, body } = req;
  const model = modelOf(req);
  if (model === null) return error('anthropic', null, 400, 'model: Field required');
  if (!Array.isArray(body.messages)) return error('anthropic', model, 400, 'messages: Field required');
  if (route.op === 'messages' && typeof body.max_tokens !== 'number') {
    return error('anthropic', model, 400, 'max_tokens: Field required');
  }
  if (route.op === 'messages' && body.messages.length === 0) {
    return error('anthropic', model, 400, 'messages: at least one message is required');
  }
  if (!known(req.models.anthropic, model)) return notFound('anthropic', model);
  const conv = anthropicConversation(body);
  if (route.op === 'count_tokens') return { kind: 'json', model, respond: () => ({ input_tokens: tokensForChars(conv.chars) }) };
  return { kind: 'generate', model, stream: body.stream === true, conv, render: anthropicMessage, renderStream: anthropicStream };
}

function gemini(req: Request): Prepared {
  const { route, query } = req;
  const model = modelOf(req) ?? '';
  if (!known(req.models.gemini, model)) return notFound('gemini', model);
  // countTokens takes `contents` or a whole `generateContentRequest`
  const body = route.op === 'count_tokens' && isObject(req.body.generateContentRequest) ? req.body.generateContentRequest : req.body;
  if (!Array.isArray(body.contents) || body.contents.length === 0) {
    return error('gemini', model, 400, '* GenerateContentRequest.contents: contents is not specified\n');
  }
  const conv = geminiConversation(body);
  if (route.op === 'count_tokens') return { kind: 'json', model, respond: () => geminiCountTokens(tokensForChars(conv.chars)) };
  const sse = query.alt === 'sse';
  return {
    kind: 'generate',
    model,
    stream: route.op === 'stream',
    conv,
    render: geminiResponse,
    renderStream: (ctx) => geminiStream(ctx, sse),
  };
}

function models(req: Request): Prepared {
  const { provider, op, urlModel } = req.route;
  const list = req.models[provider];
  if (op === 'models') return { kind: 'json', model: null, respond: () => modelList(provider, list) };
  const id = urlModel ?? '';
  if (!known(list, id)) return notFound(provider, id);
  return { kind: 'json', model: id, respond: () => modelEntry(provider, id) };
}

export function prepare(req: Request): Prepared {
  const { provider, op } = req.route;
  if (op === 'models' || op === 'model') return models(req);
  if (provider === 'anthropic') return anthropic(req);
  if (provider === 'gemini') return gemini(req);
  return openAiLike(req);
}
