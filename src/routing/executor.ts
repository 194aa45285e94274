/**
 * The attempt loop. Candidates come in planner order (planner.ts); each upstream is tried at most
 * once per request (a provider key the provider refuses is taken out and the same upstream is
 * tried with another key: it was the key that failed, not the upstream). A request budget bounds
 * the attempts (ROUTING_MAX_ATTEMPTS) and their time (ROUTING_BUDGET_MS: no attempt starts after
 * it, and an attempt's wait for its first byte is cut to what is left).
 *
 * Every attempt feeds the live state: health (error ratio, latency), the breaker, the key's
 * back-off or death, metrics; a successful answer (re)binds the session (X-Session-Id).
 *
 * What the client gets when nothing answered:
 * - the upstream's own status and message for a final 4xx (the request itself is wrong);
 * - 400 when no candidate can express the request (translation refused it everywhere);
 * - 429 with Retry-After when every upstream is rate limited (answered 429, or every key is
 *   waiting out a Retry-After or at its max_qps);
 * - 504 when the last attempt timed out, 502 otherwise, naming the last failure;
 * - 503 when no candidate had a usable key at all.
 * A stream continued in continue mode (continuation.ts) that cannot be finished anywhere ends
 * with an error event in the client's dialect.
 */
import type { Logger } from 'pino';
import { GatewayError } from '../canonical/errors.js';
import type { CanonicalError, Dialect } from '../canonical/types.js';
import { SSE_HEADERS, ClientWriter } from '../relay/client-writer.js';
import type { Metrics } from '../telemetry/metrics.js';
import { jsonAttempt } from './attempt-json.js';
import type { AttemptFailure, AttemptOutcome, JsonAnswer } from './attempt-outcome.js';
import { collectRemoteImages } from '../dialects/gemini/media.js';
import type { MediaFetcher } from '../security/media-fetch.js';
import { planAttempt, upstreamDialectFor, type AttemptPlan, type InferencePayload } from './attempt-plan.js';
import { streamAttempt } from './attempt-stream.js';
import type { CallContext } from './call.js';
import type { Candidate, Resolution } from './catalog.js';
import { continuationRequest } from './continuation.js';
import type { ScoredCandidate } from './planner.js';
import type { RoutingServices } from './services.js';
import type { SessionRecord } from './stickiness.js';
import { endStreamWithError, type StreamResume } from './stream-relay.js';
import type { UpstreamClient } from './upstream-client.js';
import type { ProviderKey } from '../providers/types.js';
import type { ServerResponse } from 'node:http';
import { headerValue } from './header-value.js';
import { providerSecrets } from './upstream-error.js';

export interface ExecutorOptions {
  /** most upstream attempts for one request */
  maxAttempts: number;
  /** time budget for the attempts of one request, ms from arrival */
  budgetMs: number;
  /** fetches remote images for upstreams that need the bytes (Gemini) */
  media?: Pick<MediaFetcher, 'fetchAll'>;
}

export type ExecResult =
  | { kind: 'json'; answer: JsonAnswer; headers: Record<string, string> }
  | { kind: 'streamed' }
  | { kind: 'client-gone' }
  | { kind: 'error'; error: CanonicalError; headers: Record<string, string> };

/** Opens the raw response for a stream (hijacks the framework's reply). */
export type RawResponseOpener = () => ServerResponse;

interface Failed extends AttemptFailure {
  providerId: string;
  /** no candidate could express the request */
  translation?: boolean;
  /** not attempted: no usable key (rate limited, dead, at max_qps) */
  skipped?: boolean;
}

export class Executor {
  constructor(
    private readonly client: UpstreamClient,
    private readonly routing: RoutingServices,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly opts: ExecutorOptions,
  ) {}

  /**
   * Gemini cannot read image URLs: before the first translated attempt to a Gemini upstream, the
   * request's remote images are fetched once (SSRF policy, size cap, timeout) and kept for later
   * attempts. A refusal is a 400 for this candidate only; others may take the URLs as they are.
   */
  private needsMedia(payload: InferencePayload, upstream: Dialect): boolean {
    if (upstream !== 'gemini' || payload.inlineMedia || payload.kind !== 'inference' || !this.opts.media) return false;
    return !(payload.clientDialect === 'gemini' && !(payload.stream && payload.framing === 'json-array'));
  }

  private async inlineMedia(call: CallContext, payload: InferencePayload): Promise<void> {
    if (!this.opts.media) return;
    const urls = collectRemoteImages(payload.canonical());
    payload.inlineMedia = urls.length === 0 ? new Map() : await this.opts.media.fetchAll(urls, call.departure.signal());
  }

  /** Headers naming who answered, for every kind of answer. */
  private answerHeaders(call: CallContext, cand: Candidate | null, plan: AttemptPlan | null, attempts = call.attempts.length): Record<string, string> {
    const h: Record<string, string> = {
      'x-request-id': call.requestId,
      'x-apiproxy-attempts': String(attempts),
    };
    if (cand) {
      h['x-apiproxy-provider'] = cand.provider.id;
      h['x-apiproxy-upstream-model'] = headerValue(cand.model);
    }
    if (plan && plan.dropped.length > 0) h['x-apiproxy-dropped-params'] = plan.dropped.join(',');
    return h;
  }

  async run(call: CallContext, payload: InferencePayload, resolution: Resolution, openRaw: RawResponseOpener): Promise<ExecResult> {
    const r = this.routing;
    let session: SessionRecord | null = null;
    if (call.sessionId) session = await r.sessions.get(call.sessionId).catch(() => null);
    const plan = r.planner.plan({ candidates: resolution.candidates, stream: payload.stream, binding: session?.bindings[resolution.requested] ?? null });

    const failures: Failed[] = [];
    for (const s of plan.skipped) {
      failures.push({
        class: 'retryable',
        status: s.keys.retryAfterMs !== undefined ? 429 : null,
        error: { status: 503, type: 'upstream', message: s.keys.why ?? 'no usable key' },
        ...(s.keys.retryAfterMs !== undefined ? { retryAfterMs: s.keys.retryAfterMs } : {}),
        providerId: s.candidate.provider.id,
        skipped: true,
      });
    }
    const continuable = payload.stream && payload.kind === 'inference' && resolution.logicalModel?.onStreamFailure === 'continue';
    const deadline = call.t0 + this.opts.budgetMs;
    const queue = [...plan.order];
    let deferred: Set<ScoredCandidate> | null = null;
    let resume: StreamResume | null = null;
    let budgetSpent = false;


    outer: while (queue.length > 0) {
      const s = queue.shift()!;
      const cand = s.candidate;
      const p = cand.provider;
      if (s.trial && !deferred?.has(s)) {
        // a half-open breaker lets one request through at a time; the others try it last
        if (!(await r.breakers.claimTrial(s.upstream, Math.min(p.timeouts.totalMs, 120_000)))) {
          (deferred ??= new Set()).add(s);
          queue.push(s);
          continue;
        }
      }
      const tried = new Set<string>();
      for (;;) {
        if (call.attempts.length >= this.opts.maxAttempts) break outer;
        if (call.departure.gone) return this.gone(call, resume);
        const remaining = deadline - performance.now();
        if (remaining <= 0) {
          budgetSpent = true;
          break outer;
        }
        const picked = r.keys.pick(p, tried, s.group === 'last_resort' || deferred?.has(s) === true);
        const pick = picked instanceof Promise ? await picked : picked;
        if (!pick.key) {
          failures.push({
            class: 'retryable',
            status: pick.rateLimited ? 429 : null,
            error: { status: 503, type: 'upstream', message: pick.why },
            ...(pick.retryAfterMs !== undefined ? { retryAfterMs: pick.retryAfterMs } : {}),
            providerId: p.id,
            skipped: true,
          });
          break;
        }
        const key = pick.key;
        tried.add(key.id);

        let attemptPlan: AttemptPlan;
        let trimLeading = false;
        try {
          if (resume) {
            const cont = continuationRequest(payload.canonical(), resume.text, upstreamDialectFor(p, payload.clientDialect));
            trimLeading = cont.trimLeading;
            attemptPlan = planAttempt(payload, cand, key, this.client.baseHeaders(), cont.request);
          } else {
            if (this.needsMedia(payload, upstreamDialectFor(p, payload.clientDialect))) await this.inlineMedia(call, payload);
            attemptPlan = planAttempt(payload, cand, key, this.client.baseHeaders());
          }
        } catch (err) {
          if (err instanceof GatewayError) {
            failures.push({ class: 'retryable', status: null, error: err.toCanonical(), providerId: p.id, translation: true });
            break;
          }
          throw err;
        }

        const firstByteMs = Math.min(payload.stream ? p.timeouts.ttfbMs : p.timeouts.totalMs, Math.ceil(remaining));
        const cutByBudget = firstByteMs < (payload.stream ? p.timeouts.ttfbMs : p.timeouts.totalMs);
        const started = performance.now();
        const outcome: AttemptOutcome = payload.stream
          ? await streamAttempt({
              client: this.client,
              call,
              payload,
              cand,
              plan: attemptPlan,
              secrets: providerSecrets(p),
              timeouts: { ttfbMs: firstByteMs, idleMs: p.timeouts.idleMs, totalMs: p.timeouts.totalMs },
              open: () => {
                call.providerId = p.id;
                call.upstreamModel = cand.model;
                call.status = 200;
                const raw = openRaw();
                const writer = new ClientWriter(raw, () => call.departure.leave());
                // this attempt is not in call.attempts yet
                writer.commit(200, { ...SSE_HEADERS, ...this.answerHeaders(call, cand, attemptPlan, call.attempts.length + 1) });
                return writer;
              },
              continuable,
              resume,
              trimLeading,
            })
          : await jsonAttempt(this.client, call, payload, cand, attemptPlan, { idleMs: p.timeouts.idleMs, totalMs: firstByteMs }, providerSecrets(p));
        const ms = performance.now() - started;

        const failure = outcome.kind === 'failed' || outcome.kind === 'broken' ? outcome.failure : outcome.kind === 'streamed' ? (outcome.failure ?? null) : null;
        call.attempts.push({
          providerId: p.id,
          model: cand.model,
          keyId: key.id,
          status: failure ? failure.status : outcome.kind === 'json' ? outcome.answer.status : 200,
          error: failure ? failure.error.message : null,
          ms: Math.round(ms),
        });
        this.feedback(s, key, outcome, ms, cutByBudget);

        switch (outcome.kind) {
          case 'json':
            call.providerId = p.id;
            call.upstreamModel = cand.model;
            call.status = outcome.answer.status;
            call.droppedParams = attemptPlan.dropped;
            if (call.sessionId) this.bindSession(call, session, resolution.requested, cand);
            return { kind: 'json', answer: outcome.answer, headers: this.answerHeaders(call, cand, attemptPlan) };
          case 'streamed':
            if (resume === null) call.droppedParams = attemptPlan.dropped;
            else call.partial = outcome.failure !== undefined;
            if (outcome.failure === undefined && call.sessionId) this.bindSession(call, session, resolution.requested, cand);
            return { kind: 'streamed' };
          case 'broken':
            this.metrics.continued(p.id, cand.model);
            resume = outcome.resume;
            resume.continuations++;
            call.continuations = resume.continuations;
            call.partial = true;
            this.logger.info(
              { reqId: call.requestId, provider: p.id, model: cand.model, error: outcome.failure.error.message, chars: resume.text.length },
              'stream broke after content; continuing the answer on the next upstream',
            );
            continue outer;
          case 'client-gone':
            return this.gone(call, resume);
          case 'failed':
            failures.push({ ...outcome.failure, providerId: p.id });
            if (outcome.failure.class === 'final' && resume === null) {
              return { kind: 'error', error: outcome.failure.error, headers: this.answerHeaders(call, cand, null) };
            }
            if (outcome.failure.class === 'credential') continue; // next key of this provider
            continue outer;
        }
      }
    }

    const ended = this.exhausted(call, failures, budgetSpent);
    if (resume) {
      endStreamWithError(resume.writer, resume.encoder, payload.clientDialect, call, {
        ...ended.error,
        message: `The answer broke off and could not be continued: ${ended.error.message}`,
      });
      return { kind: 'streamed' };
    }
    return { kind: 'error', ...ended };
  }

  /** A successful answer (re)binds the session to the upstream that gave it. */
  private bindSession(call: CallContext, session: SessionRecord | null, requested: string, cand: Candidate): void {
    const sessionId = call.sessionId;
    if (!sessionId) return;
    const previous = session?.bindings[requested];
    if (this.routing.sessions.bind(sessionId, session, requested, cand.provider.id, cand.model)) {
      this.metrics.sessionRebound();
      this.logger.info(
        { reqId: call.requestId, session: sessionId, model: requested, from: previous ? `${previous.provider}/${previous.model}` : undefined, to: `${cand.provider.id}/${cand.model}` },
        'session re-bound to another upstream',
      );
    }
  }

  private gone(call: CallContext, resume: StreamResume | null): ExecResult {
    if (resume) {
      resume.writer.end();
      return { kind: 'streamed' };
    }
    return { kind: 'client-gone' };
  }

  /** Feed one attempt's outcome into health, breaker, key state and metrics. */
  private feedback(s: ScoredCandidate, key: ProviderKey, outcome: AttemptOutcome, ms: number, cutByBudget: boolean): void {
    const r = this.routing;
    const { upstream } = s;
    const p = s.candidate.provider;
    const model = s.candidate.model;
    switch (outcome.kind) {
      case 'json':
        r.health.record(upstream, true, { latencyMs: ms });
        r.breakers.onSuccess(upstream);
        r.keys.onSuccess(key);
        this.metrics.attempt(p.id, model, 'ok');
        return;
      case 'streamed':
      case 'broken':
        if (outcome.kind === 'streamed' && outcome.failure === undefined) {
          r.health.record(upstream, true, { ttfbMs: outcome.ttfbMs });
          r.breakers.onSuccess(upstream);
          r.keys.onSuccess(key);
          this.metrics.attempt(p.id, model, 'ok');
        } else {
          r.health.record(upstream, false, { ttfbMs: outcome.ttfbMs });
          r.breakers.onFailure(upstream);
          this.metrics.attempt(p.id, model, 'broken');
        }
        return;
      case 'client-gone':
        return;
      case 'failed': {
        const f = outcome.failure;
        if (f.class === 'final') {
          // the upstream answered; the request was wrong
          r.breakers.onSuccess(upstream);
          r.keys.onSuccess(key);
          this.metrics.attempt(p.id, model, 'rejected');
        } else if (f.class === 'credential') {
          r.keys.markDead(p, key, `HTTP ${f.status ?? '?'}: ${f.error.message}`.slice(0, 300));
          this.metrics.attempt(p.id, model, 'credential');
        } else if (f.status === 429) {
          r.keys.onRateLimited(key, f.retryAfterMs);
          this.metrics.attempt(p.id, model, 'rate_limited');
        } else {
          if (!(f.timeout && cutByBudget)) {
            r.health.record(upstream, false);
            r.breakers.onFailure(upstream);
            r.keys.onRetryableFailure(key, f.status !== null ? `HTTP ${f.status}` : f.error.message);
          }
          this.metrics.attempt(p.id, model, f.timeout ? 'timeout' : 'error');
        }
        return;
      }
    }
  }

  private exhausted(call: CallContext, failures: Failed[], budgetSpent: boolean): { error: CanonicalError; headers: Record<string, string> } {
    const headers = this.answerHeaders(call, null, null);
    const real = failures.filter((f) => !f.translation && !f.skipped);
    const skipped = failures.filter((f) => f.skipped);
    if (failures.length === 0) {
      return {
        error: { status: 503, type: 'upstream', message: `No upstream for '${call.model}' could be tried right now.`, code: 'no_available_upstream' },
        headers,
      };
    }
    if (real.length === 0 && skipped.length === 0) return { error: failures[0]!.error, headers };
    const rateLimited = [...real, ...skipped].filter((f) => f.status === 429);
    if (rateLimited.length > 0 && rateLimited.length === real.length + skipped.length) {
      const waits = rateLimited.map((f) => f.retryAfterMs).filter((v): v is number => v !== undefined);
      if (waits.length > 0) headers['retry-after'] = String(Math.max(1, Math.ceil(Math.min(...waits) / 1000)));
      const last = rateLimited[rateLimited.length - 1]!;
      return {
        error: { status: 429, type: 'rate_limit', message: `Every upstream for '${call.model}' is rate limited; last: ${last.providerId}: ${last.error.message}`, code: 'upstream_rate_limited' },
        headers,
      };
    }
    if (real.length === 0) {
      const last = skipped[skipped.length - 1]!;
      return {
        error: { status: 503, type: 'upstream', message: `No upstream for '${call.model}' has a usable key right now; last: ${last.providerId}: ${last.error.message}`, code: 'no_available_upstream' },
        headers,
      };
    }
    const last = real[real.length - 1]!;
    const what = last.status !== null ? `HTTP ${last.status}: ${last.error.message}` : last.error.message;
    const n = call.attempts.length;
    const timeout = last.timeout === true || budgetSpent;
    const tail = budgetSpent ? ' (the request time budget ran out)' : '';
    return {
      error: {
        status: timeout ? 504 : 502,
        type: timeout ? 'timeout' : 'upstream',
        message: `${n === 1 ? 'The upstream attempt' : `All ${n} upstream attempts`} for '${call.model}' failed${tail}; last: ${last.providerId}: ${what}`,
        code: timeout ? 'upstream_timeout' : 'upstream_error',
      },
      headers,
    };
  }
}
