/**
 * Responses usage <-> canonical buckets. On the wire `input_tokens` includes cached tokens and
 * `output_tokens` includes reasoning tokens; canonical `input` / `output` exclude them.
 * OpenAI reports no cache writes, so a canonical cache write counts as (uncached) input.
 */
import type { Usage } from '../../canonical/types.js';
import { isRecord, num, rec, type JsonObject } from './guards.js';

export function decodeUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  const input = num(usage, 'input_tokens') ?? 0;
  const output = num(usage, 'output_tokens') ?? 0;
  const inDetails = rec(usage, 'input_tokens_details');
  const outDetails = rec(usage, 'output_tokens_details');
  const cached = (inDetails && num(inDetails, 'cached_tokens')) ?? 0;
  const reasoning = (outDetails && num(outDetails, 'reasoning_tokens')) ?? 0;
  return {
    input: Math.max(0, input - cached),
    cacheRead: cached,
    cacheWrite: 0,
    output: Math.max(0, output - reasoning),
    reasoning,
  };
}

export function encodeUsage(u: Partial<Usage>): JsonObject {
  const input = (u.input ?? 0) + (u.cacheRead ?? 0) + (u.cacheWrite ?? 0);
  const output = (u.output ?? 0) + (u.reasoning ?? 0);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: u.cacheRead ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
    total_tokens: input + output,
  };
}
