/**
 * The common path of every inference route: authenticate, validate, resolve the model, run the
 * attempt loop, answer (or render the error in the route's dialect), and record the call.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { GatewayError } from '../../canonical/errors.js';
import type { CanonicalError, Dialect } from '../../canonical/types.js';
import type { InferencePayload } from '../../routing/attempt-plan.js';
import { newCall, type CallContext } from '../../routing/call.js';
import type { Gateway } from '../../server/gateway.js';
import type { Principal } from '../../server/principal.js';
import type { TokenSources } from '../../server/client-auth.js';
import { errorBody } from '../../server/error-shapes.js';
import { captureWrites, newCapture } from '../../usage/capture.js';
import { hasLimits } from '../../usage/limits.js';

export interface PreparedRequest {
  model: string;
  stream: boolean;
  payload: Omit<InferencePayload, 'stream' | 'clientDialect' | 'kind'>;
}

/**
 * What an inference route reads of a request and does with its reply: the part of Fastify's
 * request and reply they use, so the same handler serves under Fastify and on the lean path
 * (src/server/inference-fast-path.ts).
 */
export interface InferenceRequest {
  readonly id: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  readonly ip: string;
  readonly url: string;
  /** set once the request was recorded as an inference call */
  apiproxyRecorded: boolean;
}

export interface InferenceReply {
  readonly raw: ServerResponse;
  /** the answer is sent, or handed over to the handler (hijacked) */
  readonly sent: boolean;
  code(statusCode: number): InferenceReply;
  header(name: string, value: string): InferenceReply;
  headers(values: Record<string, string>): InferenceReply;
  type(contentType: string): InferenceReply;
  /** a Buffer or string as it is, anything else as JSON */
  send(payload: unknown): InferenceReply;
  /** the handler writes the answer on `raw` itself from here on */
  hijack(): void;
}

/** `Req`: what the route reads of a request (a Gemini route also reads Fastify's params and query) */
export interface InferenceRoute<Req extends InferenceRequest = InferenceRequest> {
  route: string;
  dialect: Dialect;
  kind: 'inference' | 'embeddings';
  tokens(request: Req): TokenSources;
  /** Validate the body; throws GatewayError(400) with a message that says what to fix. */
  prepare(request: Req): PreparedRequest;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** set once the request was recorded as an inference call */
    apiproxyRecorded: boolean;
  }
}

export function toCanonicalError(err: unknown): CanonicalError {
  if (err instanceof GatewayError) return err.toCanonical();
  return { status: 500, type: 'internal', message: 'Internal error in the gateway; see the gateway log for the request id.' };
}

export function sendError<R extends InferenceReply>(reply: R, dialect: Dialect, err: CanonicalError, headers: Record<string, string> = {}): R {
  reply.code(err.status).headers(headers).send(errorBody(dialect, err));
  return reply;
}

/**
 * An error for a reply that was handed over to a stream (hijacked: the framework no longer sends
 * it) before any byte went out, e.g. when committing the stream's headers failed: written on the
 * raw response, so the client gets its error instead of a connection left open.
 */
function sendErrorOnHijacked(reply: InferenceReply, dialect: Dialect, err: CanonicalError, headers: Record<string, string>): undefined {
  const raw = reply.raw;
  if (raw.headersSent || raw.writableEnded) {
    raw.destroy();
    return undefined;
  }
  raw.writeHead(err.status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  raw.end(JSON.stringify(errorBody(dialect, err)));
  return undefined;
}

function header(request: InferenceRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function bearerSources(request: InferenceRequest): TokenSources {
  return { authorization: header(request, 'authorization'), xApiKey: header(request, 'x-api-key') };
}

export async function handleInference<Req extends InferenceRequest>(
  gw: Gateway,
  spec: InferenceRoute<Req>,
  request: Req,
  reply: InferenceReply,
): Promise<InferenceReply | undefined> {
  const t0 = performance.now();
  let principal: Principal;
  let prepared: PreparedRequest;
  try {
    const tokens = spec.tokens(request);
    principal = gw.auth.cached(tokens) ?? (await gw.auth.authenticate(tokens));
    prepared = spec.prepare(request);
  } catch (err) {
    if (!(err instanceof GatewayError)) gw.logger.error({ err, reqId: request.id }, 'unexpected error before routing');
    const e = toCanonicalError(err);
    request.apiproxyRecorded = true;
    gw.recordBare({ requestId: request.id, route: spec.route, status: e.status, error: e.message, ms: Math.round(performance.now() - t0), clientIp: request.ip });
    return sendError(reply, spec.dialect, e, { 'x-request-id': request.id, ...(err instanceof GatewayError ? (err.headers ?? {}) : {}) });
  }

  const sessionHeader = header(request, 'x-session-id');
  const call: CallContext = newCall({
    requestId: request.id,
    route: spec.route,
    clientDialect: spec.dialect,
    principal,
    stream: prepared.stream,
    model: prepared.model,
    sessionId: sessionHeader && sessionHeader.length <= 256 ? sessionHeader : null,
    clientIp: request.ip,
    t0,
  });
  request.apiproxyRecorded = true;
  const onClose = (): void => {
    if (!reply.raw.writableFinished) call.departure.leave();
  };
  reply.raw.on('close', onClose);

  call.requestBody = prepared.payload.body;
  // keep what was said only when something needs it: the context store, or LOG_BODIES
  const s = gw.settings;
  if ((call.sessionId !== null && spec.kind === 'inference') || s.logBodies) {
    call.capture = newCapture(call.sessionId !== null ? Math.max(s.logBodyMaxBytes, 4 * s.context.maxBytes) : s.logBodyMaxBytes);
  }

  try {
    // per-key budget / RPM / TPM: 402 or 429 before any upstream call; settled in recordCall
    if (hasLimits(principal)) call.limits = await gw.limits.admit(principal, prepared.payload.body);
    const resolution = await gw.catalog.resolve(prepared.model, principal);
    const payload: InferencePayload = { ...prepared.payload, stream: prepared.stream, clientDialect: spec.dialect, kind: spec.kind };
    const result = await gw.executor.run(call, payload, resolution, () => {
      reply.hijack();
      if (call.capture) captureWrites(reply.raw, call.capture);
      return reply.raw;
    });
    switch (result.kind) {
      case 'json':
        if (call.capture) call.capture.response = result.answer.body;
        reply.code(result.answer.status).headers(result.headers).type(result.answer.contentType).send(result.answer.body);
        return reply;
      case 'streamed':
        return undefined;
      case 'client-gone':
        call.status = 499;
        call.error = 'client closed the connection';
        return undefined;
      case 'error':
        call.status = result.error.status;
        call.error = result.error.message;
        if (reply.sent) return sendErrorOnHijacked(reply, spec.dialect, result.error, result.headers);
        return sendError(reply, spec.dialect, result.error, result.headers);
    }
  } catch (err) {
    if (!(err instanceof GatewayError)) gw.logger.error({ err, reqId: request.id }, 'unexpected error while serving a request');
    const e = toCanonicalError(err);
    call.status = e.status;
    call.error = e.message;
    const headers = {
      'x-request-id': request.id,
      'x-apiproxy-attempts': String(call.attempts.length),
      ...(err instanceof GatewayError ? (err.headers ?? {}) : {}),
    };
    if (reply.sent || reply.raw.headersSent) return sendErrorOnHijacked(reply, spec.dialect, e, headers);
    return sendError(reply, spec.dialect, e, headers);
  } finally {
    reply.raw.off('close', onClose);
    gw.recordCall(call);
  }
}
