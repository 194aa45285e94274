/**
 * Responses `input` (a string or a list of items) -> canonical messages.
 *
 * - Assistant-side items of one turn (reasoning, assistant messages, function_call, built-in
 *   tool calls) are merged, in order, into one assistant message.
 * - Consecutive `function_call_output` items become one `tool` message.
 * - `call_id`s may carry a Gemini thought signature that we embedded when showing the call to the
 *   client (`embedSignatureInId`); it is split off here so the canonical id is the provider's.
 * - Reasoning items whose `encrypted_content` we packed ourselves (`packReasoning`) get their
 *   original origin and signature back; real OpenAI encrypted content stays origin `openai`.
 *   A reasoning item id we minted (`rs_apx…`, see ids.ts) is dropped: OpenAI never stored it.
 * - Item types that cannot be translated (web_search_call, custom tool calls, MCP items,
 *   item_reference, …) are kept verbatim as OpaqueBlocks for a Responses upstream.
 */
import { invalidRequest } from '../../canonical/errors.js';
import { extractSignatureFromId, unpackReasoning } from '../../canonical/opaque.js';
import type {
  CanonicalMessage,
  ContentBlock,
  ReasoningBlock,
  Role,
  ToolCallBlock,
  ToolResultBlock,
} from '../../canonical/types.js';
import { decodeContent, decodePart } from './content.js';
import { isAbsent, isRecord, optString, reqString, type JsonObject } from './guards.js';
import { isMintedReasoningId } from './ids.js';

/** Client-side items that are not calls: they go into a user message when kept opaque. */
function isClientSideItem(type: string): boolean {
  return (
    type.endsWith('_output') ||
    type === 'mcp_approval_response' ||
    type === 'item_reference' ||
    type === 'additional_tools' ||
    type === 'compaction_trigger'
  );
}

function texts(list: unknown, partType: string): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const p of list) {
    if (isRecord(p) && p.type === partType && typeof p.text === 'string') out.push(p.text);
  }
  return out;
}

/**
 * A reasoning item (request input or response output) -> ReasoningBlock. Summary parts are
 * joined with a blank line; without a summary the raw `reasoning_text` content is the text.
 */
export function reasoningBlockFromItem(item: JsonObject): ReasoningBlock {
  const summary = texts(item.summary, 'summary_text');
  const content = texts(item.content, 'reasoning_text');
  const encrypted = typeof item.encrypted_content === 'string' ? item.encrypted_content : undefined;
  const readable = summary.length > 0 ? summary.join('\n\n') : content.join('');
  if (encrypted !== undefined) {
    const packed = unpackReasoning(encrypted);
    if (packed) {
      const block: ReasoningBlock = { type: 'reasoning', text: packed.text ?? readable, origin: packed.origin };
      if (packed.signature !== undefined) block.signature = packed.signature;
      if (packed.redactedData !== undefined) block.redactedData = packed.redactedData;
      return block;
    }
  }
  const block: ReasoningBlock = { type: 'reasoning', text: readable };
  // an id we minted (for reasoning that did not come from OpenAI) names nothing OpenAI stored
  const minted = typeof item.id === 'string' && isMintedReasoningId(item.id);
  if (!minted || encrypted !== undefined) block.origin = 'openai';
  block.summary = summary.length > 0 || content.length === 0;
  if (typeof item.id === 'string' && !minted) block.itemId = item.id;
  if (encrypted !== undefined) block.encryptedContent = encrypted;
  return block;
}

function decodeFunctionCall(item: JsonObject, param: string): ToolCallBlock {
  const callId = reqString(item.call_id, `${param}.call_id`);
  const name = reqString(item.name, `${param}.name`);
  const args = optString(item.arguments, `${param}.arguments`);
  const { baseId, signature } = extractSignatureFromId(callId);
  const block: ToolCallBlock = { type: 'tool_call', id: baseId, name, arguments: args ? args : '{}' };
  if (signature !== undefined) block.thoughtSignature = signature;
  return block;
}

function decodeFunctionOutput(item: JsonObject, param: string, names: Map<string, string>): ToolResultBlock {
  const callId = reqString(item.call_id, `${param}.call_id`);
  const { baseId } = extractSignatureFromId(callId);
  const output = item.output;
  let content: ToolResultBlock['content'];
  if (typeof output === 'string') content = [{ type: 'text', text: output }];
  else if (Array.isArray(output)) content = output.map((p, i) => decodePart(p, `${param}.output[${i}]`));
  else throw invalidRequest(`${param}.output must be a string or an array`, `${param}.output`);
  const block: ToolResultBlock = { type: 'tool_result', toolCallId: baseId, content };
  const name = names.get(baseId);
  if (name !== undefined) block.name = name;
  return block;
}

class MessageList {
  readonly messages: CanonicalMessage[] = [];

  /** Appends to the last message when it has `role` and merging is allowed, else starts one. */
  add(role: Role, blocks: ContentBlock[], merge: boolean): void {
    const last = this.messages[this.messages.length - 1];
    if (merge && last !== undefined && last.role === role) last.content.push(...blocks);
    else this.messages.push({ role, content: blocks });
  }
}

function decodeMessageItem(item: JsonObject, param: string, list: MessageList): void {
  const role = item.role;
  if (role !== 'user' && role !== 'assistant' && role !== 'system' && role !== 'developer') {
    throw invalidRequest(
      `${param}.role must be one of user, assistant, system, developer`,
      `${param}.role`,
    );
  }
  if (isAbsent(item.content)) throw invalidRequest(`${param}.content is required`, `${param}.content`);
  const blocks = decodeContent(item.content, `${param}.content`);
  list.add(role, blocks, role === 'assistant');
}

/** Decodes `input`; a string is one user message. */
export function decodeInput(input: unknown): CanonicalMessage[] {
  if (isAbsent(input)) return [];
  if (typeof input === 'string') return [{ role: 'user', content: [{ type: 'text', text: input }] }];
  if (!Array.isArray(input)) throw invalidRequest('input must be a string or an array of items', 'input');
  const list = new MessageList();
  const names = new Map<string, string>();
  input.forEach((item, i) => {
    const param = `input[${i}]`;
    if (!isRecord(item)) throw invalidRequest(`${param} must be an object`, param);
    const type = item.type;
    if (type === undefined || type === 'message') {
      decodeMessageItem(item, param, list);
      return;
    }
    if (typeof type !== 'string') throw invalidRequest(`${param}.type must be a string`, `${param}.type`);
    switch (type) {
      case 'function_call': {
        const call = decodeFunctionCall(item, param);
        names.set(call.id, call.name);
        list.add('assistant', [call], true);
        return;
      }
      case 'function_call_output':
        list.add('tool', [decodeFunctionOutput(item, param, names)], true);
        return;
      case 'reasoning':
        list.add('assistant', [reasoningBlockFromItem(item)], true);
        return;
      default: {
        const block: ContentBlock = { type: 'opaque', dialect: 'openai-responses', value: item };
        if (isClientSideItem(type)) list.add('user', [block], false);
        else list.add('assistant', [block], true);
      }
    }
  });
  return list.messages;
}
