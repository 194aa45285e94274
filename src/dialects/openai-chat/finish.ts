/** finish_reason <-> canonical FinishReason. */
import type { FinishReason } from '../../canonical/types.js';

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/**
 * Upstream `finish_reason` -> canonical.
 * - `function_call` (legacy) is a tool call.
 * - `stop` with tool calls present becomes `tool_calls` (some OpenAI-compatible servers say
 *   `stop` after a tool call; other dialects need to know the turn ended for tools).
 * - `stop` with a refusal becomes `refusal` (OpenAI itself says `stop` and sets `message.refusal`).
 * - Unknown strings (`eos`, `end_turn`, …, seen from compatible servers) count as `stop`.
 */
export function decodeFinishReason(
  raw: string | null | undefined,
  opts: { hasToolCalls: boolean; hasRefusal: boolean },
): FinishReason {
  switch (raw) {
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      if (opts.hasRefusal) return 'refusal';
      if (opts.hasToolCalls) return 'tool_calls';
      return 'stop';
  }
}

/**
 * Canonical -> the standard OpenAI values only (strict clients reject others):
 * stop_sequence and pause_turn -> stop, refusal -> content_filter. `error` has no finish
 * reason: callers turn it into an error (see response-encode / stream-encode).
 */
export function encodeFinishReason(reason: Exclude<FinishReason, 'error'>): ChatFinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'tool_calls':
      return 'tool_calls';
    case 'content_filter':
    case 'refusal':
      return 'content_filter';
    case 'stop':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
  }
}
