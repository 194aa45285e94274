/**
 * Finish reasons.
 * From Gemini: STOP -> stop (tool_calls when the answer holds function calls: Gemini has no
 * tool finish reason); MAX_TOKENS -> length; SAFETY, RECITATION, BLOCKLIST, PROHIBITED_CONTENT,
 * SPII, IMAGE_SAFETY, IMAGE_PROHIBITED_CONTENT, IMAGE_RECITATION and a blocked prompt ->
 * content_filter; MALFORMED_FUNCTION_CALL, UNEXPECTED_TOOL_CALL, TOO_MANY_TOOL_CALLS -> error
 * (the model failed to produce a usable call: the turn did not end normally, and a client must
 * not take it for a finished answer); anything else (LANGUAGE, OTHER, NO_IMAGE, …) -> stop.
 * To Gemini: stop, stop_sequence, tool_calls, pause_turn -> STOP; length -> MAX_TOKENS;
 * content_filter, refusal -> SAFETY; error -> OTHER.
 */
import type { FinishReason } from '../../canonical/types.js';

const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

const FAILED_CALL = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS']);

export function decodeFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason !== undefined && FILTERED.has(reason)) return 'content_filter';
  if (reason !== undefined && FAILED_CALL.has(reason)) return 'error';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

export function encodeFinishReason(reason: FinishReason): string {
  switch (reason) {
    case 'length':
      return 'MAX_TOKENS';
    case 'content_filter':
    case 'refusal':
      return 'SAFETY';
    case 'error':
      return 'OTHER';
    default:
      return 'STOP';
  }
}
