/**
 * CanonicalResponse -> the Responses `Response` object a client receives from
 * `POST /v1/responses` without streaming.
 *
 * Output items in content order: consecutive text blocks form one assistant message (one
 * output_text part each, a refusal part last); each tool call is a function_call item whose
 * `call_id` is the canonical id (with a Gemini thought signature embedded, see opaque.ts); each
 * reasoning block is a reasoning item (see response-object.ts for its encrypted_content).
 */
import { embedSignatureInId } from '../../canonical/opaque.js';
import type { CanonicalResponse } from '../../canonical/types.js';
import type { ResponseEncodeContext } from '../types.js';
import { statusFromFinish } from './finish.js';
import { isRecord, type JsonObject } from './guards.js';
import { idWithPrefix, newId } from './ids.js';
import {
  buildResponse,
  functionCallItem,
  messageItem,
  outputTextPart,
  reasoningItem,
  reasoningItemId,
  type ReasoningState,
  type ResponseParts,
} from './response-object.js';

export function encodeResponse(res: CanonicalResponse, ctx: ResponseEncodeContext): JsonObject {
  const wire = statusFromFinish(res.finishReason);
  const itemStatus = wire.status === 'completed' ? 'completed' : 'incomplete';
  const output: JsonObject[] = [];
  let parts: JsonObject[] = [];
  const flush = (): void => {
    if (parts.length > 0) output.push(messageItem(newId('msg'), itemStatus, parts));
    parts = [];
  };

  for (const block of res.content) {
    switch (block.type) {
      case 'text':
        if (block.text !== '') parts.push(outputTextPart(block.text));
        break;
      case 'tool_call':
        flush();
        output.push(
          functionCallItem(
            newId('fc'),
            'completed',
            embedSignatureInId(block.id, block.thoughtSignature),
            block.name,
            block.arguments,
          ),
        );
        break;
      case 'reasoning': {
        flush();
        const state: ReasoningState = { text: block.text };
        if (block.origin !== undefined) state.origin = block.origin;
        if (block.signature !== undefined) state.signature = block.signature;
        if (block.redactedData !== undefined) state.redactedData = block.redactedData;
        if (block.itemId !== undefined) state.itemId = block.itemId;
        if (block.encryptedContent !== undefined) state.encryptedContent = block.encryptedContent;
        output.push(reasoningItem(reasoningItemId(state), state));
        break;
      }
      case 'opaque':
        if (block.dialect === 'openai-responses' && isRecord(block.value)) {
          flush();
          output.push(block.value);
        }
        break;
      default:
        // images, files, audio and tool results are not assistant output in this dialect
        break;
    }
  }
  if (res.refusal !== undefined && res.refusal !== '') parts.push({ type: 'refusal', refusal: res.refusal });
  flush();

  const response: ResponseParts = {
    id: idWithPrefix('resp', res.id),
    createdAt: res.created,
    status: wire.status,
    output,
    usage: res.usage,
  };
  if (wire.incompleteReason !== undefined) response.incompleteReason = wire.incompleteReason;
  if (wire.status === 'failed') {
    response.error = { code: 'server_error', message: 'The model stopped with an error before completing the response' };
  }
  return buildResponse(ctx, response);
}
