/**
 * Canonical stream events -> Anthropic SSE for an Anthropic client (checked against
 * @anthropic-ai/sdk's MessageStream).
 *
 * - Every frame is `event: <type>` + `data: <json>`: the SDK ignores frames without `event:`.
 * - message_start first (sent on `start`, or before the first frame if `start` never came), with
 *   the input usage known so far.
 * - Content blocks are opened lazily and closed before the next one opens; indexes count from 0
 *   (a tool-only stream starts at 0); every started block gets its content_block_stop.
 * - reasoning -> a thinking block (thinking_delta, then signature_delta before its stop); a
 *   reasoning delta after the block's signature, or any non-reasoning content, starts a new
 *   block; redactedData -> a redacted_thinking block. Another vendor's signature is packed so the
 *   client replays it with its origin (see response-encode.ts clientSignature).
 * - tool calls -> tool_use blocks with input_json_delta fragments. Calls whose deltas interleave
 *   (parallel calls streamed at once) are serialised: a later call's fragments are buffered and
 *   sent when its turn comes. Fragments for a call whose block had to be closed (other content
 *   arrived in between) cannot be sent any more and are dropped.
 * - message_delta {stop_reason, stop_sequence, usage} is held until both the finish and a usage
 *   event have arrived (or end() is called), then message_stop.
 * - An error -> `event: error` with {"type":"error","error":{type, message}} and nothing after it.
 *   end() without a finish is an error too, never a clean-looking end.
 */
import type { CanonicalError, FinishReason, StreamEvent, Usage } from '../../canonical/types.js';
import { sseFrame } from '../sse.js';
import type { StreamEncodeContext, StreamEncoder } from '../types.js';
import { encodeAnthropicError } from './errors.js';
import { stopReasonFromFinish } from './finish.js';
import { clientToolId } from './ids.js';
import { clientMessageId, clientSignature } from './response-encode.js';
import { usageToAnthropic } from './usage.js';

interface ToolState {
  id: string;
  name: string;
  thoughtSignature?: string;
  state: 'queued' | 'open' | 'closed';
  buffered: string[];
  ended: boolean;
}

type OpenBlock =
  | { kind: 'text'; index: number }
  | { kind: 'thinking'; index: number; signed: boolean }
  | { kind: 'tool'; index: number; tool: ToolState };

function frame(type: string, payload: Record<string, unknown>): string {
  return sseFrame(JSON.stringify({ type, ...payload }), type);
}

export class AnthropicStreamEncoder implements StreamEncoder {
  private started = false;
  private done = false;
  private id = '';
  private nextIndex = 0;
  private open: OpenBlock | undefined;
  private readonly tools = new Map<number, ToolState>();
  private readonly queue: ToolState[] = [];
  private readonly usage: Usage = { input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0 };
  private usageSeen = false;
  private finish: { reason: FinishReason; stopSequence?: string } | undefined;
  private sawToolUse = false;

  constructor(private readonly ctx: StreamEncodeContext) {}

  write(event: StreamEvent): string {
    if (this.done) return '';
    switch (event.type) {
      case 'start':
        if (event.usage) this.mergeUsage(event.usage);
        if (!this.id) this.id = clientMessageId(event.id || Date.now().toString(36));
        return this.ensureStarted();
      case 'text_delta':
        return event.text ? this.text(event.text) : '';
      case 'reasoning_delta':
        return this.reasoning(event);
      case 'tool_call_start':
        return this.toolStart(event.index, event.id, event.name, event.thoughtSignature);
      case 'tool_call_delta':
        return this.toolDelta(event.index, event.arguments);
      case 'tool_call_end':
        return this.toolEnd(event.index);
      case 'usage':
        this.mergeUsage(event.usage);
        this.usageSeen = true;
        return this.finish ? this.close() : '';
      case 'finish': {
        this.finish = event.stopSequence === undefined ? { reason: event.reason } : { reason: event.reason, stopSequence: event.stopSequence };
        return this.usageSeen ? this.close() : '';
      }
      case 'error':
        return this.error(event.error);
    }
  }

  end(): string {
    if (this.done) return '';
    if (this.finish) return this.close();
    return this.error({ status: 502, type: 'upstream', message: 'The upstream stream ended before the message was complete' });
  }

  private mergeUsage(u: Partial<Usage>): void {
    if (u.input !== undefined) this.usage.input = u.input;
    if (u.cacheRead !== undefined) this.usage.cacheRead = u.cacheRead;
    if (u.cacheWrite !== undefined) this.usage.cacheWrite = u.cacheWrite;
    if (u.output !== undefined) this.usage.output = u.output;
    if (u.reasoning !== undefined) this.usage.reasoning = u.reasoning;
  }

  private ensureStarted(): string {
    if (this.started) return '';
    this.started = true;
    if (!this.id) this.id = clientMessageId(Date.now().toString(36));
    const u = usageToAnthropic(this.usage);
    return frame('message_start', {
      message: {
        id: this.id,
        type: 'message',
        role: 'assistant',
        model: this.ctx.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: u.input_tokens,
          cache_creation_input_tokens: u.cache_creation_input_tokens,
          cache_read_input_tokens: u.cache_read_input_tokens,
          output_tokens: u.output_tokens,
        },
      },
    });
  }

  private startBlock(block: Record<string, unknown>): { out: string; index: number } {
    const index = this.nextIndex++;
    return { out: frame('content_block_start', { index, content_block: block }), index };
  }

  /** Close the open block and send every queued tool call, so other content can follow. */
  private settle(): string {
    let out = this.closeOpen();
    while (this.queue.length > 0) {
      const tool = this.queue.shift();
      if (!tool) break;
      out += this.openTool(tool) + this.closeOpen();
    }
    return out;
  }

  private closeOpen(): string {
    const open = this.open;
    if (!open) return '';
    this.open = undefined;
    if (open.kind === 'tool') open.tool.state = 'closed';
    return frame('content_block_stop', { index: open.index });
  }

  private text(text: string): string {
    let out = this.ensureStarted();
    if (this.open?.kind !== 'text') {
      out += this.settle();
      const { out: start, index } = this.startBlock({ type: 'text', text: '' });
      out += start;
      this.open = { kind: 'text', index };
    }
    return out + frame('content_block_delta', { index: this.open.index, delta: { type: 'text_delta', text } });
  }

  private reasoning(ev: Extract<StreamEvent, { type: 'reasoning_delta' }>): string {
    let out = this.ensureStarted();
    if (ev.redactedData !== undefined && (ev.origin === 'anthropic' || ev.origin === undefined)) {
      out += this.settle();
      const { out: start, index } = this.startBlock({ type: 'redacted_thinking', data: ev.redactedData });
      return out + start + frame('content_block_stop', { index });
    }
    const signature = ev.signature !== undefined || ev.redactedData !== undefined ? clientSignature(ev) : '';
    if (!ev.text && !signature) return out;
    const open = this.open;
    let block: Extract<OpenBlock, { kind: 'thinking' }>;
    if (open?.kind === 'thinking' && !(open.signed && ev.text)) {
      block = open;
    } else {
      out += this.settle();
      const { out: start, index } = this.startBlock({ type: 'thinking', thinking: '', signature: '' });
      out += start;
      block = { kind: 'thinking', index, signed: false };
      this.open = block;
    }
    if (ev.text) {
      out += frame('content_block_delta', { index: block.index, delta: { type: 'thinking_delta', thinking: ev.text } });
    }
    if (signature) {
      out += frame('content_block_delta', { index: block.index, delta: { type: 'signature_delta', signature } });
      block.signed = true;
    }
    return out;
  }

  private openTool(tool: ToolState): string {
    const { out: start, index } = this.startBlock({
      type: 'tool_use',
      id: clientToolId(tool.id, tool.thoughtSignature),
      name: tool.name,
      input: {},
    });
    tool.state = 'open';
    this.sawToolUse = true;
    this.open = { kind: 'tool', index, tool };
    let out = start;
    for (const fragment of tool.buffered) out += this.jsonDelta(index, fragment);
    tool.buffered = [];
    return out;
  }

  private jsonDelta(index: number, partial: string): string {
    return frame('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: partial } });
  }

  private toolStart(toolIndex: number, id: string, name: string, thoughtSignature: string | undefined): string {
    let out = this.ensureStarted();
    const tool: ToolState = { id, name, state: 'queued', buffered: [], ended: false };
    if (thoughtSignature !== undefined) tool.thoughtSignature = thoughtSignature;
    this.tools.set(toolIndex, tool);
    if (this.open?.kind === 'tool' || this.queue.length > 0) {
      // another call is still streaming: this one waits for its turn
      this.queue.push(tool);
      return out;
    }
    out += this.closeOpen();
    return out + this.openTool(tool);
  }

  private toolDelta(toolIndex: number, partial: string): string {
    const tool = this.tools.get(toolIndex);
    if (!tool || !partial) return '';
    if (tool.state === 'queued') {
      tool.buffered.push(partial);
      return '';
    }
    if (tool.state === 'open' && this.open?.kind === 'tool' && this.open.tool === tool) {
      return this.jsonDelta(this.open.index, partial);
    }
    return '';
  }

  private toolEnd(toolIndex: number): string {
    const tool = this.tools.get(toolIndex);
    if (!tool) return '';
    tool.ended = true;
    if (tool.state !== 'open') return '';
    let out = this.closeOpen();
    // the next queued calls take their turn; those already complete are sent whole
    while (this.queue.length > 0) {
      const next = this.queue.shift();
      if (!next) break;
      out += this.openTool(next);
      if (!next.ended) break;
      out += this.closeOpen();
    }
    return out;
  }

  private close(): string {
    let out = this.ensureStarted();
    out += this.settle();
    const finish = this.finish ?? { reason: 'stop' as const };
    const u = usageToAnthropic(this.usage);
    out += frame('message_delta', {
      delta: {
        stop_reason: stopReasonFromFinish(finish.reason, this.sawToolUse),
        stop_sequence: finish.stopSequence ?? null,
      },
      usage: u,
    });
    out += frame('message_stop', {});
    this.done = true;
    return out;
  }

  private error(err: CanonicalError): string {
    this.done = true;
    return sseFrame(JSON.stringify(encodeAnthropicError(err)), 'error');
  }
}

export function createAnthropicStreamEncoder(ctx: StreamEncodeContext): StreamEncoder {
  return new AnthropicStreamEncoder(ctx);
}
