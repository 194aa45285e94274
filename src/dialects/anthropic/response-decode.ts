/**
 * Anthropic message object (non-stream response of an Anthropic upstream) -> CanonicalResponse.
 *
 * Content in order: text (citations are not carried), thinking / redacted_thinking -> reasoning
 * of origin 'anthropic', tool_use -> tool_call with the input as JSON text, server tool blocks
 * (server_tool_use, web_search_tool_result, …) -> opaque blocks of dialect 'anthropic'.
 */
import { GatewayError } from '../../canonical/errors.js';
import type { CanonicalResponse, ContentBlock } from '../../canonical/types.js';
import { finishFromStopReason } from './finish.js';
import { completeUsage, usageFromAnthropic } from './usage.js';
import { isObject, type JsonObject } from './wire.js';

function badResponse(what: string): GatewayError {
  return new GatewayError(502, 'upstream', `The Anthropic upstream sent an invalid message: ${what}`);
}

function decodeBlock(block: JsonObject): ContentBlock | undefined {
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' ? { type: 'text', text: block.text } : undefined;
    case 'thinking': {
      const text = typeof block.thinking === 'string' ? block.thinking : '';
      const out: ContentBlock = { type: 'reasoning', text, origin: 'anthropic' };
      if (typeof block.signature === 'string' && block.signature.length > 0) out.signature = block.signature;
      return out;
    }
    case 'redacted_thinking':
      return typeof block.data === 'string'
        ? { type: 'reasoning', text: '', origin: 'anthropic', redactedData: block.data }
        : undefined;
    case 'tool_use': {
      if (typeof block.id !== 'string' || typeof block.name !== 'string') throw badResponse('tool_use without id or name');
      const input = block.input === undefined || block.input === null ? {} : block.input;
      return { type: 'tool_call', id: block.id, name: block.name, arguments: JSON.stringify(input) };
    }
    default:
      return { type: 'opaque', dialect: 'anthropic', value: block };
  }
}

export function decodeAnthropicResponse(body: unknown): CanonicalResponse {
  if (!isObject(body)) throw badResponse('not a JSON object');
  if (!Array.isArray(body.content)) throw badResponse('no content array');
  const content: ContentBlock[] = [];
  for (const raw of body.content) {
    if (!isObject(raw)) continue;
    const block = decodeBlock(raw);
    if (block) content.push(block);
  }
  const res: CanonicalResponse = {
    id: typeof body.id === 'string' ? body.id : `msg_${Date.now().toString(36)}`,
    model: typeof body.model === 'string' ? body.model : '',
    created: Math.floor(Date.now() / 1000),
    content,
    finishReason: finishFromStopReason(body.stop_reason),
    usage: completeUsage(usageFromAnthropic(body.usage)),
  };
  if (typeof body.stop_sequence === 'string') res.stopSequence = body.stop_sequence;
  return res;
}
