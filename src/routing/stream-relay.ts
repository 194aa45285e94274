/**
 * The client side of one stream attempt: holding back, committing, relaying.
 *
 * Before the commit point nothing reaches the client: the upstream's lifecycle frames (role
 * chunk, message_start, response.created, ...) are held, and an in-band error throws
 * `PrecommitError` so the attempt can fail over invisibly. The first content event (text,
 * reasoning, tool call, or finish) commits: the response headers and the held frames go out.
 *
 * Two ways to relay:
 * - bytes (passthrough): the upstream's frames are forwarded untouched; a tap reads usage, the
 *   end marker and in-band errors by byte search;
 * - events: every frame is decoded to canonical events and re-encoded in the client's dialect.
 *   Used when translating, and for logical models with `on_stream_failure: continue` even when
 *   the dialects match, because the gateway must own the frame state (ids, indexes, sequence
 *   numbers) to splice a continuation into the same answer.
 *
 * A relay can also resume another attempt's answer (continue mode): it writes into that
 * attempt's writer and encoder, drops the new upstream's `start` event (the client already has
 * the opening frames), and adds its usage to what the earlier attempts used.
 */
import type { CanonicalError, Dialect, StreamEvent, Usage } from '../canonical/types.js';
import { dialectModule } from '../dialects/registry.js';
import type { StreamDecoder, StreamEncoder } from '../dialects/types.js';
import type { ClientWriter } from '../relay/client-writer.js';
import { tapFor, type PassthroughTap, type TapState } from '../relay/passthrough-taps.js';
import { parseEventBytes, splitEvents } from '../relay/sse-framer.js';
import { streamErrorFrame } from '../relay/stream-error-frames.js';
import { emptyUsage, mergeUsage } from '../usage/extract.js';
import type { TextCounter } from '../usage/text-counter.js';
import type { CallContext } from './call.js';
import type { InferencePayload } from './attempt-plan.js';

export class PrecommitError extends Error {
  constructor(readonly error: CanonicalError) {
    super(error.message);
  }
}

/** What a committed stream that broke hands to the next attempt (continue mode). */
export interface StreamResume {
  writer: ClientWriter;
  encoder: StreamEncoder;
  /** the answer text the client has received so far */
  text: string;
  /** usage of the attempts so far */
  usage: Usage;
  /** how many times the answer was continued already */
  continuations: number;
}

/** Events that mean the answer has begun: the commit point. */
export function isContent(ev: StreamEvent): boolean {
  return ev.type === 'text_delta' || ev.type === 'reasoning_delta' || ev.type === 'tool_call_start' || ev.type === 'finish';
}

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    input: a.input + b.input,
    cacheRead: a.cacheRead + b.cacheRead,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    output: a.output + b.output,
    reasoning: a.reasoning + b.reasoning,
  };
}

export interface RelayOptions {
  mode: 'bytes' | 'events';
  upstreamDialect: Dialect;
  payload: InferencePayload;
  call: CallContext;
  /** sends the response headers (first commit of the request) */
  open(): ClientWriter;
  /** continue another attempt's answer */
  resume: StreamResume | null;
  /** drop leading whitespace of the continuation (the prefix sent upstream was right-trimmed) */
  trimLeading: boolean;
  /** counts generated characters in forwarded bytes (bytes mode) */
  countChars: TextCounter | null;
}

export class StreamRelay {
  writer: ClientWriter | null = null;
  encoder: StreamEncoder | null = null;
  /** performance.now() at the commit */
  committedAt: number | null = null;
  /** the upstream finished the answer (finish event / end marker) */
  finished = false;
  /** an in-band error after the commit (events mode: not yet written to the client) */
  lateError: CanonicalError | null = null;
  /** text relayed by this attempt (events mode) */
  text = '';
  /** the relayed answer so far is text only (no reasoning, no tool call) */
  onlyText = true;

  private readonly decoder: StreamDecoder;
  private readonly tap: PassthroughTap | null;
  readonly tapState: TapState = { usage: emptyUsage(), sawEnd: false, error: null };
  private readonly held: Buffer[] = [];
  private readonly heldEvents: StreamEvent[] = [];
  /** this attempt's own usage (resume: added to the earlier attempts') */
  private readonly own: Usage = emptyUsage();
  private trimLeading: boolean;

  constructor(private readonly o: RelayOptions) {
    this.decoder = dialectModule(o.upstreamDialect).createStreamDecoder();
    this.tap = o.mode === 'bytes' ? tapFor(o.upstreamDialect, wantsUsage(o.payload)) : null;
    this.trimLeading = o.trimLeading;
  }

  get committed(): boolean {
    return this.writer !== null;
  }

  /** A region of whole SSE events. false: the client is slow, wait for drain. */
  push(region: Buffer): boolean {
    if (this.writer !== null) return this.relay(region);
    const events = splitEvents(region);
    for (let i = 0; i < events.length; i++) {
      const evBytes = events[i]!;
      let commitNow = false;
      if (this.o.mode === 'bytes') {
        const kept = this.tap!.region(evBytes, this.tapState);
        for (const ev of this.decoder.push(parseEventBytes(evBytes))) {
          if (ev.type === 'error') throw new PrecommitError(ev.error);
          if (ev.type === 'finish') this.finished = true;
          if (isContent(ev)) commitNow = true;
        }
        if (kept.length > 0) this.held.push(kept);
      } else {
        for (const ev of this.decoder.push(parseEventBytes(evBytes))) {
          if (ev.type === 'error') throw new PrecommitError(ev.error);
          if (this.hold(ev)) commitNow = true;
        }
      }
      if (commitNow) {
        const rest = events.slice(i + 1);
        const region = rest.length === 0 ? null : rest.length === 1 ? rest[0]! : Buffer.concat(rest);
        if (this.o.mode === 'bytes') return this.commit(region);
        this.commit(null);
        return region === null ? true : this.relay(region);
      }
    }
    return true;
  }

  /** The upstream body ended (no error): flush the decoder. */
  end(): void {
    if (this.o.mode !== 'events') return;
    for (const ev of this.decoder.end()) {
      if (this.writer === null) {
        if (ev.type === 'error') throw new PrecommitError(ev.error);
        this.hold(ev);
      } else {
        this.emit(ev);
      }
    }
  }

  /** Commit without content (a complete answer that produced nothing). */
  commitEmpty(): void {
    if (this.writer === null) this.commit(null);
  }

  /** Hold an event before the commit; true when it is content. */
  private hold(ev: StreamEvent): boolean {
    const e = this.filter(ev);
    if (e === null) return false;
    this.track(e);
    this.heldEvents.push(e);
    return isContent(e);
  }

  /**
   * Send the headers and what was held back. Bytes mode: `rest` (the events after the one that
   * committed, in the same region) goes out with the held frames as one write, so the client
   * gets the start of the answer as one chunk. false: the client is slow, wait for drain.
   */
  private commit(rest: Buffer | null): boolean {
    const o = this.o;
    this.committedAt = performance.now();
    if (o.resume) {
      this.writer = o.resume.writer;
      this.encoder = o.resume.encoder;
    } else {
      this.writer = o.open();
      if (o.mode === 'events') {
        this.encoder = dialectModule(o.payload.clientDialect).createStreamEncoder({
          model: o.call.model,
          request: o.payload.canonical(),
          ...(o.payload.framing ? { framing: o.payload.framing } : {}),
        });
      }
    }
    const w = this.writer;
    let ok = true;
    if (o.mode === 'bytes') {
      const parts = this.held;
      if (rest !== null) {
        const out = this.tap!.region(rest, this.tapState);
        if (out.length > 0) parts.push(out);
      }
      if (o.countChars) for (const b of parts) o.call.outputChars += o.countChars(b);
      if (parts.length > 0) ok = w.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    } else {
      for (const ev of this.heldEvents) this.write(ev);
    }
    this.held.length = 0;
    this.heldEvents.length = 0;
    return ok;
  }

  /** After the commit: relay a region of whole events. */
  private relay(region: Buffer): boolean {
    const w = this.writer!;
    if (this.o.mode === 'bytes') {
      const out = this.tap!.region(region, this.tapState);
      if (out.length === 0) return true;
      if (this.o.countChars) this.o.call.outputChars += this.o.countChars(out);
      return w.write(out);
    }
    let ok = true;
    for (const evBytes of splitEvents(region)) {
      for (const ev of this.decoder.push(parseEventBytes(evBytes))) ok = this.emit(ev) && ok;
    }
    return ok;
  }

  /** Events mode after the commit: track and write one event. */
  private emit(ev: StreamEvent): boolean {
    if (this.lateError !== null) return true; // nothing after an error
    const e = this.filter(ev);
    if (e === null) return true;
    if (e.type === 'error') {
      this.lateError = e.error;
      return true;
    }
    this.track(e);
    return this.write(e);
  }

  /** Resume mode: drop the start, trim leading whitespace once, sum the usage. */
  private filter(ev: StreamEvent): StreamEvent | null {
    if (!this.o.resume) return ev;
    if (ev.type === 'start') {
      if (ev.usage) mergeUsage(this.own, ev.usage);
      return null;
    }
    if (ev.type === 'text_delta' && this.trimLeading) {
      const text = ev.text.replace(/^\s+/u, '');
      if (text.length === 0) return null;
      this.trimLeading = false;
      return { ...ev, text };
    }
    if (ev.type !== 'text_delta' && ev.type !== 'usage') this.trimLeading = false;
    return ev;
  }

  private track(ev: StreamEvent): void {
    const call = this.o.call;
    switch (ev.type) {
      case 'usage':
        mergeUsage(this.own, ev.usage);
        call.usage = this.o.resume ? addUsage(this.o.resume.usage, this.own) : { ...this.own };
        break;
      case 'start':
        if (ev.usage) {
          mergeUsage(this.own, ev.usage);
          call.usage = { ...this.own };
        }
        break;
      case 'finish':
        this.finished = true;
        break;
      case 'text_delta':
        this.text += ev.text;
        call.outputChars += ev.text.length;
        break;
      case 'reasoning_delta':
        this.onlyText = false;
        call.outputChars += ev.text.length;
        break;
      case 'tool_call_start':
        this.onlyText = false;
        break;
      case 'tool_call_delta':
        call.outputChars += ev.arguments.length;
        break;
      default:
        break;
    }
  }

  private write(ev: StreamEvent): boolean {
    const out = ev.type === 'usage' && this.o.resume ? this.encoder!.write({ type: 'usage', usage: this.o.call.usage }) : this.encoder!.write(ev);
    return out ? this.writer!.write(out) : true;
  }

  /** The state a continuation needs (events mode, committed). */
  resumeState(): StreamResume {
    const prior = this.o.resume;
    return {
      writer: this.writer!,
      encoder: this.encoder!,
      text: (prior?.text ?? '') + this.text,
      usage: prior ? addUsage(prior.usage, this.own) : { ...this.own },
      continuations: prior?.continuations ?? 0,
    };
  }

  /** Bytes mode, after the upstream ended: take the tap's usage. */
  takeTapUsage(): void {
    mergeUsage(this.o.call.usage, this.tapState.usage);
  }

  /** End the client's stream cleanly. */
  finish(): void {
    const w = this.writer!;
    if (this.o.mode === 'bytes') w.end();
    else w.end(this.encoder!.end());
  }

  /** End the client's stream with an error event in its dialect (never a clean-looking end). */
  fail(error: CanonicalError): void {
    endStreamWithError(this.writer!, this.o.mode === 'events' ? this.encoder : null, this.o.payload.clientDialect, this.o.call, error);
  }
}

export function endStreamWithError(writer: ClientWriter, encoder: StreamEncoder | null, dialect: Dialect, call: CallContext, error: CanonicalError): void {
  call.error = error.message;
  call.partial = true;
  if (encoder) {
    const out = encoder.write({ type: 'error', error });
    writer.end(out + encoder.end());
  } else {
    writer.end(streamErrorFrame(dialect, error));
  }
}

export function wantsUsage(payload: InferencePayload): boolean {
  const so = payload.body.stream_options;
  return typeof so === 'object' && so !== null && (so as { include_usage?: unknown }).include_usage === true;
}
