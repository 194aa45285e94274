/**
 * Canonical stream events -> a Gemini stream for @google/genai, Gemini CLI and REST clients.
 *
 * Framing (ctx.framing): 'sse' (`?alt=sse`, the default and what the SDK asks for): every chunk is
 * `data: <json>\r\n\r\n`, with no `event:` line and no terminator (the SDK drops frames with an
 * `event:` line, throws on `[DONE]` and on a last frame without its blank line). 'json-array':
 * the body is one JSON array streamed as `[` chunk `,\r\n` chunk … `]`.
 *
 * Chunks: each text / reasoning delta is sent at once as its own chunk; a tool call is sent whole
 * at tool_call_end (Gemini never splits a functionCall); the last chunk, written by end(),
 * carries `finishReason` and the final `usageMetadata` (usage may arrive before or after finish).
 * Every chunk carries `modelVersion` and `responseId`, and `usageMetadata` once usage is known,
 * as Gemini's own chunks do; the last one always has it. Tool calls whose arguments are not a JSON object are left out and
 * the finish reason becomes MALFORMED_FUNCTION_CALL (MAX_TOKENS when the answer was cut off).
 *
 * Errors: an error event becomes a final `{"error": {"code", "message", "status"}}` chunk, the
 * shape Gemini sends and the SDK raises as ApiError (it needs a numeric code in 400..599); the
 * stream then ends without a finish chunk. end() without finish or error (the upstream went away)
 * writes such an error chunk too, so the client never sees a clean-looking end.
 */
import type { FinishReason, StreamEvent, Usage } from '../../canonical/types.js';
import type { StreamEncodeContext, StreamEncoder } from '../types.js';
import { encodeGeminiError } from './errors.js';
import { finishFor, functionCallPart, reasoningPart } from './response-encode.js';
import { encodeUsage } from './usage.js';
import { randomId, type JsonObject } from './wire.js';

interface OpenCall {
  id: string;
  name: string;
  args: string;
  signature?: string;
}

export class GeminiStreamEncoder implements StreamEncoder {
  private readonly framing: 'sse' | 'json-array';
  private readonly model: string;
  private responseId = '';
  private usage: Partial<Usage> | undefined;
  private finish: FinishReason | undefined;
  private malformed = false;
  private closed = false;
  private ended = false;
  private chunks = 0;
  private readonly calls = new Map<number, OpenCall>();

  constructor(ctx: StreamEncodeContext) {
    this.framing = ctx.framing ?? 'sse';
    this.model = ctx.model;
  }

  write(event: StreamEvent): string {
    if (this.closed) return '';
    switch (event.type) {
      case 'start':
        this.responseId = event.id;
        if (event.usage) this.mergeUsage(event.usage);
        return '';
      case 'text_delta':
        if (event.text === '' && !event.thoughtSignature) return '';
        return this.parts([event.thoughtSignature ? { text: event.text, thoughtSignature: event.thoughtSignature } : { text: event.text }]);
      case 'reasoning_delta': {
        const part = reasoningPart(event.text, event.origin, event.signature);
        return part ? this.parts([part]) : '';
      }
      case 'tool_call_start': {
        const call: OpenCall = { id: event.id, name: event.name, args: '' };
        if (event.thoughtSignature) call.signature = event.thoughtSignature;
        this.calls.set(event.index, call);
        return '';
      }
      case 'tool_call_delta': {
        const call = this.calls.get(event.index);
        if (call) call.args += event.arguments;
        return '';
      }
      case 'tool_call_end': {
        const part = this.closeCall(event.index);
        return part ? this.parts([part]) : '';
      }
      case 'usage':
        this.mergeUsage(event.usage);
        return '';
      case 'finish':
        this.finish = event.reason;
        return '';
      case 'error':
        this.closed = true;
        return this.frame(encodeGeminiError(event.error));
    }
  }

  end(): string {
    if (this.ended) return '';
    this.ended = true;
    if (this.closed) return this.closing();
    this.closed = true;
    const open: JsonObject[] = [];
    for (const index of [...this.calls.keys()]) {
      const part = this.closeCall(index);
      if (part) open.push(part);
    }
    if (this.finish === undefined) {
      const error = encodeGeminiError({
        status: 502,
        type: 'upstream',
        message: 'The upstream stream ended before the model finished its answer',
      });
      return this.frame(error) + this.closing();
    }
    // the last chunk always reports usage (zeros when the upstream gave none)
    this.usage ??= {};
    const last = this.chunk(open, finishFor(this.finish, this.malformed));
    return this.frame(last) + this.closing();
  }

  /** Later usage supersedes earlier usage bucket by bucket. */
  private mergeUsage(usage: Partial<Usage>): void {
    const next: Partial<Usage> = { ...this.usage };
    for (const key of ['input', 'cacheRead', 'cacheWrite', 'output', 'reasoning'] as const) {
      const v = usage[key];
      if (v !== undefined) next[key] = v;
    }
    this.usage = next;
  }

  private closeCall(index: number): JsonObject | undefined {
    const call = this.calls.get(index);
    if (!call) return undefined;
    this.calls.delete(index);
    const part = functionCallPart(call.id, call.name, call.args, call.signature);
    if (!part) this.malformed = true;
    return part;
  }

  private chunk(parts: JsonObject[], finishReason?: string): JsonObject {
    const candidate: JsonObject = { content: { role: 'model', parts } };
    if (finishReason) candidate.finishReason = finishReason;
    candidate.index = 0;
    const body: JsonObject = { candidates: [candidate] };
    if (this.usage) body.usageMetadata = encodeUsage(this.usage);
    body.modelVersion = this.model;
    if (!this.responseId) this.responseId = randomId('gen_');
    body.responseId = this.responseId;
    return body;
  }

  private parts(parts: JsonObject[]): string {
    return this.frame(this.chunk(parts));
  }

  private frame(body: unknown): string {
    const json = JSON.stringify(body);
    const n = this.chunks++;
    if (this.framing === 'sse') return `data: ${json}\r\n\r\n`;
    return (n === 0 ? '[' : ',\r\n') + json;
  }

  private closing(): string {
    if (this.framing === 'sse') return '';
    return this.chunks === 0 ? '[]' : ']';
  }
}
