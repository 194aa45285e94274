/**
 * The HTTP server: Fastify with the gateway's routes, one error shape per route dialect, request
 * ids, and nothing on the inference path that is not needed there.
 */
import { createServer } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { registerHealthRoutes } from '../api/system/health.js';
import { registerMetricsRoute } from '../api/system/metrics.js';
import { dialectOfUrl } from '../api/dialect-of-url.js';
import { chatCompletionsRoute, embeddingsRoute, registerOpenAiRoutes, responsesRoute } from '../api/inference/openai-routes.js';
import { registerAdminRoutes } from '../api/admin/index.js';
import { collectRoutes, registerDocsRoutes } from '../api/admin/openapi/index.js';
import { messagesRoute, registerAnthropicRoutes } from '../api/inference/anthropic-routes.js';
import { registerGeminiRoutes } from '../api/inference/gemini-routes.js';
import { GatewayError } from '../canonical/errors.js';
import type { CanonicalError } from '../canonical/types.js';
import { errorBody } from './error-shapes.js';
import { bodyTooLarge, parseJsonBody } from '../security/json-limits.js';
import type { Gateway } from './gateway.js';
import { registerConsole } from './console.js';
import { requestIdSource } from './request-id.js';
import { lazyChildLoggerFactory } from './lazy-request-logger.js';
import { InferenceFastPath } from './inference-fast-path.js';
import { trustFunction } from './client-ip.js';

export interface AppOptions {
  /** request body limit in bytes */
  bodyLimit?: number;
}


/** Fastify's own defaults for the server it would make itself (serverFactory replaces it) */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

export async function buildApp(gw: Gateway, opts: AppOptions = {}): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = gw.logger;
  const bodyLimit = opts.bodyLimit ?? gw.settings.maxBodyBytes;
  // always our own id: a client's X-Request-Id may repeat, and the id keys the request log
  const nextId = requestIdSource();
  const trust = trustFunction(gw.settings.trustProxy);
  // POST to the fixed-path inference routes goes straight to the handler; the rest to Fastify
  const fastPath = new InferenceFastPath(gw, {
    routes: [chatCompletionsRoute, responsesRoute, embeddingsRoute, messagesRoute],
    bodyLimit,
    maxJsonDepth: gw.settings.maxJsonDepth,
    trust,
    nextId,
  });
  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    // request.log is made when a line is first written through it, not for every request
    childLoggerFactory: lazyChildLoggerFactory,
    bodyLimit,
    requestIdHeader: false,
    genReqId: nextId,
    return503OnClosing: true,
    serverFactory: (fastifyHandler) => {
      const server = createServer((req, res) => {
        const route = fastPath.match(req);
        if (route) fastPath.handle(req, res, route);
        else fastifyHandler(req, res);
      });
      server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
      server.requestTimeout = 0;
      server.setTimeout(0);
      return server;
    },
    // the same trust on every route (src/server/client-ip.ts)
    trustProxy: trust === false ? false : trust,
    forceCloseConnections: 'idle',
    // a URL the router cannot read (a percent-escape that is not UTF-8, …): 400 in the shape of
    // the route the client was aiming at, like every other refusal
    frameworkErrors: (error, request, reply) => {
      const e: CanonicalError = { status: 400, type: 'invalid_request', message: `The request URL cannot be read: ${error.message}` };
      // typed for the route it failed to reach; the plain reply interface is what is used here
      const r = reply as unknown as FastifyReply;
      void r.code(400).header('x-request-id', request.id).send(errorBody(dialectOfUrl(request.url), e));
    },
  });
  app.decorateRequest('apiproxyRecorded', false);
  app.addHook('preClose', (done) => {
    fastPath.closing = true;
    done();
  });
  // every route registered from here on is described in /openapi.json
  const routeTable = collectRoutes(app);

  // one JSON reader for every content type (`curl -d '{…}'` sends form encoding), with the
  // MAX_JSON_DEPTH check before parsing (src/security/json-limits.ts)
  const maxDepth = gw.settings.maxJsonDepth;
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(typeof body === 'string' ? body : body.toString('utf8'), maxDepth));
    } catch (err) {
      done(err as FastifyError, undefined);
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof GatewayError) {
      return reply
        .code(error.status)
        .headers({ 'x-request-id': request.id, ...(error.headers ?? {}) })
        .send(errorBody(dialectOfUrl(request.url), error.toCanonical()));
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    let message = error.message;
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(error.message)) message = 'The request body is not valid JSON.';
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const e = bodyTooLarge(bodyLimit);
      return reply.code(413).header('x-request-id', request.id).send(errorBody(dialectOfUrl(request.url), e.toCanonical()));
    }
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') message = 'The request body is empty; send a JSON object.';
    if (status >= 500) {
      request.log.error({ err: error, reqId: request.id }, 'unhandled error');
      message = 'Internal error in the gateway; see the gateway log for the request id.';
    }
    const e: CanonicalError = {
      status,
      type: status === 413 || status < 500 ? 'invalid_request' : 'internal',
      message,
    };
    return reply.code(status).header('x-request-id', request.id).send(errorBody(dialectOfUrl(request.url), e));
  });

  app.setNotFoundHandler((request, reply) => {
    const e: CanonicalError = { status: 404, type: 'not_found', message: `Unknown route ${request.method} ${request.url.split('?')[0]}.` };
    return reply.code(404).send(errorBody(dialectOfUrl(request.url), e));
  });

  // requests that failed before a handler ran (unreadable body, too large) are still logged
  app.addHook('onResponse', (request, reply, done) => {
    if (!request.apiproxyRecorded && reply.statusCode >= 400 && request.method === 'POST' && request.url.startsWith('/v1')) {
      gw.recordBare({
        requestId: request.id,
        route: request.routeOptions.url ?? request.url.split('?')[0] ?? '',
        status: reply.statusCode,
        error: 'rejected before routing',
        ms: Math.round(reply.elapsedTime),
        clientIp: request.ip,
      });
    }
    done();
  });

  registerHealthRoutes(app, gw);
  registerMetricsRoute(app, gw);
  registerOpenAiRoutes(app, gw);
  registerAnthropicRoutes(app, gw);
  registerGeminiRoutes(app, gw);
  registerAdminRoutes(app, gw);
  registerDocsRoutes(app, routeTable);
  registerConsole(app);
  await app.ready();
  return app;
}
