/**
 * Reasoning and opaque state in chat-shaped messages. OpenAI's own chat API has no reasoning
 * field; the ecosystem uses three:
 * - `reasoning_content` (DeepSeek, vLLM, LiteLLM): the readable thought text;
 * - `reasoning` (OpenRouter): the same, under another name;
 * - `thinking_blocks` (LiteLLM): Anthropic thinking blocks with their signatures
 *   `[{type:"thinking", thinking, signature}]` / `[{type:"redacted_thinking", data}]`, which
 *   Anthropic needs back unchanged in a tool-use conversation.
 * Gemini thought signatures of function calls ride on the tool call as
 * `extra_content.google.thought_signature` (Gemini's OpenAI-compatible API) or inside the
 * tool-call id (see canonical/opaque.ts).
 */
import { extractSignatureFromId } from '../../canonical/opaque.js';
import type { ReasoningBlock, ReasoningEffort } from '../../canonical/types.js';
import { isObject, str } from './json.js';

/** Reasoning blocks of an assistant message (request history or upstream response). */
export function decodeMessageReasoning(msg: Record<string, unknown>): ReasoningBlock[] {
  const blocks: ReasoningBlock[] = [];
  if (Array.isArray(msg.thinking_blocks)) {
    for (const tb of msg.thinking_blocks) {
      if (!isObject(tb)) continue;
      if (tb.type === 'thinking') {
        const b: ReasoningBlock = { type: 'reasoning', text: str(tb.thinking) ?? '', origin: 'anthropic' };
        const sig = str(tb.signature);
        if (sig) b.signature = sig;
        blocks.push(b);
      } else if (tb.type === 'redacted_thinking') {
        const data = str(tb.data);
        if (data) blocks.push({ type: 'reasoning', text: '', origin: 'anthropic', redactedData: data });
      }
    }
  }
  // thinking_blocks carry the same text as reasoning_content (LiteLLM sends both): use one.
  if (blocks.length === 0) {
    const text = str(msg.reasoning_content) || str(msg.reasoning);
    if (text) blocks.push({ type: 'reasoning', text });
  }
  return blocks;
}

/** The Gemini thought signature of a tool call: `extra_content.google.thought_signature` or the id. */
export function toolCallSignature(call: Record<string, unknown>, id: string): string | undefined {
  const extra = call.extra_content;
  if (isObject(extra) && isObject(extra.google)) {
    const sig = str(extra.google.thought_signature);
    if (sig) return sig;
  }
  return extractSignatureFromId(id).signature;
}

/**
 * Token budget -> OpenAI reasoning_effort, for a budget given without an effort (Anthropic
 * `budget_tokens`, Gemini `thinkingBudget`): <= 1024 low, <= 8192 medium, more high.
 * (A budget of 0 or less, "no thinking", has no value valid for every OpenAI model: callers
 * leave reasoning_effort out then.)
 */
export function effortForBudget(budget: number): ReasoningEffort {
  if (budget <= 1024) return 'low';
  if (budget <= 8192) return 'medium';
  return 'high';
}
