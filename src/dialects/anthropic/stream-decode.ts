/**
 * Anthropic SSE events (from an Anthropic upstream) -> canonical stream events.
 *
 *   message_start        -> start (id, model, input + cache usage)
 *   content_block_start  -> text: text_delta if it has text; thinking: reasoning_delta;
 *                           redacted_thinking: reasoning_delta with redactedData;
 *                           tool_use: tool_call_start (tool index counts tool blocks only)
 *   content_block_delta  -> text_delta | reasoning_delta (thinking_delta, signature_delta) |
 *                           tool_call_delta (input_json_delta); citations_delta ignored
 *   content_block_stop   -> tool_call_end for tool blocks
 *   message_delta        -> tool_call_end for tool blocks still open (max_tokens inside the
 *                           tool JSON), usage (cumulative), finish
 *   ping                 -> nothing; message_stop -> nothing (finish 'stop' if none came yet)
 *   error                -> error (e.g. overloaded_error inside a 200 stream; status 529)
 *
 * Server tool blocks (server_tool_use, web_search_tool_result, …) have no stream event in the
 * canonical vocabulary and are skipped. Arguments are passed on as text and never parsed here,
 * so a stream cut inside the tool JSON cannot crash the decoder.
 * A stream that ends before message_delta ends with an error event (the upstream cut it).
 */
import type { StreamEvent } from '../../canonical/types.js';
import type { SseEvent } from '../sse.js';
import type { StreamDecoder } from '../types.js';
import { decodeAnthropicStreamError } from './errors.js';
import { finishFromStopReason } from './finish.js';
import { usageFromAnthropic } from './usage.js';
import { isObject, type JsonObject } from './wire.js';

type BlockKind = 'text' | 'thinking' | 'tool' | 'other';

interface BlockState {
  kind: BlockKind;
  toolIndex: number;
  open: boolean;
}

export class AnthropicStreamDecoder implements StreamDecoder {
  private readonly blocks = new Map<number, BlockState>();
  private toolCount = 0;
  private finished = false;
  private failed = false;

  push(sse: SseEvent): StreamEvent[] {
    if (this.failed) return [];
    if (sse.data.length === 0) return [];
    let data: unknown;
    try {
      data = JSON.parse(sse.data);
    } catch {
      return this.fail('The Anthropic upstream sent an event that is not JSON');
    }
    if (!isObject(data)) return [];
    const type = typeof data.type === 'string' ? data.type : sse.event;
    switch (type) {
      case 'message_start':
        return this.messageStart(data);
      case 'content_block_start':
        return this.blockStart(data);
      case 'content_block_delta':
        return this.blockDelta(data);
      case 'content_block_stop':
        return this.blockStop(data);
      case 'message_delta':
        return this.messageDelta(data);
      case 'message_stop':
        if (this.finished) return [];
        // a message_delta without stop_reason is unusual, but the message did end
        this.finished = true;
        return [{ type: 'finish', reason: 'stop' }];
      case 'error':
        this.failed = true;
        return [{ type: 'error', error: decodeAnthropicStreamError(data) }];
      default:
        // ping and event types added later
        return [];
    }
  }

  end(): StreamEvent[] {
    if (this.finished || this.failed) return [];
    return this.fail('The Anthropic upstream stream ended before the message was complete');
  }

  private fail(message: string): StreamEvent[] {
    this.failed = true;
    return [{ type: 'error', error: { status: 502, type: 'upstream', message } }];
  }

  private messageStart(data: JsonObject): StreamEvent[] {
    const msg = isObject(data.message) ? data.message : {};
    const usage = usageFromAnthropic(msg.usage);
    // message_start carries a placeholder output count; the real one comes with message_delta
    delete usage.output;
    delete usage.reasoning;
    const ev: StreamEvent = {
      type: 'start',
      id: typeof msg.id === 'string' ? msg.id : '',
      model: typeof msg.model === 'string' ? msg.model : '',
      created: Math.floor(Date.now() / 1000),
    };
    if (Object.keys(usage).length > 0) ev.usage = usage;
    return [ev];
  }

  private blockStart(data: JsonObject): StreamEvent[] {
    const index = typeof data.index === 'number' ? data.index : this.blocks.size;
    const block = isObject(data.content_block) ? data.content_block : {};
    switch (block.type) {
      case 'text': {
        this.blocks.set(index, { kind: 'text', toolIndex: -1, open: true });
        const text = typeof block.text === 'string' ? block.text : '';
        return text ? [{ type: 'text_delta', text }] : [];
      }
      case 'thinking': {
        this.blocks.set(index, { kind: 'thinking', toolIndex: -1, open: true });
        const text = typeof block.thinking === 'string' ? block.thinking : '';
        const ev: StreamEvent = { type: 'reasoning_delta', text, origin: 'anthropic' };
        if (typeof block.signature === 'string' && block.signature) ev.signature = block.signature;
        return text || ev.signature ? [ev] : [];
      }
      case 'redacted_thinking': {
        this.blocks.set(index, { kind: 'other', toolIndex: -1, open: true });
        const redacted = typeof block.data === 'string' ? block.data : '';
        return [{ type: 'reasoning_delta', text: '', origin: 'anthropic', redactedData: redacted }];
      }
      case 'tool_use': {
        const toolIndex = this.toolCount++;
        this.blocks.set(index, { kind: 'tool', toolIndex, open: true });
        const out: StreamEvent[] = [
          {
            type: 'tool_call_start',
            index: toolIndex,
            id: typeof block.id === 'string' ? block.id : '',
            name: typeof block.name === 'string' ? block.name : '',
          },
        ];
        // a start block normally has input {}; a non-empty one is the complete input
        if (isObject(block.input) && Object.keys(block.input).length > 0) {
          out.push({ type: 'tool_call_delta', index: toolIndex, arguments: JSON.stringify(block.input) });
        }
        return out;
      }
      default:
        this.blocks.set(index, { kind: 'other', toolIndex: -1, open: true });
        return [];
    }
  }

  private blockDelta(data: JsonObject): StreamEvent[] {
    const state = typeof data.index === 'number' ? this.blocks.get(data.index) : undefined;
    const delta = isObject(data.delta) ? data.delta : {};
    switch (delta.type) {
      case 'text_delta':
        return typeof delta.text === 'string' && delta.text ? [{ type: 'text_delta', text: delta.text }] : [];
      case 'thinking_delta':
        return typeof delta.thinking === 'string' && delta.thinking
          ? [{ type: 'reasoning_delta', text: delta.thinking, origin: 'anthropic' }]
          : [];
      case 'signature_delta':
        return typeof delta.signature === 'string' && delta.signature
          ? [{ type: 'reasoning_delta', text: '', origin: 'anthropic', signature: delta.signature }]
          : [];
      case 'input_json_delta':
        if (!state || state.kind !== 'tool' || typeof delta.partial_json !== 'string' || !delta.partial_json) return [];
        return [{ type: 'tool_call_delta', index: state.toolIndex, arguments: delta.partial_json }];
      default:
        return [];
    }
  }

  private blockStop(data: JsonObject): StreamEvent[] {
    const state = typeof data.index === 'number' ? this.blocks.get(data.index) : undefined;
    if (!state || !state.open) return [];
    state.open = false;
    return state.kind === 'tool' ? [{ type: 'tool_call_end', index: state.toolIndex }] : [];
  }

  private messageDelta(data: JsonObject): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const state of this.blocks.values()) {
      if (state.open && state.kind === 'tool') out.push({ type: 'tool_call_end', index: state.toolIndex });
      state.open = false;
    }
    const usage = usageFromAnthropic(data.usage);
    if (Object.keys(usage).length > 0) out.push({ type: 'usage', usage });
    const delta = isObject(data.delta) ? data.delta : {};
    if (delta.stop_reason !== undefined && delta.stop_reason !== null) {
      const finish: StreamEvent = { type: 'finish', reason: finishFromStopReason(delta.stop_reason) };
      if (typeof delta.stop_sequence === 'string') finish.stopSequence = delta.stop_sequence;
      out.push(finish);
      this.finished = true;
    }
    return out;
  }
}

export function createAnthropicStreamDecoder(): StreamDecoder {
  return new AnthropicStreamDecoder();
}
