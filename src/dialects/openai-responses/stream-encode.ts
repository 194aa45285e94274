/**
 * Canonical stream events -> the Responses SSE lifecycle a Responses client (Codex,
 * `openai.responses.stream()`) expects. Every frame is `event: <type>\ndata: <json>\n\n` and every
 * payload has a `sequence_number` counting from 0.
 *
 *   response.created (always first), response.in_progress,
 *   per output item: response.output_item.added,
 *     message:   content_part.added, output_text.delta…, output_text.done, content_part.done
 *     function:  function_call_arguments.delta…, function_call_arguments.done
 *     reasoning: reasoning_summary_part.added, reasoning_summary_text.delta…,
 *                reasoning_summary_text.done, reasoning_summary_part.done
 *   response.output_item.done (with the complete item: Codex builds its history from these),
 *   then response.completed | response.incomplete | response.failed with the full Response.
 *
 * Ids (resp_, msg_, fc_, rs_) are minted once per item and reused in every event of it. Tool calls
 * are keyed by their canonical index, so interleaved (parallel) calls keep separate items.
 * The terminal event is written by end(), so usage arriving after finish is still reported.
 * Errors: `response.failed` (response.error {code, message}; Codex reads this) followed by an
 * `error` event whose nested `error` object makes openai-node raise an APIError. When the error is
 * the first event, response.created still goes first, so both kinds of client see the failure.
 * OpenAI ends a Responses stream after the terminal event, without `data: [DONE]`; so do we.
 */
import { embedSignatureInId } from '../../canonical/opaque.js';
import type { CanonicalError, FinishReason, StreamEvent, Usage } from '../../canonical/types.js';
import { sseFrame } from '../sse.js';
import type { StreamEncodeContext, StreamEncoder } from '../types.js';
import { errorEventPayload, failedResponseCode } from './errors.js';
import { statusFromFinish } from './finish.js';
import type { JsonObject } from './guards.js';
import { idWithPrefix, newId } from './ids.js';
import {
  buildResponse,
  functionCallItem,
  messageItem,
  outputTextPart,
  reasoningItem,
  reasoningItemId,
  type ItemStatus,
  type ReasoningState,
  type ResponseParts,
} from './response-object.js';

interface MessageState {
  kind: 'message';
  outputIndex: number;
  id: string;
  text: string;
}

interface ReasoningItemState extends ReasoningState {
  kind: 'reasoning';
  outputIndex: number;
  id: string;
  partOpen: boolean;
}

interface ToolState {
  kind: 'function_call';
  outputIndex: number;
  id: string;
  callId: string;
  name: string;
  args: string;
}

type OpenItem = MessageState | ReasoningItemState | ToolState;

function itemJson(item: OpenItem, status: ItemStatus): JsonObject {
  switch (item.kind) {
    case 'message':
      return messageItem(item.id, status, item.text === '' && status !== 'completed' ? [] : [outputTextPart(item.text)]);
    case 'reasoning':
      return reasoningItem(item.id, item);
    case 'function_call':
      return functionCallItem(item.id, status, item.callId, item.name, item.args);
  }
}

/**
 * Consecutive reasoning deltas form one block unless they say otherwise: a delta naming another
 * upstream item, or new content after the current block was sealed by its signature, redacted
 * data or encrypted content (each vendor sends those last), starts a new reasoning item.
 */
function startsNewItem(r: ReasoningItemState, ev: Extract<StreamEvent, { type: 'reasoning_delta' }>): boolean {
  if (ev.itemId !== undefined && r.itemId !== undefined && ev.itemId !== r.itemId) return true;
  const sealed = r.signature !== undefined || r.redactedData !== undefined || r.encryptedContent !== undefined;
  return sealed && (ev.text !== '' || ev.redactedData !== undefined || ev.signature !== undefined);
}

export class ResponsesStreamEncoder implements StreamEncoder {
  private seq = 0;
  private started = false;
  private closed = false;
  private id = newId('resp');
  private createdAt = Math.floor(Date.now() / 1000);
  /** Output items in order (an open item's slot is rebuilt from its state when needed). */
  private readonly output: JsonObject[] = [];
  private readonly open = new Map<number, OpenItem>();
  private message: MessageState | undefined;
  private reasoning: ReasoningItemState | undefined;
  private readonly tools = new Map<number, ToolState>();
  private usage: Partial<Usage> = {};
  private finish: FinishReason | undefined;

  constructor(private readonly ctx: StreamEncodeContext) {}

  write(event: StreamEvent): string {
    if (this.closed) return '';
    let out = '';
    if (!this.started) out += this.begin(event.type === 'start' ? event : undefined);
    switch (event.type) {
      case 'start':
        if (event.usage) this.usage = { ...this.usage, ...event.usage };
        break;
      case 'text_delta':
        if (event.text === '') break;
        out += this.closeReasoning() + this.openMessage();
        out += this.textDelta(event.text);
        break;
      case 'reasoning_delta':
        out += this.reasoningDelta(event);
        break;
      case 'tool_call_start':
        out += this.closeMessage() + this.closeReasoning() + this.openTool(event);
        break;
      case 'tool_call_delta':
        out += this.argsDelta(event.index, event.arguments);
        break;
      case 'tool_call_end':
        out += this.closeTool(event.index);
        break;
      case 'usage':
        this.usage = { ...this.usage, ...event.usage };
        break;
      case 'finish':
        out += this.closeAll();
        this.finish = event.reason;
        break;
      case 'error':
        out += this.failed(event.error);
        break;
    }
    return out;
  }

  end(): string {
    if (this.closed) return '';
    let out = this.started ? '' : this.begin(undefined);
    if (this.finish === undefined) {
      return out + this.failed({ status: 502, type: 'upstream', message: 'The upstream stream ended before the response was complete' });
    }
    out += this.closeAll();
    const wire = statusFromFinish(this.finish);
    if (wire.status === 'failed') {
      return out + this.failed({ status: 502, type: 'upstream', message: 'The model stopped with an error before completing the response' });
    }
    const parts = this.parts(wire.status);
    if (wire.incompleteReason !== undefined) parts.incompleteReason = wire.incompleteReason;
    out += this.frame(`response.${wire.status}`, { response: buildResponse(this.ctx, parts) });
    this.closed = true;
    return out;
  }

  // -- framing -----------------------------------------------------------------------------

  private frame(type: string, payload: JsonObject): string {
    return sseFrame(JSON.stringify({ type, ...payload, sequence_number: this.seq++ }), type);
  }

  private parts(status: ResponseParts['status'], openStatus: ItemStatus = 'incomplete'): ResponseParts {
    const output = this.output.map((o, i) => {
      const item = this.open.get(i);
      return item === undefined ? o : itemJson(item, openStatus);
    });
    const parts: ResponseParts = { id: this.id, createdAt: this.createdAt, status, output };
    if (status !== 'in_progress') parts.usage = this.usage;
    return parts;
  }

  private begin(start: Extract<StreamEvent, { type: 'start' }> | undefined): string {
    this.started = true;
    if (start !== undefined) {
      this.id = idWithPrefix('resp', start.id);
      if (start.created > 0) this.createdAt = start.created;
    }
    const response = buildResponse(this.ctx, this.parts('in_progress'));
    return this.frame('response.created', { response }) + this.frame('response.in_progress', { response });
  }

  private failed(error: CanonicalError): string {
    let out = this.started ? '' : this.begin(undefined);
    const parts = this.parts('failed');
    parts.error = { code: failedResponseCode(error), message: error.message };
    out += this.frame('response.failed', { response: buildResponse(this.ctx, parts) });
    const { type: _type, ...payload } = errorEventPayload(error);
    out += this.frame('error', payload);
    this.closed = true;
    return out;
  }

  private addItem(item: OpenItem): string {
    const json = itemJson(item, 'in_progress');
    this.output.push(json);
    this.open.set(item.outputIndex, item);
    return this.frame('response.output_item.added', { output_index: item.outputIndex, item: json });
  }

  private doneItem(item: OpenItem): string {
    const json = itemJson(item, 'completed');
    this.output[item.outputIndex] = json;
    this.open.delete(item.outputIndex);
    return this.frame('response.output_item.done', { output_index: item.outputIndex, item: json });
  }

  // -- message -------------------------------------------------------------------------------

  private openMessage(): string {
    if (this.message !== undefined) return '';
    const m: MessageState = { kind: 'message', outputIndex: this.output.length, id: newId('msg'), text: '' };
    this.message = m;
    return (
      this.addItem(m) +
      this.frame('response.content_part.added', {
        item_id: m.id,
        output_index: m.outputIndex,
        content_index: 0,
        part: outputTextPart(''),
      })
    );
  }

  private textDelta(text: string): string {
    const m = this.message;
    if (m === undefined) return '';
    m.text += text;
    return this.frame('response.output_text.delta', {
      item_id: m.id,
      output_index: m.outputIndex,
      content_index: 0,
      delta: text,
      logprobs: [],
    });
  }

  private closeMessage(): string {
    const m = this.message;
    if (m === undefined) return '';
    this.message = undefined;
    const at = { item_id: m.id, output_index: m.outputIndex, content_index: 0 };
    return (
      this.frame('response.output_text.done', { ...at, text: m.text, logprobs: [] }) +
      this.frame('response.content_part.done', { ...at, part: outputTextPart(m.text) }) +
      this.doneItem(m)
    );
  }

  // -- reasoning -----------------------------------------------------------------------------

  private reasoningDelta(ev: Extract<StreamEvent, { type: 'reasoning_delta' }>): string {
    let out = this.closeMessage();
    const r0 = this.reasoning;
    if (r0 !== undefined && startsNewItem(r0, ev)) out += this.closeReasoning();
    let r = this.reasoning;
    if (r === undefined) {
      const state: ReasoningState = { text: '' };
      if (ev.origin !== undefined) state.origin = ev.origin;
      if (ev.itemId !== undefined) state.itemId = ev.itemId;
      r = { ...state, kind: 'reasoning', outputIndex: this.output.length, id: reasoningItemId(state), partOpen: false };
      this.reasoning = r;
      out += this.addItem(r);
    }
    if (ev.origin !== undefined && r.origin === undefined) r.origin = ev.origin;
    if (ev.itemId !== undefined) r.itemId = ev.itemId;
    if (ev.signature !== undefined) r.signature = ev.signature;
    if (ev.redactedData !== undefined) r.redactedData = ev.redactedData;
    if (ev.encryptedContent !== undefined) r.encryptedContent = ev.encryptedContent;
    if (ev.text === '') return out;
    const at = { item_id: r.id, output_index: r.outputIndex, summary_index: 0 };
    if (!r.partOpen) {
      r.partOpen = true;
      out += this.frame('response.reasoning_summary_part.added', { ...at, part: { type: 'summary_text', text: '' } });
    }
    r.text += ev.text;
    return out + this.frame('response.reasoning_summary_text.delta', { ...at, delta: ev.text });
  }

  private closeReasoning(): string {
    const r = this.reasoning;
    if (r === undefined) return '';
    this.reasoning = undefined;
    let out = '';
    if (r.partOpen) {
      const at = { item_id: r.id, output_index: r.outputIndex, summary_index: 0 };
      out += this.frame('response.reasoning_summary_text.done', { ...at, text: r.text });
      out += this.frame('response.reasoning_summary_part.done', { ...at, part: { type: 'summary_text', text: r.text } });
    }
    return out + this.doneItem(r);
  }

  // -- function calls ------------------------------------------------------------------------

  private openTool(ev: Extract<StreamEvent, { type: 'tool_call_start' }>): string {
    let out = '';
    if (this.tools.has(ev.index)) out += this.closeTool(ev.index); // a reused index is a new call
    const t: ToolState = {
      kind: 'function_call',
      outputIndex: this.output.length,
      id: newId('fc'),
      callId: embedSignatureInId(ev.id, ev.thoughtSignature),
      name: ev.name,
      args: '',
    };
    this.tools.set(ev.index, t);
    return out + this.addItem(t);
  }

  private argsDelta(index: number, args: string): string {
    const t = this.tools.get(index);
    if (t === undefined || args === '') return '';
    t.args += args;
    return this.frame('response.function_call_arguments.delta', {
      item_id: t.id,
      output_index: t.outputIndex,
      delta: args,
    });
  }

  private closeTool(index: number): string {
    const t = this.tools.get(index);
    if (t === undefined) return '';
    this.tools.delete(index);
    return (
      this.frame('response.function_call_arguments.done', {
        item_id: t.id,
        output_index: t.outputIndex,
        name: t.name,
        arguments: t.args,
      }) + this.doneItem(t)
    );
  }

  private closeAll(): string {
    let out = this.closeMessage() + this.closeReasoning();
    for (const index of [...this.tools.keys()]) out += this.closeTool(index);
    return out;
  }
}

export function createStreamEncoder(ctx: StreamEncodeContext): StreamEncoder {
  return new ResponsesStreamEncoder(ctx);
}
