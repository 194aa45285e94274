/**
 * Other body shapes the original system accepted on POST /v1/chat/completions, for the route to
 * recognise before decoding as OpenAI chat.
 */
import { isObject } from './json.js';

export type ChatRouteShape = 'openai-chat' | 'anthropic' | 'gemini-input';

/** Content block types that exist in Anthropic Messages and not in OpenAI chat. */
const ANTHROPIC_BLOCKS = new Set([
  'tool_use',
  'tool_result',
  'thinking',
  'redacted_thinking',
  'document',
  'server_tool_use',
  'web_search_tool_result',
  'search_result',
]);

function hasAnthropicBlocks(messages: unknown[]): boolean {
  for (const m of messages) {
    if (!isObject(m) || !Array.isArray(m.content)) continue;
    for (const part of m.content) {
      if (!isObject(part) || typeof part.type !== 'string') continue;
      if (ANTHROPIC_BLOCKS.has(part.type)) return true;
      if (part.type === 'image' && isObject(part.source)) return true;
    }
  }
  return false;
}

const CHAT_ONLY_ROLES = new Set(['system', 'developer', 'tool', 'function']);

/**
 * Which decoder a body posted to /v1/chat/completions needs:
 * - 'anthropic' when it has `anthropic_version` or `max_tokens_to_sample`; or when its messages
 *   use Anthropic-only content blocks (tool_use, tool_result, thinking, image with `source`, …);
 *   or when it has a top-level `system` and no chat-only roles (chat has no top-level system);
 * - 'gemini-input' when it has `input` and no `messages` (normalise with normalizeGeminiInput);
 * - 'openai-chat' otherwise (including bodies that are not objects: the decoder rejects them).
 */
export function detectChatRouteShape(body: unknown): ChatRouteShape {
  if (!isObject(body)) return 'openai-chat';
  if ('anthropic_version' in body || 'max_tokens_to_sample' in body) return 'anthropic';
  const messages = body.messages;
  if (Array.isArray(messages)) {
    if (hasAnthropicBlocks(messages)) return 'anthropic';
    const system = body.system;
    if (
      (typeof system === 'string' || Array.isArray(system)) &&
      !messages.some((m) => isObject(m) && typeof m.role === 'string' && CHAT_ONLY_ROLES.has(m.role))
    ) {
      return 'anthropic';
    }
    return 'openai-chat';
  }
  if (body.input !== undefined && messages === undefined) return 'gemini-input';
  return 'openai-chat';
}

function itemText(content: unknown): Array<{ type: 'text'; text: string }> {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  if (Array.isArray(content)) {
    const parts: Array<{ type: 'text'; text: string }> = [];
    for (const p of content) {
      if (typeof p === 'string') {
        if (p) parts.push({ type: 'text', text: p });
      } else if (isObject(p) && typeof p.text === 'string' && p.text) {
        // `{text}`, `{type: "text", text}` and `{type: "input_text", text}` alike
        parts.push({ type: 'text', text: p.text });
      }
    }
    return parts;
  }
  if (content === undefined || content === null) return [];
  const s = typeof content === 'object' ? JSON.stringify(content) : String(content);
  return s ? [{ type: 'text', text: s }] : [];
}

/**
 * A Gemini-style `input` body -> an OpenAI chat body: `input` (a string, or a list of items
 * `{role?, content}` whose content is a string or parts with `text`) becomes `messages`, role
 * "user" by default (Gemini's "model" becomes "assistant"). Items without text are left out;
 * when no message results the body is returned unchanged (the decoder then says what is missing).
 */
export function normalizeGeminiInput(body: Record<string, unknown>): Record<string, unknown> {
  const input = body.input;
  const items: unknown[] = Array.isArray(input) ? input : [input];
  const messages: Array<Record<string, unknown>> = [];
  for (const item of items) {
    const obj = isObject(item) ? item : undefined;
    const parts = itemText(obj ? (obj.content ?? obj.parts ?? obj.text) : item);
    if (parts.length === 0) continue;
    const rawRole = typeof obj?.role === 'string' && obj.role ? obj.role : 'user';
    const role = rawRole === 'model' ? 'assistant' : rawRole;
    messages.push({ role, content: parts.length === 1 ? parts[0]?.text : parts });
  }
  if (messages.length === 0) return body;
  const { input: _input, ...rest } = body;
  return { ...rest, messages };
}
