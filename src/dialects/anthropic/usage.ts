/**
 * Anthropic usage <-> canonical five buckets (translation checklist §10).
 *
 * Anthropic `input_tokens` already excludes cache reads and writes, so the buckets map one to one.
 * `output_tokens` includes thinking. When the response says how much of it was thinking
 * (`usage.output_tokens_details.thinking_tokens`, sent by newer models) the canonical `output`
 * bucket gets the rest and `reasoning` gets the thinking share; otherwise reasoning stays 0 and
 * all output tokens are `output`. Either way output + reasoning = Anthropic's output_tokens.
 */
import type { Usage } from '../../canonical/types.js';
import { isObject, num } from './wire.js';

/** The buckets an Anthropic usage object states (absent fields are left out). */
export function usageFromAnthropic(raw: unknown): Partial<Usage> {
  const out: Partial<Usage> = {};
  if (!isObject(raw)) return out;
  const input = num(raw.input_tokens);
  const cacheRead = num(raw.cache_read_input_tokens);
  const cacheWrite = num(raw.cache_creation_input_tokens);
  const output = num(raw.output_tokens);
  if (input !== undefined) out.input = input;
  if (cacheRead !== undefined) out.cacheRead = cacheRead;
  if (cacheWrite !== undefined) out.cacheWrite = cacheWrite;
  if (output !== undefined) {
    const details = raw.output_tokens_details;
    const thinking = isObject(details) ? num(details.thinking_tokens) : undefined;
    if (thinking !== undefined && thinking <= output) {
      out.output = output - thinking;
      out.reasoning = thinking;
    } else {
      out.output = output;
      out.reasoning = 0;
    }
  }
  return out;
}

export function completeUsage(partial: Partial<Usage>): Usage {
  return {
    input: partial.input ?? 0,
    cacheRead: partial.cacheRead ?? 0,
    cacheWrite: partial.cacheWrite ?? 0,
    output: partial.output ?? 0,
    reasoning: partial.reasoning ?? 0,
  };
}

export interface AnthropicUsageWire {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
  output_tokens_details?: { thinking_tokens: number };
}

/** Canonical -> Anthropic: output_tokens = output + reasoning (Anthropic counts thinking as output). */
export function usageToAnthropic(u: Usage): AnthropicUsageWire {
  const wire: AnthropicUsageWire = {
    input_tokens: u.input,
    cache_creation_input_tokens: u.cacheWrite,
    cache_read_input_tokens: u.cacheRead,
    output_tokens: u.output + u.reasoning,
  };
  if (u.reasoning > 0) wire.output_tokens_details = { thinking_tokens: u.reasoning };
  return wire;
}
