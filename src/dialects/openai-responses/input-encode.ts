/**
 * Canonical messages -> Responses `instructions` + `input` items.
 *
 * - Leading system/developer messages made only of text become `instructions` (joined by a
 *   blank line); later ones stay in place as system/developer message items.
 * - Tool calls / results become `function_call` / `function_call_output` items whose `call_id`
 *   is the canonical tool-call id. Input function_call items carry no item id: `id` is optional
 *   on input, `call_id` links the output, and an invented `fc_…` id would name an item OpenAI
 *   never stored.
 * - Reasoning blocks of origin `openai` that carry an item id or encrypted content become
 *   reasoning items, in their original position (so each precedes its function_call). Reasoning
 *   of any other origin, or without OpenAI state, is dropped: OpenAI cannot take it.
 * - Opaque blocks of this dialect are replayed verbatim; those of other dialects are dropped.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type { CanonicalMessage, ReasoningBlock, ToolResultBlock } from '../../canonical/types.js';
import { encodeInputPart } from './content.js';
import { isRecord, type JsonObject } from './guards.js';

export interface EncodedInput {
  instructions?: string;
  input: JsonObject[];
}

function isInstruction(msg: CanonicalMessage): boolean {
  return (
    (msg.role === 'system' || msg.role === 'developer') &&
    msg.content.every((b) => b.type === 'text')
  );
}

function joinedText(msg: CanonicalMessage): string {
  return msg.content.map((b) => (b.type === 'text' ? b.text : '')).join('\n');
}

/** A reasoning block OpenAI can take back, or undefined. */
export function reasoningInputItem(block: ReasoningBlock): JsonObject | undefined {
  if (block.origin !== 'openai') return undefined;
  if (block.itemId === undefined && block.encryptedContent === undefined) return undefined;
  const item: JsonObject = { type: 'reasoning' };
  if (block.itemId !== undefined) item.id = block.itemId;
  const asSummary = block.summary !== false;
  item.summary = asSummary && block.text !== '' ? [{ type: 'summary_text', text: block.text }] : [];
  if (!asSummary && block.text !== '') item.content = [{ type: 'reasoning_text', text: block.text }];
  if (block.encryptedContent !== undefined) item.encrypted_content = block.encryptedContent;
  return item;
}

function toolOutput(block: ToolResultBlock): string | JsonObject[] {
  if (block.content.every((b) => b.type === 'text')) {
    return block.content.map((b) => (b.type === 'text' ? b.text : '')).join('\n');
  }
  return block.content.map(encodeInputPart);
}

function encodeMessage(msg: CanonicalMessage, out: JsonObject[], index: number): void {
  // stray non-result blocks of a tool message are shown to the model as user content
  const role = msg.role === 'tool' ? 'user' : msg.role;
  const assistant = role === 'assistant';
  let parts: JsonObject[] = [];
  const flush = (): void => {
    if (parts.length > 0) out.push({ type: 'message', role, content: parts });
    parts = [];
  };
  for (const block of msg.content) {
    switch (block.type) {
      case 'text':
        if (block.text !== '') parts.push({ type: assistant ? 'output_text' : 'input_text', text: block.text });
        break;
      case 'image':
      case 'file':
        // an assistant message item can only hold output text
        if (!assistant) parts.push(encodeInputPart(block));
        break;
      case 'audio':
        throw invalidRequest(
          'Audio input is not supported by the OpenAI Responses API',
          `messages[${index}].content`,
        );
      case 'tool_call':
        flush();
        out.push({ type: 'function_call', call_id: block.id, name: block.name, arguments: block.arguments });
        break;
      case 'tool_result':
        flush();
        out.push({ type: 'function_call_output', call_id: block.toolCallId, output: toolOutput(block) });
        break;
      case 'reasoning': {
        const item = reasoningInputItem(block);
        if (item !== undefined) {
          flush();
          out.push(item);
        }
        break;
      }
      case 'opaque':
        if (block.dialect === 'openai-responses' && isRecord(block.value)) {
          flush();
          out.push(block.value);
        }
        break;
    }
  }
  flush();
}

export function encodeInput(messages: readonly CanonicalMessage[]): EncodedInput {
  let start = 0;
  const instructions: string[] = [];
  while (start < messages.length) {
    const msg = messages[start];
    if (msg === undefined || !isInstruction(msg)) break;
    const text = joinedText(msg);
    if (text !== '') instructions.push(text);
    start++;
  }
  const input: JsonObject[] = [];
  for (let i = start; i < messages.length; i++) {
    const msg = messages[i];
    if (msg !== undefined) encodeMessage(msg, input, i);
  }
  const out: EncodedInput = { input };
  if (instructions.length > 0) out.instructions = instructions.join('\n\n');
  return out;
}
