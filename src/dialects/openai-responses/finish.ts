/**
 * Responses `status` / `incomplete_details.reason` <-> canonical finish reasons (checklist §9).
 *
 * completed -> tool_calls when the output holds function calls, refusal when it holds a refusal
 * part, otherwise stop. incomplete -> length (max_output_tokens) or content_filter. failed -> error.
 * Back: stop, stop_sequence, tool_calls, refusal and pause_turn are `completed`; length and
 * content_filter are `incomplete` with that reason; error is `failed`.
 */
import type { FinishReason } from '../../canonical/types.js';

export type ResponseStatus = 'completed' | 'incomplete' | 'failed';

export interface OutputFacts {
  hasToolCalls: boolean;
  hasRefusal: boolean;
}

export function finishFromStatus(
  status: unknown,
  incompleteReason: unknown,
  facts: OutputFacts,
): FinishReason {
  if (status === 'incomplete') return incompleteReason === 'content_filter' ? 'content_filter' : 'length';
  if (status === 'failed' || status === 'cancelled') return 'error';
  if (facts.hasToolCalls) return 'tool_calls';
  if (facts.hasRefusal) return 'refusal';
  return 'stop';
}

export interface WireStatus {
  status: ResponseStatus;
  incompleteReason?: 'max_output_tokens' | 'content_filter';
}

export function statusFromFinish(reason: FinishReason): WireStatus {
  switch (reason) {
    case 'length':
      return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
    case 'content_filter':
      return { status: 'incomplete', incompleteReason: 'content_filter' };
    case 'error':
      return { status: 'failed' };
    default:
      return { status: 'completed' };
  }
}
