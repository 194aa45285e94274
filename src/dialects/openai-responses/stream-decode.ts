/**
 * OpenAI Responses SSE events (from an upstream) -> canonical stream events.
 *
 * - response.created -> start; output_text / refusal deltas -> text_delta;
 *   reasoning_summary_text / reasoning_text deltas -> reasoning_delta (origin openai, item id;
 *   summary parts of one item are separated by a blank line, as in the non-stream decoder).
 * - function_call items -> tool_call_start (id = call_id) / tool_call_delta / tool_call_end.
 *   Arguments that arrive only whole (in `.done` or the finished item) are emitted once.
 * - A finished reasoning item carries `encrypted_content`: it is emitted as a reasoning_delta
 *   with empty text, `encryptedContent` and `itemId`, closing the item's state.
 * - response.completed / response.incomplete -> usage, finish. response.failed and the `error`
 *   event -> error. A stream that ends without any of them ends with an error too: a truncated
 *   upstream stream must not look like a clean finish.
 * The event type is read from the JSON `type` (the `event:` line is only a fallback).
 */
import type { StreamEvent } from '../../canonical/types.js';
import type { SseEvent } from '../sse.js';
import type { StreamDecoder } from '../types.js';
import { decodeInBandError } from './errors.js';
import { finishFromStatus } from './finish.js';
import { arr, isRecord, num, parseJsonObject, rec, str, type JsonObject } from './guards.js';
import { decodeUsage } from './usage.js';

interface ToolState {
  index: number;
  argsEmitted: boolean;
  ended: boolean;
}

function summaryText(item: JsonObject): string {
  const parts: string[] = [];
  for (const p of arr(item, 'summary')) if (isRecord(p) && typeof p.text === 'string') parts.push(p.text);
  return parts.join('\n\n');
}

function messageText(item: JsonObject): string {
  let text = '';
  for (const p of arr(item, 'content')) {
    if (isRecord(p) && p.type === 'output_text' && typeof p.text === 'string') text += p.text;
  }
  return text;
}

export class ResponsesStreamDecoder implements StreamDecoder {
  private started = false;
  private finished = false;
  private toolCount = 0;
  private readonly tools = new Map<string, ToolState>();
  private readonly toolOrder: ToolState[] = [];
  /** item ids that already produced text, so a finished item does not repeat it */
  private readonly textSeen = new Set<string>();
  private readonly lastSummaryIndex = new Map<string, number>();
  private hasToolCalls = false;
  private hasRefusal = false;

  push(event: SseEvent): StreamEvent[] {
    if (this.finished) return [];
    const payload = parseJsonObject(event.data);
    if (payload === undefined) return []; // `[DONE]`, keep-alives, noise
    const type = str(payload, 'type') ?? event.event ?? '';
    const out: StreamEvent[] = [];
    if (type === 'response.created' || type === 'response.in_progress' || type === 'response.queued') {
      this.begin(out, rec(payload, 'response'));
      return out;
    }
    if (type === 'error') {
      this.fail(out, decodeInBandError(payload, 'The upstream stream reported an error'));
      return out;
    }
    this.begin(out, undefined);
    switch (type) {
      case 'response.output_item.added':
        this.itemAdded(out, payload);
        break;
      case 'response.output_item.done':
        this.itemDone(out, payload);
        break;
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        if (type === 'response.refusal.delta') this.hasRefusal = true;
        this.text(out, payload);
        break;
      case 'response.function_call_arguments.delta':
        this.argsDelta(out, payload, str(payload, 'delta') ?? '');
        break;
      case 'response.function_call_arguments.done': {
        const tool = this.toolFor(payload);
        if (tool && !tool.argsEmitted) this.argsDelta(out, payload, str(payload, 'arguments') ?? '');
        break;
      }
      case 'response.reasoning_summary_text.delta':
        this.summaryDelta(out, payload);
        break;
      case 'response.reasoning_text.delta':
        this.reasoningDelta(out, str(payload, 'item_id'), str(payload, 'delta') ?? '', false);
        break;
      case 'response.completed':
      case 'response.incomplete':
        this.complete(out, rec(payload, 'response') ?? {}, type === 'response.incomplete');
        break;
      case 'response.failed': {
        const response = rec(payload, 'response');
        this.fail(out, decodeInBandError(response?.error, 'The upstream response failed'));
        break;
      }
      default:
        break; // part bookkeeping, built-in tool progress, keepalive: nothing canonical
    }
    return out;
  }

  end(): StreamEvent[] {
    if (this.finished) return [];
    const out: StreamEvent[] = [];
    this.fail(out, {
      status: 502,
      type: 'upstream',
      message: 'The upstream stream ended before response.completed',
    });
    return out;
  }

  private begin(out: StreamEvent[], response: JsonObject | undefined): void {
    if (this.started) return;
    this.started = true;
    out.push({
      type: 'start',
      id: (response && str(response, 'id')) ?? '',
      model: (response && str(response, 'model')) ?? '',
      created: (response && num(response, 'created_at')) ?? Math.floor(Date.now() / 1000),
    });
  }

  private fail(out: StreamEvent[], error: Extract<StreamEvent, { type: 'error' }>['error']): void {
    this.finished = true;
    out.push({ type: 'error', error });
  }

  private key(payload: JsonObject): string | undefined {
    const id = str(payload, 'item_id');
    if (id !== undefined) return id;
    const index = num(payload, 'output_index');
    return index !== undefined ? `#${index}` : undefined;
  }

  private toolFor(payload: JsonObject): ToolState | undefined {
    const k = this.key(payload);
    return k === undefined ? undefined : this.tools.get(k);
  }

  private startTool(out: StreamEvent[], item: JsonObject, outputIndex: number | undefined): ToolState {
    const tool: ToolState = { index: this.toolCount++, argsEmitted: false, ended: false };
    const id = str(item, 'id');
    if (id !== undefined) this.tools.set(id, tool);
    if (outputIndex !== undefined) this.tools.set(`#${outputIndex}`, tool);
    this.toolOrder.push(tool);
    this.hasToolCalls = true;
    out.push({
      type: 'tool_call_start',
      index: tool.index,
      id: str(item, 'call_id') ?? id ?? '',
      name: str(item, 'name') ?? '',
    });
    return tool;
  }

  private itemAdded(out: StreamEvent[], payload: JsonObject): void {
    const item = rec(payload, 'item');
    if (item?.type !== 'function_call') return;
    const tool = this.startTool(out, item, num(payload, 'output_index'));
    const args = str(item, 'arguments') ?? '';
    if (args !== '') {
      tool.argsEmitted = true;
      out.push({ type: 'tool_call_delta', index: tool.index, arguments: args });
    }
  }

  private itemDone(out: StreamEvent[], payload: JsonObject): void {
    const item = rec(payload, 'item');
    if (item === undefined) return;
    const id = str(item, 'id');
    if (item.type === 'function_call') {
      const outputIndex = num(payload, 'output_index');
      const tool =
        (id !== undefined ? this.tools.get(id) : undefined) ??
        (outputIndex !== undefined ? this.tools.get(`#${outputIndex}`) : undefined) ??
        this.startTool(out, item, outputIndex);
      const args = str(item, 'arguments') ?? '';
      if (!tool.argsEmitted && args !== '') {
        tool.argsEmitted = true;
        out.push({ type: 'tool_call_delta', index: tool.index, arguments: args });
      }
      this.endTool(out, tool);
    } else if (item.type === 'reasoning') {
      if (id === undefined || !this.textSeen.has(id)) {
        const text = summaryText(item);
        if (text !== '') this.reasoningDelta(out, id, text, true);
      }
      const encrypted = str(item, 'encrypted_content');
      if (encrypted !== undefined) {
        const ev: StreamEvent = { type: 'reasoning_delta', text: '', origin: 'openai', encryptedContent: encrypted, summary: true };
        if (id !== undefined) ev.itemId = id;
        out.push(ev);
      }
    } else if (item.type === 'message' && (id === undefined || !this.textSeen.has(id))) {
      const text = messageText(item);
      if (text !== '') out.push({ type: 'text_delta', text });
    }
  }

  private endTool(out: StreamEvent[], tool: ToolState): void {
    if (tool.ended) return;
    tool.ended = true;
    out.push({ type: 'tool_call_end', index: tool.index });
  }

  private text(out: StreamEvent[], payload: JsonObject): void {
    const delta = str(payload, 'delta') ?? '';
    const id = str(payload, 'item_id');
    if (id !== undefined) this.textSeen.add(id);
    if (delta !== '') out.push({ type: 'text_delta', text: delta });
  }

  private argsDelta(out: StreamEvent[], payload: JsonObject, args: string): void {
    const tool = this.toolFor(payload);
    if (tool === undefined || tool.ended || args === '') return;
    tool.argsEmitted = true;
    out.push({ type: 'tool_call_delta', index: tool.index, arguments: args });
  }

  private summaryDelta(out: StreamEvent[], payload: JsonObject): void {
    const id = str(payload, 'item_id');
    const index = num(payload, 'summary_index') ?? 0;
    let text = str(payload, 'delta') ?? '';
    if (id !== undefined) {
      const last = this.lastSummaryIndex.get(id);
      if (last !== undefined && index > last) text = `\n\n${text}`;
      this.lastSummaryIndex.set(id, index);
    }
    this.reasoningDelta(out, id, text, true);
  }

  private reasoningDelta(out: StreamEvent[], itemId: string | undefined, text: string, summary: boolean): void {
    if (text === '') return;
    if (itemId !== undefined) this.textSeen.add(itemId);
    const ev: StreamEvent = { type: 'reasoning_delta', text, origin: 'openai', summary };
    if (itemId !== undefined) ev.itemId = itemId;
    out.push(ev);
  }

  private complete(out: StreamEvent[], response: JsonObject, incomplete: boolean): void {
    for (const tool of this.toolOrder) this.endTool(out, tool);
    const usage = decodeUsage(response.usage);
    if (usage !== undefined) out.push({ type: 'usage', usage });
    const outputHasCalls = arr(response, 'output').some((i) => isRecord(i) && i.type === 'function_call');
    const status = incomplete ? 'incomplete' : (str(response, 'status') ?? 'completed');
    const reason = finishFromStatus(status, rec(response, 'incomplete_details')?.reason, {
      hasToolCalls: this.hasToolCalls || outputHasCalls,
      hasRefusal: this.hasRefusal,
    });
    out.push({ type: 'finish', reason });
    this.finished = true;
  }
}

export function createStreamDecoder(): StreamDecoder {
  return new ResponsesStreamDecoder();
}
