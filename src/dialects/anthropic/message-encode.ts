/**
 * Canonical messages -> Anthropic `system` + `messages` (translation checklist §1, §2, §4).
 *
 * - Leading system / developer messages -> top-level `system` as text blocks (cache_control per
 *   block kept).
 * - A system / developer message later in the conversation -> user-turn text
 *   "[system] <text>". Anthropic has no mid-conversation system role everywhere (Claude Code
 *   itself retries without one on a 400), and a user turn is accepted by every model.
 * - Tool results (role `tool`) -> tool_result blocks in a user turn. Every user turn keeps its
 *   tool results in front of its other content, so all results for an assistant turn sit in ONE
 *   user message immediately after it, and a system note or user text that arrived between the
 *   tool_use turn and its results lands after the results, never between them.
 * - Consecutive messages of the same Anthropic role are merged; messages left empty (e.g. an
 *   assistant turn whose only text was "") disappear before merging.
 * - A final assistant turn (prefill) loses trailing whitespace, which Anthropic rejects.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type { CanonicalMessage, CanonicalRequest, ContentBlock } from '../../canonical/types.js';
import { encodeBlock, encodeText, encodeToolResult, type Dropped } from './content-encode.js';
import { cacheControlWire, type JsonObject } from './wire.js';

export const MID_CONVERSATION_SYSTEM_MARKER = '[system]';

interface Turn {
  role: 'user' | 'assistant';
  results: JsonObject[];
  content: JsonObject[];
}

function textOf(blocks: ContentBlock[]): string {
  return blocks
    .filter((b): b is Extract<ContentBlock, { type: 'text' }> => b.type === 'text')
    .map((b) => b.text)
    .filter((t) => t.length > 0)
    .join('\n');
}

class TurnBuilder {
  readonly turns: Turn[] = [];

  private last(role: 'user' | 'assistant'): Turn {
    const last = this.turns[this.turns.length - 1];
    if (last && last.role === role) return last;
    const turn: Turn = { role, results: [], content: [] };
    this.turns.push(turn);
    return turn;
  }

  add(role: 'user' | 'assistant', results: JsonObject[], content: JsonObject[]): void {
    if (results.length === 0 && content.length === 0) return;
    const turn = this.last(role);
    turn.results.push(...results);
    turn.content.push(...content);
  }
}

export interface EncodedMessages {
  system: JsonObject[];
  messages: JsonObject[];
}

export function encodeMessages(req: CanonicalRequest, dropped: Dropped): EncodedMessages {
  const system: JsonObject[] = [];
  const builder = new TurnBuilder();
  let leading = true;

  for (const msg of req.messages) {
    const isSystem = msg.role === 'system' || msg.role === 'developer';
    if (!isSystem) leading = false;
    if (msg.name !== undefined) dropped.add('name');
    if (isSystem && leading) {
      for (const block of msg.content) {
        if (block.type === 'text') {
          const t = encodeText(block);
          if (t) system.push(t);
        } else {
          dropped.add('non-text system content');
        }
      }
      continue;
    }
    encodeTurn(msg, isSystem, builder, dropped);
  }

  const messages = builder.turns.map((t) => ({ role: t.role, content: [...t.results, ...t.content] }));
  trimFinalAssistant(messages);
  if (messages.length === 0) {
    throw invalidRequest('messages: at least one user or assistant message is required', 'messages');
  }
  return { system, messages };
}

function encodeTurn(msg: CanonicalMessage, isSystem: boolean, builder: TurnBuilder, dropped: Dropped): void {
  if (isSystem) {
    const text = textOf(msg.content);
    if (text.length === 0) return;
    const last = msg.content[msg.content.length - 1];
    const cc = last && last.type === 'text' ? last.cacheControl : undefined;
    builder.add('user', [], [{ type: 'text', text: `${MID_CONVERSATION_SYSTEM_MARKER} ${text}`, ...cacheControlWire(cc) }]);
    return;
  }
  const role = msg.role === 'assistant' ? 'assistant' : 'user';
  const results: JsonObject[] = [];
  const content: JsonObject[] = [];
  for (const block of msg.content) {
    if (block.type === 'tool_result') {
      results.push(encodeToolResult(block));
    } else if (role === 'user' && (block.type === 'tool_call' || block.type === 'reasoning')) {
      // model output inside a user / tool turn has no Anthropic form
      continue;
    } else {
      const wire = encodeBlock(block, dropped);
      if (wire) content.push(wire);
    }
  }
  if (role === 'assistant' && results.length > 0) {
    // results never belong to an assistant turn: give them their own user turn after it
    builder.add('assistant', [], content);
    builder.add('user', results, []);
    return;
  }
  builder.add(role, results, content);
}

function trimFinalAssistant(messages: Array<{ role: string; content: JsonObject[] }>): void {
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'assistant') return;
  const block = last.content[last.content.length - 1];
  if (!block || block.type !== 'text' || typeof block.text !== 'string') return;
  const trimmed = block.text.trimEnd();
  if (trimmed.length > 0) block.text = trimmed;
  else last.content.pop();
  if (last.content.length === 0) messages.pop();
}
