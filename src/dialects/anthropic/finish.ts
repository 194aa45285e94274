/** Anthropic `stop_reason` <-> canonical FinishReason (translation checklist §9). */
import type { FinishReason } from '../../canonical/types.js';

export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

export function finishFromStopReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'stop_sequence':
      return 'stop_sequence';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'refusal';
    case 'pause_turn':
      return 'pause_turn';
    default:
      // end_turn, null (never sent with a final message) and any newer value
      return 'stop';
  }
}

/**
 * Canonical -> Anthropic. A turn that produced tool calls always reports `tool_use`, whatever
 * the upstream said (Gemini has no tool finish reason and says STOP): Claude Code runs tools only
 * on `tool_use`. A canonical `error` finish has no Anthropic value and shows as `end_turn`.
 */
export function stopReasonFromFinish(reason: FinishReason, hasToolUse: boolean): AnthropicStopReason {
  if (hasToolUse && (reason === 'stop' || reason === 'tool_calls' || reason === 'stop_sequence')) return 'tool_use';
  switch (reason) {
    case 'stop_sequence':
      return 'stop_sequence';
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return hasToolUse ? 'tool_use' : 'end_turn';
    case 'content_filter':
    case 'refusal':
      return 'refusal';
    case 'pause_turn':
      return 'pause_turn';
    default:
      return 'end_turn';
  }
}
