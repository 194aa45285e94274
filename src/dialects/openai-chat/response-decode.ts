/** An upstream chat.completion body (OpenAI, Azure, compatible) -> CanonicalResponse. */
import { GatewayError } from '../../canonical/errors.js';
import type { CanonicalResponse, ContentBlock, ToolCallBlock } from '../../canonical/types.js';
import { ZERO_USAGE } from '../../canonical/types.js';
import { decodeError } from './errors.js';
import { decodeFinishReason } from './finish.js';
import { newId } from './ids.js';
import { isObject, num, str } from './json.js';
import { decodeMessageReasoning, toolCallSignature } from './reasoning.js';
import { decodeUsage } from './usage.js';

function argumentsText(v: unknown): string {
  if (typeof v === 'string') return v === '' ? '{}' : v;
  if (isObject(v)) return JSON.stringify(v);
  return '{}';
}

/** Message content may be a string or (some compatible servers) an array of text parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let s = '';
  for (const p of content) {
    if (isObject(p) && typeof p.text === 'string') s += p.text;
  }
  return s;
}

export function decodeResponse(body: unknown): CanonicalResponse {
  if (!isObject(body) || (!Array.isArray(body.choices) && body.error !== undefined)) {
    if (isObject(body) && body.error !== undefined) {
      const e = decodeError(0, body);
      throw new GatewayError(e.status, e.type, e.message, e.code === undefined ? {} : { code: e.code });
    }
    throw new GatewayError(502, 'upstream', 'The upstream returned a body that is not a chat completion.');
  }
  const choices = Array.isArray(body.choices) ? body.choices : [];
  const choice = choices.find((c) => isObject(c) && (c.index === 0 || c.index === undefined)) ?? choices[0];
  const msg = isObject(choice) && isObject(choice.message) ? choice.message : {};

  const content: ContentBlock[] = [...decodeMessageReasoning(msg)];
  const text = contentText(msg.content);
  if (text) content.push({ type: 'text', text });
  let hasToolCalls = false;
  if (Array.isArray(msg.tool_calls)) {
    for (const call of msg.tool_calls) {
      if (!isObject(call)) continue;
      const fn = isObject(call.function) ? call.function : {};
      const id = str(call.id) || newId('call_');
      const block: ToolCallBlock = {
        type: 'tool_call',
        id,
        name: str(fn.name) ?? '',
        arguments: argumentsText(fn.arguments),
      };
      const sig = toolCallSignature(call, id);
      if (sig) block.thoughtSignature = sig;
      content.push(block);
      hasToolCalls = true;
    }
  }
  if (isObject(msg.function_call) && typeof msg.function_call.name === 'string') {
    content.push({
      type: 'tool_call',
      id: newId('call_'),
      name: msg.function_call.name,
      arguments: argumentsText(msg.function_call.arguments),
    });
    hasToolCalls = true;
  }

  const refusal = str(msg.refusal);
  const finishRaw = isObject(choice) ? str(choice.finish_reason) : undefined;
  const res: CanonicalResponse = {
    id: str(body.id) || newId('chatcmpl-'),
    model: str(body.model) ?? '',
    created: num(body.created) ?? Math.floor(Date.now() / 1000),
    content,
    finishReason: decodeFinishReason(finishRaw, { hasToolCalls, hasRefusal: !!refusal }),
    usage: decodeUsage(body.usage) ?? { ...ZERO_USAGE },
  };
  if (refusal) res.refusal = refusal;
  return res;
}
