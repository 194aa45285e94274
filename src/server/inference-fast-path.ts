/**
 * The inference routes with a fixed path (POST /v1/chat/completions, /v1/responses,
 * /v1/embeddings, /v1/messages) served straight from node:http, in front of Fastify, which
 * keeps every other route (admin API, console, health, model lists, Gemini's model paths).
 * Fastify's per-request machinery (router, hooks, content-type parsing, reply lifecycle) cost
 * about a fifth of a minimal proxy's CPU per request; this path does only what these routes need,
 * with the same behaviour: the same body limit and JSON checks (413 / 400 in the route's error
 * dialect), request ids from the same source, the same client address (TRUST_PROXY), 503 while
 * the server closes, and every refusal recorded in the request log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../canonical/errors.js';
import type { CanonicalError } from '../canonical/types.js';
import { dialectOfUrl } from '../api/dialect-of-url.js';
import { handleInference, toCanonicalError, type InferenceReply, type InferenceRequest, type InferenceRoute } from '../api/inference/handle.js';
import { bodyTooLarge, parseJsonBody } from '../security/json-limits.js';
import { clientIp, type TrustFunction } from './client-ip.js';
import { errorBody } from './error-shapes.js';
import type { Gateway } from './gateway.js';

export interface FastPathOptions {
  routes: readonly InferenceRoute[];
  bodyLimit: number;
  maxJsonDepth: number;
  trust: TrustFunction | false;
  nextId: () => string;
}

/** A reply written on the raw response, with the part of Fastify's reply interface the handler uses. */
class RawReply implements InferenceReply {
  private status = 200;
  private readonly head: Record<string, string> = {};
  private hijacked = false;

  constructor(readonly raw: ServerResponse) {}

  get sent(): boolean {
    return this.hijacked || this.raw.writableEnded;
  }

  code(statusCode: number): this {
    this.status = statusCode;
    return this;
  }

  header(name: string, value: string): this {
    this.head[name.toLowerCase()] = value;
    return this;
  }

  headers(values: Record<string, string>): this {
    for (const name in values) this.head[name.toLowerCase()] = values[name]!;
    return this;
  }

  type(contentType: string): this {
    this.head['content-type'] = contentType;
    return this;
  }

  send(payload: unknown): this {
    if (this.sent || this.raw.headersSent) return this;
    let body: Buffer | string;
    if (Buffer.isBuffer(payload)) {
      body = payload;
      this.head['content-type'] ??= 'application/octet-stream';
    } else if (typeof payload === 'string') {
      body = payload;
      this.head['content-type'] ??= 'text/plain; charset=utf-8';
    } else {
      body = JSON.stringify(payload) ?? '';
      this.head['content-type'] ??= 'application/json; charset=utf-8';
    }
    this.head['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
    this.raw.writeHead(this.status, this.head);
    this.raw.end(body);
    return this;
  }

  hijack(): void {
    this.hijacked = true;
  }
}

export class InferenceFastPath {
  private readonly byPath = new Map<string, InferenceRoute>();
  /** set when the server starts closing: new requests get 503 and `Connection: close` */
  closing = false;

  constructor(
    private readonly gw: Gateway,
    private readonly o: FastPathOptions,
  ) {
    for (const r of o.routes) this.byPath.set(r.route, r);
  }

  /** The route this request is for, or undefined (Fastify serves it). */
  match(req: IncomingMessage): InferenceRoute | undefined {
    if (req.method !== 'POST') return undefined;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    return this.byPath.get(q < 0 ? url : url.slice(0, q));
  }

  handle(req: IncomingMessage, res: ServerResponse, route: InferenceRoute): void {
    const t0 = performance.now();
    const id = this.o.nextId();
    const ip = clientIp(req, this.o.trust);
    const url = req.url ?? '';
    const reply = new RawReply(res);
    if (this.closing) {
      res.setHeader('connection', 'close');
      const e: CanonicalError = { status: 503, type: 'overloaded', message: 'The gateway is shutting down; retry on another instance.' };
      reply.code(503).header('x-request-id', id).send(errorBody(dialectOfUrl(url), e));
      req.resume();
      return;
    }
    const refuse = (err: GatewayError): void => {
      const e = err.toCanonical();
      this.gw.recordBare({ requestId: id, route: route.route, status: e.status, error: 'rejected before routing', ms: Math.round(performance.now() - t0), clientIp: ip });
      reply
        .code(e.status)
        .headers({ 'x-request-id': id, ...(err.headers ?? {}) })
        .send(errorBody(dialectOfUrl(url), e));
    };

    const limit = this.o.bodyLimit;
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) {
      refuse(bodyTooLarge(limit));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        req.off('data', onData);
        refuse(bodyTooLarge(limit));
        // the rest is read and dropped by node:http once the answer has gone
        req.resume();
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    // a client that goes away mid-body: nothing to answer
    req.on('error', () => undefined);
    req.on('end', () => {
      if (over) return;
      let body: unknown;
      try {
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
        body = parseJsonBody(text, this.o.maxJsonDepth);
      } catch (err) {
        refuse(err instanceof GatewayError ? err : new GatewayError(400, 'invalid_request', 'The request body is not valid JSON.'));
        return;
      }
      const request: InferenceRequest = { id, headers: req.headers, body, ip, url, apiproxyRecorded: false };
      handleInference(this.gw, route, request, reply).catch((err: unknown) => this.unexpected(err, request, reply, route));
    });
  }

  /** handleInference answers every error itself; this is the last guard, as Fastify's error handler was */
  private unexpected(err: unknown, request: InferenceRequest, reply: RawReply, route: InferenceRoute): void {
    this.gw.logger.error({ err, reqId: request.id }, 'unhandled error');
    if (!request.apiproxyRecorded) {
      this.gw.recordBare({ requestId: request.id, route: route.route, status: 500, error: 'internal error in the gateway', ms: 0, clientIp: request.ip });
    }
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.destroy();
      return;
    }
    const e = toCanonicalError(err);
    reply.code(e.status).header('x-request-id', request.id).send(errorBody(dialectOfUrl(request.url), e));
  }
}
