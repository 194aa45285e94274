/**
 * CanonicalResponse -> Anthropic message object for an Anthropic client.
 *
 * - reasoning -> thinking {thinking, signature} (redacted_thinking when it carries redactedData).
 *   Reasoning from another vendor is shown as thinking too; its opaque state rides in the
 *   signature in packed form (`packReasoning`, origin kept), and reasoning without any signature
 *   gets signature "" so the request decoder knows it is not Anthropic's.
 * - tool_call -> tool_use with `input` parsed from the arguments ({} when they are not a JSON
 *   object, e.g. cut off by max_tokens); ids made safe for the Anthropic pattern and carrying a
 *   Gemini thought signature (see ids.ts).
 * - refusal text with no text content -> a text block with it.
 * - usage: input_tokens = input, cache_read_input_tokens = cacheRead,
 *   cache_creation_input_tokens = cacheWrite, output_tokens = output + reasoning.
 */
import { packReasoning } from '../../canonical/opaque.js';
import type { CanonicalResponse, ContentBlock, ReasoningBlock } from '../../canonical/types.js';
import type { ResponseEncodeContext } from '../types.js';
import { stopReasonFromFinish } from './finish.js';
import { clientToolId } from './ids.js';
import { usageToAnthropic } from './usage.js';
import { isObject, type JsonObject } from './wire.js';

/** The signature an Anthropic client gets for a reasoning block. */
export function clientSignature(r: Pick<ReasoningBlock, 'origin' | 'signature' | 'redactedData' | 'text'>): string {
  if (r.origin === 'anthropic' || r.origin === undefined) return r.signature ?? '';
  if (r.signature === undefined && r.redactedData === undefined) return '';
  const packed: Parameters<typeof packReasoning>[0] = { origin: r.origin };
  if (r.signature !== undefined) packed.signature = r.signature;
  if (r.redactedData !== undefined) packed.redactedData = r.redactedData;
  return packReasoning(packed);
}

export function clientMessageId(id: string): string {
  return id.startsWith('msg_') ? id : `msg_${id}`;
}

export function parseInputObject(args: string): JsonObject {
  try {
    const v: unknown = JSON.parse(args);
    return isObject(v) ? v : {};
  } catch {
    return {};
  }
}

function encodeBlock(block: ContentBlock): JsonObject | undefined {
  switch (block.type) {
    case 'text':
      return block.text.length > 0 ? { type: 'text', text: block.text } : undefined;
    case 'reasoning':
      if (block.redactedData !== undefined && (block.origin === 'anthropic' || block.origin === undefined)) {
        return { type: 'redacted_thinking', data: block.redactedData };
      }
      if (block.text.length === 0 && block.signature === undefined && block.redactedData === undefined) return undefined;
      return { type: 'thinking', thinking: block.text, signature: clientSignature(block) };
    case 'tool_call':
      return {
        type: 'tool_use',
        id: clientToolId(block.id, block.thoughtSignature),
        name: block.name,
        input: parseInputObject(block.arguments),
      };
    case 'opaque':
      return block.dialect === 'anthropic' && isObject(block.value) ? block.value : undefined;
    default:
      // images, files, audio and tool results are not assistant output on this wire
      return undefined;
  }
}

export function encodeAnthropicResponse(res: CanonicalResponse, ctx: ResponseEncodeContext): JsonObject {
  const content: JsonObject[] = [];
  for (const block of res.content) {
    const wire = encodeBlock(block);
    if (wire) content.push(wire);
  }
  const hasToolUse = content.some((b) => b.type === 'tool_use');
  if (res.refusal && !content.some((b) => b.type === 'text')) content.push({ type: 'text', text: res.refusal });
  return {
    id: clientMessageId(res.id),
    type: 'message',
    role: 'assistant',
    model: ctx.model,
    content,
    stop_reason: stopReasonFromFinish(res.finishReason, hasToolUse),
    stop_sequence: res.stopSequence ?? null,
    usage: usageToAnthropic(res.usage),
  };
}
