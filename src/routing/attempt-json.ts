/**
 * A non-stream attempt: send, read the whole answer, and either hand it back (passed through
 * byte for byte, or translated into the client's dialect) or describe the failure.
 */
import type { Dialect } from '../canonical/types.js';
import { dialectModule } from '../dialects/registry.js';
import { usageOfBody } from '../relay/usage-scan.js';
import type { CallContext } from './call.js';
import type { Candidate } from './catalog.js';
import { AttemptTimeout, ClientGone, failureFromException, type AttemptOutcome } from './attempt-outcome.js';
import type { AttemptPlan, InferencePayload } from './attempt-plan.js';
import { classifyStatus, retryAfterMs } from './retry-policy.js';
import { upstreamHttpError } from './upstream-error.js';
import type { UpstreamClient } from './upstream-client.js';
import type { Abort, Collected } from './upstream-collect.js';

const MAX_JSON_BYTES = 64 * 1024 * 1024;
const MAX_ERROR_BYTES = 256 * 1024;

/**
 * `timeouts.totalMs` bounds the whole attempt (a non-stream answer's headers come when it is
 * generated, so they may take that long); `idleMs` bounds silences while reading the body.
 */
export async function jsonAttempt(
  client: UpstreamClient,
  call: CallContext,
  payload: InferencePayload,
  cand: Candidate,
  plan: AttemptPlan,
  timeouts: { idleMs: number; totalMs: number },
  secrets: readonly string[],
): Promise<AttemptOutcome> {
  if (call.departure.gone) return { kind: 'client-gone' };
  const p = cand.provider;
  let abort: Abort | null = null;
  let reason: Error | null = null;
  const stop = (why: Error): void => {
    reason ??= why;
    abort?.(why);
  };
  const offClientGone = call.departure.onLeave(() => stop(new ClientGone()));
  const timer = setTimeout(() => stop(new AttemptTimeout('total')), timeouts.totalMs);
  let res: Collected;
  try {
    res = await client.collect(
      p,
      {
        url: plan.url,
        origin: plan.origin,
        path: plan.path,
        method: 'POST',
        headers: plan.headers,
        body: plan.body,
        headersTimeoutMs: timeouts.totalMs,
        bodyTimeoutMs: timeouts.idleMs,
        maxBytes: MAX_JSON_BYTES,
        maxErrorBytes: MAX_ERROR_BYTES,
      },
      (a) => {
        abort = a;
        if (reason) a(reason);
      },
    );
  } catch (err) {
    if (call.departure.gone) return { kind: 'client-gone' };
    return { kind: 'failed', failure: failureFromException(reason ?? err) };
  } finally {
    clearTimeout(timer);
    offClientGone();
  }
  return answerOf(call, payload, p, plan, res, secrets);
}

function answerOf(
  call: CallContext,
  payload: InferencePayload,
  p: Candidate['provider'],
  plan: AttemptPlan,
  res: Collected,
  secrets: readonly string[],
): AttemptOutcome {
  if (res.status >= 400) {
    const error = upstreamHttpError(res.status, res.body.toString('utf8'), secrets);
    const ra = retryAfterMs(res.headers);
    return {
      kind: 'failed',
      failure: { class: classifyStatus(res.status, p), status: res.status, error, ...(ra !== undefined ? { retryAfterMs: ra } : {}) },
    };
  }
  const body = res.body;
  if (call.ttfbMs === null) call.ttfbMs = Math.round(performance.now() - call.t0);

  if (plan.mode === 'passthrough') {
    const usageDialect: Dialect | 'embeddings' = payload.kind === 'embeddings' ? 'embeddings' : plan.upstreamDialect;
    call.usage = usageOfBody(usageDialect, body);
    const ct = res.headers['content-type'];
    return {
      kind: 'json',
      answer: { status: res.status, contentType: typeof ct === 'string' ? ct : 'application/json', body },
    };
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return {
      kind: 'failed',
      failure: { class: 'retryable', status: res.status, error: { status: 502, type: 'upstream', message: 'the upstream answered with a body that is not JSON' } },
    };
  }
  const canonicalResponse = dialectModule(plan.upstreamDialect).decodeResponse(parsed);
  call.usage = { ...canonicalResponse.usage };
  const out = dialectModule(payload.clientDialect).encodeResponse(canonicalResponse, { model: call.model, request: payload.canonical() });
  return { kind: 'json', answer: { status: 200, contentType: 'application/json', body: Buffer.from(JSON.stringify(out)) } };
}
