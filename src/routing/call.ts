/** One client request on its way through the gateway: who, what, and what happened. */
import type { Dialect, Usage } from '../canonical/types.js';
import { Departure } from './departure.js';
import type { Principal } from '../server/principal.js';
import { emptyUsage } from '../usage/extract.js';
import type { ExchangeCapture } from '../usage/capture.js';
import type { LimitTicket } from '../usage/limits.js';

export type Route = '/v1/chat/completions' | '/v1/responses' | '/v1/messages' | '/v1beta/generateContent' | '/v1/embeddings';

export interface AttemptRecord {
  providerId: string;
  model: string;
  keyId: string | null;
  status: number | null;
  error: string | null;
  ms: number;
}

export interface CallContext {
  requestId: string;
  route: string;
  /** the dialect the client speaks (embeddings ride on openai-chat's error shape) */
  clientDialect: Dialect;
  principal: Principal;
  /** Date.now() at arrival */
  startedAt: number;
  /** performance.now() at arrival */
  t0: number;
  stream: boolean;
  /** the model name the client asked for */
  model: string;
  sessionId: string | null;
  clientIp: string | null;
  /** the client's departure (disconnect before the answer was complete) */
  departure: Departure;

  // filled in as the call proceeds
  providerId: string | null;
  upstreamModel: string | null;
  attempts: AttemptRecord[];
  status: number;
  ttfbMs: number | null;
  usage: Usage;
  /** the answer was cut short (stream ended early, client gone) */
  partial: boolean;
  error: string | null;
  droppedParams: string[];
  /** continue mode: how many times a broken stream was handed to another upstream to finish */
  continuations: number;

  // usage, limits and the context store (src/usage; issue 5 part B)
  /** the client's parsed request body (never mutated): usage estimates, context store, logged bodies */
  requestBody: unknown;
  /**
   * characters of generated text relayed to the client (text, reasoning, tool arguments), counted
   * by the stream relay (src/routing/attempt-stream.ts); the output estimate when a stream ends
   * before the upstream reported usage (src/usage/estimate.ts)
   */
  outputChars: number;
  /** what was said, kept only when something needs it (X-Session-Id, LOG_BODIES); null otherwise */
  capture: ExchangeCapture | null;
  /** the RPM/TPM/budget admission of this call, settled after it (src/usage/limits.ts) */
  limits: LimitTicket | null;
}

export function newCall(init: {
  requestId: string;
  route: string;
  clientDialect: Dialect;
  principal: Principal;
  stream: boolean;
  model: string;
  sessionId: string | null;
  clientIp: string | null;
  t0: number;
}): CallContext {
  // every field written out in one literal: a spread followed by more fields makes V8 rebuild the
  // object's layout on each request, and every later access to `call` pays for it
  return {
    requestId: init.requestId,
    route: init.route,
    clientDialect: init.clientDialect,
    principal: init.principal,
    stream: init.stream,
    model: init.model,
    sessionId: init.sessionId,
    clientIp: init.clientIp,
    t0: init.t0,
    startedAt: Date.now(),
    departure: new Departure(),
    providerId: null,
    upstreamModel: null,
    attempts: [],
    status: 0,
    ttfbMs: null,
    usage: emptyUsage(),
    partial: false,
    error: null,
    droppedParams: [],
    continuations: 0,
    requestBody: null,
    outputChars: 0,
    capture: null,
    limits: null,
  };
}
