/**
 * OpenAI chat usage <-> canonical five buckets.
 *
 * OpenAI: `prompt_tokens` includes cached tokens (`prompt_tokens_details.cached_tokens`);
 * `completion_tokens` includes reasoning (`completion_tokens_details.reasoning_tokens`).
 * Canonical: `input` excludes cache reads/writes, `output` excludes reasoning.
 */
import type { Usage } from '../../canonical/types.js';
import { isObject, num } from './json.js';

/**
 * Decode an upstream `usage` object. Besides OpenAI's fields this reads the cache counters of
 * OpenAI-compatible providers: DeepSeek's `prompt_cache_hit_tokens` and OpenRouter's
 * `prompt_tokens_details.cache_write_tokens` (both counted inside `prompt_tokens`).
 */
export function decodeUsage(raw: unknown): Usage | undefined {
  if (!isObject(raw)) return undefined;
  const prompt = num(raw.prompt_tokens) ?? 0;
  const completion = num(raw.completion_tokens) ?? 0;
  const pd = isObject(raw.prompt_tokens_details) ? raw.prompt_tokens_details : undefined;
  const cd = isObject(raw.completion_tokens_details) ? raw.completion_tokens_details : undefined;
  const cacheRead = num(pd?.cached_tokens) ?? num(raw.prompt_cache_hit_tokens) ?? 0;
  const cacheWrite = num(pd?.cache_write_tokens) ?? 0;
  const reasoning = num(cd?.reasoning_tokens) ?? 0;
  return {
    input: Math.max(0, prompt - cacheRead - cacheWrite),
    cacheRead,
    cacheWrite,
    output: Math.max(0, completion - reasoning),
    reasoning,
  };
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

/** Canonical -> OpenAI chat usage (cache writes have no field of their own: they count as prompt). */
export function encodeUsage(u: Partial<Usage>): ChatUsage {
  const prompt = (u.input ?? 0) + (u.cacheRead ?? 0) + (u.cacheWrite ?? 0);
  const completion = (u.output ?? 0) + (u.reasoning ?? 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: u.cacheRead ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
  };
}
