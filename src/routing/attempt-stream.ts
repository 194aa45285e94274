/**
 * A stream attempt, with the commit point: the upstream stream is opened and read here, inside
 * the attempt loop, until its first content event (see stream-relay.ts). Until then nothing
 * reaches the client, so an error status, a broken connection, a time-to-first-byte timeout or
 * an in-band error event fails over invisibly. After the commit a failure ends the client's
 * stream with an error event in its own dialect — or, in continue mode with a text-only answer
 * so far, hands the open answer to the executor to continue on the next upstream (`broken`).
 *
 * The upstream is read through undici's dispatch API: each chunk is framed and relayed as it
 * arrives, synchronously, with no Readable or async iterator in between; a slow client pauses
 * the upstream until its socket drains.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { CanonicalError } from '../canonical/types.js';
import type { ClientWriter } from '../relay/client-writer.js';
import { SseFramer } from '../relay/sse-framer.js';
import { textCounterFor } from '../usage/text-counter.js';
import type { CallContext } from './call.js';
import type { Candidate } from './catalog.js';
import { AttemptTimeout, ClientGone, failureFromException, type AttemptFailure, type AttemptOutcome } from './attempt-outcome.js';
import type { AttemptPlan, InferencePayload } from './attempt-plan.js';
import { classifyStatus, retryAfterMs } from './retry-policy.js';
import { PrecommitError, StreamRelay, type StreamResume } from './stream-relay.js';
import { upstreamHttpError } from './upstream-error.js';
import type { UpstreamClient } from './upstream-client.js';

const MAX_ERROR_BYTES = 256 * 1024;

export interface StreamAttemptInput {
  client: UpstreamClient;
  call: CallContext;
  payload: InferencePayload;
  cand: Candidate;
  plan: AttemptPlan;
  secrets: readonly string[];
  /** this attempt's limits (the provider's, cut to the request budget) */
  timeouts: { ttfbMs: number; idleMs: number; totalMs: number };
  /** commits: sends the response headers and returns the writer */
  open(): ClientWriter;
  /** continue mode: a failure after the commit hands the answer on instead of ending it */
  continuable: boolean;
  /** this attempt continues an earlier one's answer */
  resume: StreamResume | null;
  trimLeading: boolean;
}

export function streamAttempt(x: StreamAttemptInput): Promise<AttemptOutcome> {
  if (x.call.departure.gone) return Promise.resolve({ kind: 'client-gone' });
  return new Promise<AttemptOutcome>((resolve) => {
    const handler = new StreamAttempt(x, resolve);
    const plan = x.plan;
    x.client.dispatch(
      x.cand.provider,
      {
        origin: plan.origin,
        path: plan.path,
        method: 'POST',
        headers: plan.headers,
        body: plan.body,
        headersTimeout: x.timeouts.ttfbMs,
        bodyTimeout: x.timeouts.idleMs,
      },
      handler,
    );
  });
}

class StreamAttempt implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private reason: Error | null = null;
  private settled = false;
  private status = 0;
  /** an error answer's body (status >= 400), read to describe the failure */
  private errorChunks: Buffer[] | null = null;
  private errorSize = 0;
  private headers: IncomingHttpHeaders = {};
  private relay: StreamRelay | null = null;
  private mode: 'bytes' | 'events' = 'events';
  private readonly framer = new SseFramer();
  private readonly started = performance.now();
  private ttfbTimer: NodeJS.Timeout | undefined;
  private readonly totalTimer: NodeJS.Timeout;
  private readonly offClientGone: () => void;

  constructor(
    private readonly x: StreamAttemptInput,
    private readonly done: (o: AttemptOutcome) => void,
  ) {
    this.offClientGone = x.call.departure.onLeave(() => this.stop(new ClientGone()));
    this.ttfbTimer = setTimeout(() => this.stop(new AttemptTimeout('first-byte')), x.timeouts.ttfbMs);
    this.totalTimer = setTimeout(() => this.stop(new AttemptTimeout('total')), x.timeouts.totalMs);
  }

  private stop(reason: Error): void {
    this.reason ??= reason;
    if (this.controller && !this.settled) this.controller.abort(reason);
  }

  private clearTtfb(): void {
    if (this.ttfbTimer) clearTimeout(this.ttfbTimer);
    this.ttfbTimer = undefined;
  }

  private settle(o: AttemptOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.clearTtfb();
    clearTimeout(this.totalTimer);
    this.offClientGone();
    this.done(o);
  }

  /** Settle, and stop reading the upstream. */
  private settleAndAbort(o: AttemptOutcome, why: Error): void {
    this.settle(o);
    this.controller?.abort(why);
  }

  private ttfb(): number {
    return Math.round((this.relay?.committedAt ?? performance.now()) - this.started);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.reason) controller.abort(this.reason);
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.status = statusCode;
    if (statusCode >= 400) {
      this.errorChunks = [];
      this.headers = headers;
      return;
    }
    const ct = headers['content-type'];
    if (typeof ct !== 'string' || !ct.includes('text/event-stream')) {
      const error: CanonicalError = { status: 502, type: 'upstream', message: `the upstream did not answer with a stream (content-type ${String(ct)})` };
      this.settleAndAbort({ kind: 'failed', failure: { class: 'retryable', status: statusCode, error } }, new Error(error.message));
      return;
    }
    const x = this.x;
    const call = x.call;
    this.mode = x.plan.mode === 'passthrough' && !x.continuable && !x.resume ? 'bytes' : 'events';
    this.relay = new StreamRelay({
      mode: this.mode,
      upstreamDialect: x.plan.upstreamDialect,
      payload: x.payload,
      call,
      open: () => {
        this.clearTtfb();
        const w = x.open();
        call.ttfbMs = Math.round(performance.now() - call.t0);
        return w;
      },
      resume: x.resume,
      trimLeading: x.trimLeading,
      countChars: this.mode === 'bytes' ? textCounterFor(x.plan.upstreamDialect) : null,
    });
  }

  onResponseData(c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    if (this.errorChunks) {
      if (this.errorSize < MAX_ERROR_BYTES) {
        this.errorChunks.push(chunk);
        this.errorSize += chunk.length;
      }
      return;
    }
    const relay = this.relay!;
    const region = this.framer.push(chunk);
    if (region.length === 0) return;
    let ok: boolean;
    try {
      ok = relay.push(region);
    } catch (err) {
      this.onPrecommit(err);
      return;
    }
    if (relay.committed) this.clearTtfb();
    if (relay.lateError !== null) {
      // events mode: an in-band error after the commit; nothing more is read
      const error: CanonicalError = relay.lateError;
      this.settleAndAbort(this.afterCommit(error, { class: 'retryable', status: 200, error }), new Error(error.message));
      return;
    }
    if (!ok && relay.writer) {
      c.pause();
      void relay.writer.drain().then(() => {
        if (!this.settled) c.resume();
      });
    }
  }

  onResponseEnd(): void {
    if (this.settled) return;
    if (this.errorChunks) {
      this.settle(this.errorOutcome());
      return;
    }
    const relay = this.relay!;
    try {
      const rest = this.framer.rest();
      if (rest) relay.push(rest);
      relay.end();
    } catch (err) {
      this.onPrecommit(err);
      return;
    }
    this.settle(this.endOutcome(relay));
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    if (this.settled) return;
    const call = this.x.call;
    const relay = this.relay;
    const reason: unknown = this.reason ?? err;
    if (this.errorChunks) {
      // the error answer broke off: its status still classifies it
      this.settle(this.errorOutcome());
      return;
    }
    // usage (issue 5 part B): a committed passthrough stream that ends early keeps the usage
    // its tap saw so far (e.g. Anthropic's message_start input tokens); estimates fill the rest
    if (relay?.committed && this.mode === 'bytes') relay.takeTapUsage();
    if (reason instanceof ClientGone || call.departure.gone) {
      call.partial = relay?.committed ?? false;
      this.settle(relay?.committed ? { kind: 'streamed', ttfbMs: this.ttfb() } : { kind: 'client-gone' });
      return;
    }
    const failure = failureFromException(reason);
    if (!relay?.committed) {
      this.settle({ kind: 'failed', failure });
      return;
    }
    this.settle(this.afterCommit(failure.error, failure));
  }

  private onPrecommit(err: unknown): void {
    if (!(err instanceof PrecommitError)) {
      const failure = failureFromException(err);
      this.settleAndAbort(this.relay?.committed ? this.afterCommit(failure.error, failure) : { kind: 'failed', failure }, err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const error: CanonicalError = { ...err.error, message: `in-band error before any content: ${err.error.message}` };
    this.settleAndAbort({ kind: 'failed', failure: { class: 'retryable', status: this.status, error } }, err);
  }

  private errorOutcome(): AttemptOutcome {
    const text = Buffer.concat(this.errorChunks ?? []).toString('utf8');
    const ra = retryAfterMs(this.headers);
    const failure: AttemptFailure = {
      class: classifyStatus(this.status, this.x.cand.provider),
      status: this.status,
      error: upstreamHttpError(this.status, text, this.x.secrets),
      ...(ra !== undefined ? { retryAfterMs: ra } : {}),
    };
    return { kind: 'failed', failure };
  }

  /** a failure after the commit: continue elsewhere, or end the client's stream with it */
  private afterCommit(error: CanonicalError, failure: AttemptFailure): AttemptOutcome {
    const relay = this.relay!;
    if (this.x.continuable && this.mode === 'events' && relay.onlyText && !relay.finished) {
      return { kind: 'broken', ttfbMs: this.ttfb(), failure, resume: relay.resumeState() };
    }
    relay.fail(error);
    return { kind: 'streamed', ttfbMs: this.ttfb(), failure };
  }

  /** The upstream body ended cleanly: what the stream amounted to. */
  private endOutcome(relay: StreamRelay): AttemptOutcome {
    const call = this.x.call;
    if (!relay.committed) {
      if (!(this.mode === 'bytes' ? relay.tapState.sawEnd || relay.finished : relay.finished)) {
        return {
          kind: 'failed',
          failure: { class: 'retryable', status: this.status, error: { status: 502, type: 'upstream', message: 'the upstream closed the stream before any content' } },
        };
      }
      // a complete answer without content (e.g. an empty completion): commit it as it is
      relay.commitEmpty();
    }
    if (this.mode === 'bytes') {
      relay.takeTapUsage();
      if (relay.tapState.error !== null) {
        // the upstream's own error frame was forwarded as it came
        call.error = relay.tapState.error;
        call.partial = true;
        relay.finish();
        const error: CanonicalError = { status: 502, type: 'upstream', message: relay.tapState.error };
        return { kind: 'streamed', ttfbMs: this.ttfb(), failure: { class: 'retryable', status: 200, error } };
      }
      if (!relay.tapState.sawEnd) {
        const error: CanonicalError = { status: 502, type: 'upstream', message: 'the upstream stream ended unexpectedly' };
        relay.fail(error);
        return { kind: 'streamed', ttfbMs: this.ttfb(), failure: { class: 'retryable', status: 200, error } };
      }
      relay.finish();
      return { kind: 'streamed', ttfbMs: this.ttfb() };
    }
    if (relay.lateError !== null) {
      const error: CanonicalError = relay.lateError;
      return this.afterCommit(error, { class: 'retryable', status: 200, error });
    }
    if (!relay.finished) {
      const error: CanonicalError = { status: 502, type: 'upstream', message: 'the upstream stream ended unexpectedly' };
      return this.afterCommit(error, { class: 'retryable', status: 200, error });
    }
    relay.finish();
    return { kind: 'streamed', ttfbMs: this.ttfb() };
  }
}
