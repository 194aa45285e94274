/**
 * Upstream chat.completion.chunk SSE (OpenAI, Azure, OpenAI-compatible) -> canonical events.
 *
 * - Azure opens with a chunk whose `choices` is empty (prompt_filter_results): nothing to emit;
 *   `start` comes with the first chunk that has choices (or usage).
 * - `reasoning_content` / `reasoning` deltas (DeepSeek, vLLM, OpenRouter) are reasoning.
 * - Tool-call fragments are keyed by `index`; id and name come in the first fragment only
 *   (a fragment with an id but no name yet is buffered until the name arrives). A call is
 *   closed when the next one starts, when text follows, or at finish.
 * - A refusal is streamed as text and the finish becomes `refusal`.
 * - The finish is held until `data: [DONE]` (or the end of the stream), so the usage chunk that
 *   OpenAI sends after the finish chunk is reported before the finish.
 * - A frame with an `error` key is an in-band error; nothing after it is read. A stream that
 *   ends without a finish_reason or [DONE] is reported as an error (it was cut).
 */
import type { FinishReason, StreamEvent } from '../../canonical/types.js';
import type { StreamDecoder } from '../types.js';
import type { SseEvent } from '../sse.js';
import { decodeError } from './errors.js';
import { decodeFinishReason } from './finish.js';
import { newId } from './ids.js';
import { isObject, num, str, tryParseJson } from './json.js';
import { toolCallSignature } from './reasoning.js';
import { decodeUsage } from './usage.js';

interface CallState {
  index: number;
  id?: string;
  name: string;
  signature?: string;
  buffered: string;
  started: boolean;
  ended: boolean;
}

const LEGACY_FUNCTION_KEY = -1;

class ChatStreamDecoder implements StreamDecoder {
  private started = false;
  private done = false;
  private finishRaw: string | undefined;
  private sawFinish = false;
  private sawRefusal = false;
  private readonly calls = new Map<number, CallState>();
  private open: CallState | undefined;

  push(event: SseEvent): StreamEvent[] {
    if (this.done) return [];
    const data = event.data.trim();
    if (data === '') return [];
    if (data === '[DONE]') {
      this.done = true;
      return this.finish([]);
    }
    const obj = tryParseJson(data);
    if (!isObject(obj)) {
      this.done = true;
      return [upstreamError('The upstream sent a stream frame that is not JSON.')];
    }
    if (obj.error !== undefined || event.event === 'error') {
      this.done = true;
      return [{ type: 'error', error: decodeError(0, obj) }];
    }
    const out: StreamEvent[] = [];
    const choices = Array.isArray(obj.choices) ? obj.choices : [];
    const usage = decodeUsage(obj.usage);
    if (!this.started && (choices.length > 0 || usage)) {
      this.started = true;
      out.push({
        type: 'start',
        id: str(obj.id) || newId('chatcmpl-'),
        model: str(obj.model) ?? '',
        created: num(obj.created) || Math.floor(Date.now() / 1000),
      });
    }
    for (const choice of choices) {
      if (!isObject(choice) || (choice.index !== undefined && choice.index !== 0)) continue;
      if (isObject(choice.delta)) this.delta(choice.delta, out);
      const fr = str(choice.finish_reason);
      if (fr) {
        this.closeOpen(out);
        this.finishRaw = fr;
        this.sawFinish = true;
      }
    }
    if (usage) out.push({ type: 'usage', usage });
    return out;
  }

  end(): StreamEvent[] {
    if (this.done) return [];
    this.done = true;
    if (!this.sawFinish) return [upstreamError('The upstream stream ended before the answer was finished.')];
    return this.finish([]);
  }

  private finish(out: StreamEvent[]): StreamEvent[] {
    if (!this.started) return [upstreamError('The upstream stream ended without any content.')];
    this.closeOpen(out);
    const reason: FinishReason = decodeFinishReason(this.finishRaw, {
      hasToolCalls: this.calls.size > 0,
      hasRefusal: this.sawRefusal,
    });
    out.push({ type: 'finish', reason });
    return out;
  }

  private delta(d: Record<string, unknown>, out: StreamEvent[]): void {
    const reasoning = str(d.reasoning_content) || str(d.reasoning);
    if (reasoning) {
      this.closeOpen(out);
      out.push({ type: 'reasoning_delta', text: reasoning });
    }
    const content = str(d.content);
    if (content) {
      this.closeOpen(out);
      out.push({ type: 'text_delta', text: content });
    }
    const refusal = str(d.refusal);
    if (refusal) {
      this.closeOpen(out);
      this.sawRefusal = true;
      out.push({ type: 'text_delta', text: refusal });
    }
    if (Array.isArray(d.tool_calls)) {
      d.tool_calls.forEach((tc, position) => {
        if (!isObject(tc)) return;
        const fn = isObject(tc.function) ? tc.function : {};
        this.fragment(num(tc.index) ?? position, tc, str(tc.id), str(fn.name), str(fn.arguments), out);
      });
    }
    if (isObject(d.function_call)) {
      const fc = d.function_call;
      this.fragment(LEGACY_FUNCTION_KEY, fc, undefined, str(fc.name), str(fc.arguments), out);
    }
  }

  private fragment(
    key: number,
    raw: Record<string, unknown>,
    id: string | undefined,
    name: string | undefined,
    args: string | undefined,
    out: StreamEvent[],
  ): void {
    let st = this.calls.get(key);
    if (!st) {
      this.closeOpen(out);
      st = { index: this.calls.size, name: '', buffered: '', started: false, ended: false };
      this.calls.set(key, st);
      this.open = st;
    }
    if (id && !st.id) st.id = id;
    if (!st.started) {
      if (name) st.name = name;
      const sig = st.id ? toolCallSignature(raw, st.id) : undefined;
      if (sig) st.signature = sig;
      if (args) st.buffered += args;
      if (st.name) this.startCall(st, out);
      return;
    }
    // Fragments of a call that was already closed (interleaved parallel calls) still go out,
    // under that call's index.
    if (args) out.push({ type: 'tool_call_delta', index: st.index, arguments: args });
  }

  private startCall(st: CallState, out: StreamEvent[]): void {
    st.started = true;
    st.id ??= newId('call_');
    const ev: StreamEvent = { type: 'tool_call_start', index: st.index, id: st.id, name: st.name };
    if (st.signature) ev.thoughtSignature = st.signature;
    out.push(ev);
    if (st.buffered) out.push({ type: 'tool_call_delta', index: st.index, arguments: st.buffered });
    st.buffered = '';
  }

  private closeOpen(out: StreamEvent[]): void {
    const st = this.open;
    if (!st) return;
    this.open = undefined;
    if (!st.started) this.startCall(st, out);
    if (!st.ended) {
      st.ended = true;
      out.push({ type: 'tool_call_end', index: st.index });
    }
  }
}

function upstreamError(message: string): StreamEvent {
  return { type: 'error', error: { status: 502, type: 'upstream', message } };
}

export function createStreamDecoder(): StreamDecoder {
  return new ChatStreamDecoder();
}
