/**
 * Usage in the five buckets, out of each dialect's own usage object (checklist §10):
 * - OpenAI chat: prompt_tokens includes cached; completion_tokens includes reasoning.
 * - OpenAI Responses: input_tokens includes cached; output_tokens includes reasoning.
 * - Anthropic: input_tokens excludes cache read and write; output_tokens includes thinking.
 * - Gemini: promptTokenCount includes cached; candidatesTokenCount excludes thoughts.
 */
import type { Usage } from '../canonical/types.js';

type Obj = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

export function usageFromOpenAiChat(u: unknown): Usage {
  const o = obj(u);
  const cached = num(obj(o.prompt_tokens_details).cached_tokens);
  const reasoning = num(obj(o.completion_tokens_details).reasoning_tokens);
  return {
    input: Math.max(0, num(o.prompt_tokens) - cached),
    cacheRead: cached,
    cacheWrite: 0,
    output: Math.max(0, num(o.completion_tokens) - reasoning),
    reasoning,
  };
}

export function usageFromOpenAiResponses(u: unknown): Usage {
  const o = obj(u);
  const cached = num(obj(o.input_tokens_details).cached_tokens);
  const reasoning = num(obj(o.output_tokens_details).reasoning_tokens);
  return {
    input: Math.max(0, num(o.input_tokens) - cached),
    cacheRead: cached,
    cacheWrite: 0,
    output: Math.max(0, num(o.output_tokens) - reasoning),
    reasoning,
  };
}

export function usageFromAnthropic(u: unknown): Partial<Usage> {
  const o = obj(u);
  const out: Partial<Usage> = {};
  if ('input_tokens' in o) out.input = num(o.input_tokens);
  if ('cache_read_input_tokens' in o) out.cacheRead = num(o.cache_read_input_tokens);
  if ('cache_creation_input_tokens' in o) out.cacheWrite = num(o.cache_creation_input_tokens);
  if ('output_tokens' in o) out.output = num(o.output_tokens);
  return out;
}

export function usageFromGemini(u: unknown): Usage {
  const o = obj(u);
  const cached = num(o.cachedContentTokenCount);
  return {
    input: Math.max(0, num(o.promptTokenCount) + num(o.toolUsePromptTokenCount) - cached),
    cacheRead: cached,
    cacheWrite: 0,
    output: num(o.candidatesTokenCount),
    reasoning: num(o.thoughtsTokenCount),
  };
}

/** Later figures replace earlier ones bucket by bucket (stream usage is cumulative). */
export function mergeUsage(into: Usage, next: Partial<Usage>): Usage {
  if (next.input !== undefined) into.input = next.input;
  if (next.cacheRead !== undefined) into.cacheRead = next.cacheRead;
  if (next.cacheWrite !== undefined) into.cacheWrite = next.cacheWrite;
  if (next.output !== undefined) into.output = next.output;
  if (next.reasoning !== undefined) into.reasoning = next.reasoning;
  return into;
}

export function emptyUsage(): Usage {
  return { input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0 };
}

export function totalTokens(u: Usage): number {
  return u.input + u.cacheRead + u.cacheWrite + u.output + u.reasoning;
}
