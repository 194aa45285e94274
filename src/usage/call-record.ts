/**
 * A finished call as a request-log row: usage completed with estimates where the upstream gave
 * none, its cost from the answering provider model's prices, the per-attempt records, and the
 * bodies when LOG_BODIES is on.
 */
import type { Provider } from '../providers/types.js';
import type { CallContext } from '../routing/call.js';
import type { NewRequestLogRow } from '../store/db/schema.js';
import { loggedRequestBody, loggedResponseBody } from './body-log.js';
import { streamedBytes } from './capture.js';
import { computeCost } from './cost.js';
import { fillMissingUsage } from './estimate.js';

export interface CallRecordOptions {
  /** the provider that answered (for prices and the secrets to scrub) */
  provider: Provider | undefined;
  logBodies: boolean;
  logBodyMaxBytes: number;
}

export interface CallRecord {
  row: NewRequestLogRow;
  cost: number | null;
  estimated: boolean;
}

export function callRecord(call: CallContext, latencyMs: number, opts: CallRecordOptions): CallRecord {
  const estimated = fillMissingUsage({
    usage: call.usage,
    answered: call.providerId !== null,
    partial: call.partial,
    outputChars: call.outputChars,
    requestBody: call.requestBody,
  });
  const p = opts.provider;
  const cost = p && call.upstreamModel !== null ? computeCost(call.usage, p.models.get(call.upstreamModel), p.kind) : null;
  const u = call.usage;

  const attempts: Array<Record<string, unknown>> = [];
  const last = call.attempts.length - 1;
  for (let i = 0; i <= last; i++) {
    const a = call.attempts[i]!;
    const rec: Record<string, unknown> = { provider_id: a.providerId, model: a.model, key_id: a.keyId, status: a.status, error: a.error, ms: a.ms };
    if (i === last && call.providerId === a.providerId && a.error === null) {
      // the answering attempt carries the call's figures
      rec.ttfb_ms = call.ttfbMs;
      rec.usage = { input: u.input, cache_read: u.cacheRead, cache_write: u.cacheWrite, output: u.output, reasoning: u.reasoning };
      rec.cost_usd = cost;
    }
    attempts.push(rec);
  }

  let requestBody: string | null = null;
  let responseBody: string | null = null;
  if (opts.logBodies) {
    const secrets = p ? p.keys.map((k) => k.secret) : [];
    requestBody = loggedRequestBody(call.requestBody, opts.logBodyMaxBytes, secrets);
    const cap = call.capture;
    if (cap?.response) responseBody = loggedResponseBody(cap.response.toString('utf8'), opts.logBodyMaxBytes, secrets);
    else if (cap && cap.streamed.length > 0) responseBody = loggedResponseBody(streamedBytes(cap).toString('utf8'), opts.logBodyMaxBytes, secrets);
  }

  const row: NewRequestLogRow = {
    id: call.requestId,
    ts: call.startedAt,
    api_key_id: call.principal.keyId,
    user_id: call.principal.userId,
    route: call.route,
    model: call.model,
    provider_id: call.providerId,
    upstream_model: call.upstreamModel,
    status: call.status,
    latency_ms: latencyMs,
    ttfb_ms: call.ttfbMs,
    input_tokens: u.input,
    cache_read_tokens: u.cacheRead,
    cache_write_tokens: u.cacheWrite,
    output_tokens: u.output,
    reasoning_tokens: u.reasoning,
    cost_usd: cost,
    stream: call.stream ? 1 : 0,
    attempts: call.attempts.length,
    partial: call.partial ? 1 : 0,
    error: call.error,
    session_id: call.sessionId,
    client_ip: call.clientIp,
    request_body: requestBody,
    response_body: responseBody,
    estimated: estimated ? 1 : 0,
    attempt_records: attempts.length > 0 ? JSON.stringify(attempts) : null,
  };
  return { row, cost, estimated };
}
