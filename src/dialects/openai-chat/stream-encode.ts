/**
 * Canonical stream events -> chat.completion.chunk SSE for an OpenAI chat client, in the order
 * the OpenAI SDK's ChatCompletionStream accepts:
 * 1. a first chunk with `delta: {role: "assistant", content: ""}`;
 * 2. deltas: `content`, `reasoning_content`, `tool_calls` (the first fragment of each call has
 *    index, id, `type: "function"`, the name and `arguments: ""`; later ones index + arguments);
 * 3. exactly one chunk with `finish_reason` and an empty delta, after the last content;
 * 4. when the client asked (`stream_options.include_usage`), a usage chunk with `choices: []`;
 * 5. `data: [DONE]`.
 * The finish chunk is held until usage is known or the stream ends, so the order above holds
 * whether usage arrives before or after the finish. An error at any point becomes
 * `data: {"error": {...}}` (the SDK raises it) and the stream ends without [DONE]: an error
 * never looks like a clean end. A canonical `finish` with reason `error` is such an error.
 * Anthropic thinking signatures / redacted thinking are sent as `thinking_blocks` deltas (the
 * whole block, once its signature is known) so a client can send them back.
 */
import type { CanonicalError, StreamEvent, Usage } from '../../canonical/types.js';
import type { StreamEncodeContext, StreamEncoder } from '../types.js';
import { encodeError } from './errors.js';
import type { ChatFinishReason } from './finish.js';
import { encodeFinishReason } from './finish.js';
import { chatCompletionId } from './ids.js';
import type { JsonObject } from './json.js';
import { encodeToolCall, thinkingBlock } from './response-encode.js';
import { encodeUsage } from './usage.js';

class ChatStreamEncoder implements StreamEncoder {
  private readonly includeUsage: boolean;
  private head = '';
  private readonly tail: string;
  private roleSent = false;
  private closed = false;
  private finish: ChatFinishReason | undefined;
  private finishSent = false;
  private usageSeen = false;
  private readonly usage: Partial<Usage> = {};
  private readonly toolIndex = new Map<number, number>();
  /** Text of the current Anthropic reasoning block (for its thinking_blocks entry). */
  private thinking = '';

  constructor(private readonly ctx: StreamEncodeContext) {
    this.includeUsage = ctx.request.streamIncludeUsage === true;
    this.tail = this.includeUsage ? ',"logprobs":null,"finish_reason":null}],"usage":null}' : ',"logprobs":null,"finish_reason":null}]}';
  }

  write(event: StreamEvent): string {
    if (this.closed) return '';
    switch (event.type) {
      case 'start':
        if (!this.head) this.setHead(event.id, event.created);
        if (event.usage) this.addUsage(event.usage);
        return this.role();
      case 'text_delta':
        this.thinking = '';
        return event.text ? this.delta({ content: event.text }) : this.role();
      case 'reasoning_delta':
        return this.reasoning(event);
      case 'tool_call_start': {
        this.thinking = '';
        const index = this.toolIndex.size;
        this.toolIndex.set(event.index, index);
        return this.delta({ tool_calls: [{ index, ...encodeToolCall(event, '') }] });
      }
      case 'tool_call_delta': {
        let pre = '';
        let index = this.toolIndex.get(event.index);
        if (index === undefined) {
          // arguments for a call never started: open it so the client has a complete call
          pre = this.write({ type: 'tool_call_start', index: event.index, id: `call_${event.index}`, name: '' });
          index = this.toolIndex.get(event.index) ?? 0;
        }
        return event.arguments ? pre + this.delta({ tool_calls: [{ index, function: { arguments: event.arguments } }] }) : pre;
      }
      case 'tool_call_end':
        return '';
      case 'usage':
        this.addUsage(event.usage);
        this.usageSeen = true;
        return this.finish !== undefined && !this.finishSent ? this.finishChunk() : '';
      case 'finish':
        if (event.reason === 'error') {
          return this.error({ status: 502, type: 'upstream', message: 'The upstream model stopped with an error before finishing its answer.' });
        }
        if (this.finish !== undefined) return '';
        this.finish = encodeFinishReason(event.reason);
        return this.usageSeen ? this.role() + this.finishChunk() : this.role();
      case 'error':
        return this.error(event.error);
    }
  }

  end(): string {
    if (this.closed) return '';
    if (this.finish === undefined) {
      return this.error({ status: 502, type: 'upstream', message: 'The upstream stream ended before the answer was finished.' });
    }
    let out = this.role();
    if (!this.finishSent) out += this.finishChunk();
    if (this.includeUsage) {
      out += `data: {${this.headFields()},"choices":[],"usage":${JSON.stringify(encodeUsage(this.usage))}}\n\n`;
    }
    this.closed = true;
    return `${out}data: [DONE]\n\n`;
  }

  private setHead(id: string | undefined, created: number): void {
    this.head = `"id":${JSON.stringify(chatCompletionId(id))},"object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(this.ctx.model)}`;
  }

  private headFields(): string {
    if (!this.head) this.setHead(undefined, Math.floor(Date.now() / 1000));
    return this.head;
  }

  private frame(delta: JsonObject): string {
    return `data: {${this.headFields()},"choices":[{"index":0,"delta":${JSON.stringify(delta)}${this.tail}\n\n`;
  }

  private role(): string {
    if (this.roleSent) return '';
    this.roleSent = true;
    return this.frame({ role: 'assistant', content: '' });
  }

  /** A content delta; nothing after the finish chunk (the client would see content after the end). */
  private delta(delta: JsonObject): string {
    if (this.finishSent) return '';
    return this.role() + this.frame(delta);
  }

  private reasoning(event: Extract<StreamEvent, { type: 'reasoning_delta' }>): string {
    let out = '';
    if (event.text) {
      if (event.origin === 'anthropic') this.thinking += event.text;
      out += this.delta({ reasoning_content: event.text });
    }
    const tb = thinkingBlock({
      origin: event.origin,
      text: this.thinking,
      signature: event.signature,
      redactedData: event.redactedData,
    });
    if (tb) {
      out += this.delta({ thinking_blocks: [tb] });
      this.thinking = '';
    }
    return out;
  }

  private finishChunk(): string {
    this.finishSent = true;
    const tail = this.tail.replace('"finish_reason":null', `"finish_reason":"${this.finish ?? 'stop'}"`);
    return `data: {${this.headFields()},"choices":[{"index":0,"delta":{}${tail}\n\n`;
  }

  private addUsage(u: Partial<Usage>): void {
    for (const k of ['input', 'cacheRead', 'cacheWrite', 'output', 'reasoning'] as const) {
      const v = u[k];
      if (v !== undefined) this.usage[k] = v;
    }
  }

  private error(err: CanonicalError): string {
    this.closed = true;
    return `data: ${JSON.stringify(encodeError(err))}\n\n`;
  }
}

export function createStreamEncoder(ctx: StreamEncodeContext): StreamEncoder {
  return new ChatStreamEncoder(ctx);
}
