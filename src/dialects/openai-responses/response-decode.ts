/**
 * An OpenAI Responses `Response` object (non-stream upstream answer) -> CanonicalResponse.
 *
 * Output items: reasoning -> ReasoningBlock (origin openai, item id, encrypted content, summary
 * text); message -> text blocks (a refusal part becomes `refusal`); function_call -> ToolCallBlock
 * with the `call_id` as id; any other item (web_search_call, …) -> OpaqueBlock.
 */
import type { CanonicalResponse, ContentBlock } from '../../canonical/types.js';
import { ZERO_USAGE } from '../../canonical/types.js';
import { finishFromStatus } from './finish.js';
import { arr, isRecord, num, rec, str, type JsonObject } from './guards.js';
import { reasoningBlockFromItem } from './input-decode.js';
import { decodeUsage } from './usage.js';

interface DecodedOutput {
  content: ContentBlock[];
  refusal?: string;
  hasToolCalls: boolean;
}

function decodeMessage(item: JsonObject, out: DecodedOutput): void {
  for (const part of arr(item, 'content')) {
    if (!isRecord(part)) continue;
    if (part.type === 'output_text' && typeof part.text === 'string') {
      out.content.push({ type: 'text', text: part.text });
    } else if (part.type === 'refusal' && typeof part.refusal === 'string') {
      out.refusal = (out.refusal ?? '') + part.refusal;
    }
  }
}

export function decodeOutput(output: unknown[]): DecodedOutput {
  const out: DecodedOutput = { content: [], hasToolCalls: false };
  for (const item of output) {
    if (!isRecord(item)) continue;
    switch (item.type) {
      case 'message':
        decodeMessage(item, out);
        break;
      case 'reasoning':
        out.content.push(reasoningBlockFromItem(item));
        break;
      case 'function_call':
        out.hasToolCalls = true;
        out.content.push({
          type: 'tool_call',
          id: str(item, 'call_id') ?? str(item, 'id') ?? '',
          name: str(item, 'name') ?? '',
          arguments: str(item, 'arguments') || '{}',
        });
        break;
      default:
        out.content.push({ type: 'opaque', dialect: 'openai-responses', value: item });
    }
  }
  return out;
}

export function decodeResponse(body: unknown): CanonicalResponse {
  const obj: JsonObject = isRecord(body) ? body : {};
  const decoded = decodeOutput(arr(obj, 'output'));
  const incomplete = rec(obj, 'incomplete_details');
  const res: CanonicalResponse = {
    id: str(obj, 'id') ?? '',
    model: str(obj, 'model') ?? '',
    created: num(obj, 'created_at') ?? Math.floor(Date.now() / 1000),
    content: decoded.content,
    finishReason: finishFromStatus(obj.status, incomplete?.reason, {
      hasToolCalls: decoded.hasToolCalls,
      hasRefusal: decoded.refusal !== undefined,
    }),
    usage: decodeUsage(obj.usage) ?? { ...ZERO_USAGE },
  };
  if (decoded.refusal !== undefined) res.refusal = decoded.refusal;
  return res;
}
