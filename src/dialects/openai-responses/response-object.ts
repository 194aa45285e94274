/**
 * The Responses `Response` object and its output items, shared by the non-stream encoder and the
 * stream encoder (whose lifecycle events carry the same object).
 *
 * Request parameters are echoed the way OpenAI echoes them (instructions, tools, tool_choice,
 * temperature, top_p, parallel_tool_calls, text, reasoning, max_output_tokens, metadata, …).
 * `output_text` is not a wire field (the SDKs compute it), so it is never sent.
 */
import { packReasoning } from '../../canonical/opaque.js';
import type { CanonicalRequest, OpaqueOrigin, Usage } from '../../canonical/types.js';
import type { ResponseEncodeContext } from '../types.js';
import type { ResponseStatus } from './finish.js';
import { isRecord, type JsonObject } from './guards.js';
import { newReasoningId } from './ids.js';
import { encodeFormat } from './request-encode.js';
import { echoTools, encodeToolChoice } from './tools.js';
import { encodeUsage } from './usage.js';

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export function outputTextPart(text: string): JsonObject {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

export function messageItem(id: string, status: ItemStatus, content: JsonObject[]): JsonObject {
  return { id, type: 'message', status, role: 'assistant', content };
}

export function functionCallItem(
  id: string,
  status: ItemStatus,
  callId: string,
  name: string,
  args: string,
): JsonObject {
  return { id, type: 'function_call', status, arguments: args, call_id: callId, name };
}

/** Reasoning state as it reaches a Responses client. */
export interface ReasoningState {
  text: string;
  origin?: OpaqueOrigin;
  signature?: string;
  redactedData?: string;
  itemId?: string;
  encryptedContent?: string;
}

/** The item id a reasoning item gets: OpenAI's own `rs_…` when it came from OpenAI, else a marked one. */
export function reasoningItemId(r: ReasoningState): string {
  return r.origin === 'openai' && r.itemId?.startsWith('rs_') ? r.itemId : newReasoningId();
}

/**
 * What goes into `encrypted_content`: OpenAI's own value for OpenAI reasoning, and for another
 * vendor's signed reasoning a packed copy of its signature (and text), so that a client replaying
 * the item (Codex does, with store:false) hands the signature back to us.
 */
export function clientEncryptedContent(r: ReasoningState): string | undefined {
  if (r.origin === 'openai') return r.encryptedContent;
  if (r.origin !== undefined && (r.signature !== undefined || r.redactedData !== undefined)) {
    const packed: Parameters<typeof packReasoning>[0] = { origin: r.origin, text: r.text };
    if (r.signature !== undefined) packed.signature = r.signature;
    if (r.redactedData !== undefined) packed.redactedData = r.redactedData;
    return packReasoning(packed);
  }
  return undefined;
}

export function reasoningItem(id: string, r: ReasoningState): JsonObject {
  const item: JsonObject = {
    id,
    type: 'reasoning',
    summary: r.text !== '' ? [{ type: 'summary_text', text: r.text }] : [],
  };
  const encrypted = clientEncryptedContent(r);
  if (encrypted !== undefined) item.encrypted_content = encrypted;
  return item;
}

/** The text of leading system/developer messages, which is what `instructions` decoded to. */
function echoInstructions(req: CanonicalRequest): string | null {
  const texts: string[] = [];
  for (const m of req.messages) {
    if (m.role !== 'system' && m.role !== 'developer') break;
    for (const b of m.content) if (b.type === 'text') texts.push(b.text);
  }
  return texts.length > 0 ? texts.join('\n\n') : null;
}

export interface ResponseParts {
  id: string;
  createdAt: number;
  status: ResponseStatus | 'in_progress';
  output: JsonObject[];
  usage?: Partial<Usage>;
  incompleteReason?: string;
  error?: { code: string; message: string };
}

export function buildResponse(ctx: ResponseEncodeContext, p: ResponseParts): JsonObject {
  const req = ctx.request;
  const unknown = req.unknownFields ?? {};
  const textExtras = isRecord(unknown.text) ? unknown.text : {};
  const obj: JsonObject = {
    id: p.id,
    object: 'response',
    created_at: p.createdAt,
    status: p.status,
    error: p.error ?? null,
    incomplete_details: p.incompleteReason !== undefined ? { reason: p.incompleteReason } : null,
    instructions: echoInstructions(req),
    max_output_tokens: req.maxTokens ?? null,
    model: ctx.model,
    output: p.output,
    parallel_tool_calls: req.parallelToolCalls ?? true,
    previous_response_id: typeof unknown.previous_response_id === 'string' ? unknown.previous_response_id : null,
    reasoning: { effort: req.reasoning?.effort ?? null, summary: req.reasoning?.summary ?? null },
    temperature: req.temperature ?? null,
    text: { ...textExtras, format: encodeFormat(req.responseFormat ?? { type: 'text' }) },
    tool_choice:
      req.toolChoice !== undefined ? encodeToolChoice(req.toolChoice) : (unknown.tool_choice ?? 'auto'),
    tools: echoTools(req),
    top_p: req.topP ?? null,
    truncation: typeof unknown.truncation === 'string' ? unknown.truncation : 'disabled',
    usage: p.usage !== undefined ? encodeUsage(p.usage) : null,
    metadata: req.metadata ?? {},
  };
  if (p.status === 'completed') obj.completed_at = Math.floor(Date.now() / 1000);
  if (typeof unknown.store === 'boolean') obj.store = unknown.store;
  if (req.user !== undefined) obj.user = req.user;
  if (req.promptCacheKey !== undefined) obj.prompt_cache_key = req.promptCacheKey;
  return obj;
}
