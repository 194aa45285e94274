/**
 * CanonicalResponse -> a chat.completion body for an OpenAI chat client.
 *
 * - `message.content` is null when the answer is only tool calls (or only a refusal).
 * - Reasoning text goes to `reasoning_content` (the field most chat clients read), never into
 *   `content`. Anthropic reasoning that carries a signature or redacted data is also given as
 *   `thinking_blocks`, so a client can send it back and the conversation can continue with
 *   Anthropic's extended thinking and tools.
 * - A tool call with a Gemini thought signature gets it embedded in its id and in
 *   `extra_content.google.thought_signature` (Gemini's own OpenAI-compatible shape).
 * - A response that ended in an error is not a completion: it is thrown as an error.
 */
import { embedSignatureInId, extractSignatureFromId } from '../../canonical/opaque.js';
import { GatewayError } from '../../canonical/errors.js';
import type { CanonicalResponse, ContentBlock, ReasoningBlock, ToolCallBlock } from '../../canonical/types.js';
import type { ResponseEncodeContext } from '../types.js';
import { encodeFinishReason } from './finish.js';
import { chatCompletionId } from './ids.js';
import type { JsonObject } from './json.js';
import { encodeUsage } from './usage.js';

/** The id a chat client sees for a tool call (signature embedded once). */
export function clientToolCallId(id: string, signature: string | undefined): string {
  if (!signature || extractSignatureFromId(id).signature !== undefined) return id;
  return embedSignatureInId(id, signature);
}

export function encodeToolCall(c: Pick<ToolCallBlock, 'id' | 'name' | 'thoughtSignature'>, args: string): JsonObject {
  const call: JsonObject = {
    id: clientToolCallId(c.id, c.thoughtSignature),
    type: 'function',
    function: { name: c.name, arguments: args },
  };
  if (c.thoughtSignature) call.extra_content = { google: { thought_signature: c.thoughtSignature } };
  return call;
}

/** A `thinking_blocks` entry for Anthropic reasoning a client must be able to send back. */
export function thinkingBlock(b: Pick<ReasoningBlock, 'origin' | 'text' | 'signature' | 'redactedData'>): JsonObject | undefined {
  if (b.origin !== 'anthropic') return undefined;
  if (b.redactedData) return { type: 'redacted_thinking', data: b.redactedData };
  if (b.signature) return { type: 'thinking', thinking: b.text, signature: b.signature };
  return undefined;
}

function reasoningFields(content: ContentBlock[], message: JsonObject): void {
  let text = '';
  const blocks: JsonObject[] = [];
  for (const b of content) {
    if (b.type !== 'reasoning') continue;
    text += b.text;
    const tb = thinkingBlock(b);
    if (tb) blocks.push(tb);
  }
  if (text) message.reasoning_content = text;
  if (blocks.length > 0) message.thinking_blocks = blocks;
}

export function encodeResponse(res: CanonicalResponse, ctx: ResponseEncodeContext): JsonObject {
  if (res.finishReason === 'error') {
    throw new GatewayError(502, 'upstream', 'The upstream model stopped with an error before finishing its answer.');
  }
  let text: string | null = null;
  const toolCalls: JsonObject[] = [];
  for (const b of res.content) {
    if (b.type === 'text') text = (text ?? '') + b.text;
    else if (b.type === 'tool_call') toolCalls.push(encodeToolCall(b, b.arguments || '{}'));
  }
  const message: JsonObject = {
    role: 'assistant',
    content: text ?? (toolCalls.length > 0 || res.refusal ? null : ''),
    refusal: res.refusal ?? null,
  };
  reasoningFields(res.content, message);
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: chatCompletionId(res.id),
    object: 'chat.completion',
    created: res.created,
    model: ctx.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: encodeFinishReason(res.finishReason) }],
    usage: encodeUsage(res.usage),
  };
}
