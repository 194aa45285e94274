/**
 * Gemini `usageMetadata` <-> the five canonical buckets.
 * - `promptTokenCount` includes cached tokens: input = prompt + toolUsePrompt - cachedContent.
 * - `candidatesTokenCount` excludes thoughts: output = candidates, reasoning = thoughts.
 * Encoding: promptTokenCount = input + cacheRead + cacheWrite, candidatesTokenCount = output,
 * thoughtsTokenCount = reasoning and cachedContentTokenCount = cacheRead (both omitted when 0),
 * totalTokenCount = prompt + candidates + thoughts.
 */
import type { Usage } from '../../canonical/types.js';
import { isObject, num, type JsonObject } from './wire.js';

export function decodeUsage(value: unknown): Usage {
  if (!isObject(value)) return { input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0 };
  const cached = num(value.cachedContentTokenCount);
  const prompt = num(value.promptTokenCount) + num(value.toolUsePromptTokenCount);
  return {
    input: Math.max(0, prompt - cached),
    cacheRead: cached,
    cacheWrite: 0,
    output: num(value.candidatesTokenCount),
    reasoning: num(value.thoughtsTokenCount),
  };
}

export function encodeUsage(usage: Partial<Usage>): JsonObject {
  const prompt = (usage.input ?? 0) + (usage.cacheRead ?? 0) + (usage.cacheWrite ?? 0);
  const output = usage.output ?? 0;
  const reasoning = usage.reasoning ?? 0;
  const out: JsonObject = { promptTokenCount: prompt, candidatesTokenCount: output };
  if (reasoning > 0) out.thoughtsTokenCount = reasoning;
  if ((usage.cacheRead ?? 0) > 0) out.cachedContentTokenCount = usage.cacheRead;
  out.totalTokenCount = prompt + output + reasoning;
  return out;
}
