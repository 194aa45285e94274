/**
 * CanonicalRequest -> a `POST /v1/responses` body for an OpenAI (or Azure OpenAI) upstream.
 *
 * Choices written down here:
 * - No `n`: n > 1 is refused with a 400 (one request per choice is the client's call).
 * - No stop, seed, top_k, penalties or logprobs on Responses: reported in `dropped`.
 * - `reasoning.budgetTokens` without an effort maps to an effort: < 4096 low, < 16384 medium,
 *   otherwise high. An explicit "thinking off" cannot be expressed for every OpenAI model
 *   (some take "none", others "minimal"), so it is left to the model default and reported
 *   as dropped `reasoning.enabled`.
 * - `include` / `store` are never invented: they only reach the upstream from a Responses
 *   client's own body (via `unknownFields`).
 */
import { invalidRequest } from '../../canonical/errors.js';
import type {
  CanonicalRequest,
  ReasoningConfig,
  ReasoningEffort,
  ResponseFormat,
} from '../../canonical/types.js';
import type { EncodedRequest, RequestEncodeOptions } from '../types.js';
import { isRecord, type JsonObject } from './guards.js';
import { encodeInput } from './input-encode.js';
import { encodeFunctionTools, encodeToolChoice } from './tools.js';

export function effortForBudget(budget: number): ReasoningEffort {
  if (budget < 4096) return 'low';
  if (budget < 16384) return 'medium';
  return 'high';
}

export function encodeFormat(format: ResponseFormat): JsonObject {
  if (format.type !== 'json_schema') return { type: format.type };
  const out: JsonObject = { type: 'json_schema', name: format.name, schema: format.schema };
  if (format.strict !== undefined) out.strict = format.strict;
  if (format.description !== undefined) out.description = format.description;
  return out;
}

function encodeReasoning(r: ReasoningConfig, dropped: string[]): JsonObject | undefined {
  const out: JsonObject = {};
  const off = r.enabled === false || (r.budgetTokens !== undefined && r.budgetTokens <= 0);
  if (r.effort !== undefined) out.effort = r.effort;
  else if (off) dropped.push('reasoning.enabled');
  else if (r.budgetTokens !== undefined) out.effort = effortForBudget(r.budgetTokens);
  const summary = r.summary ?? (r.includeThoughts === true && !off ? 'auto' : undefined);
  if (summary !== undefined) out.summary = summary;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Parameters Responses has no field for. */
function dropUnsupported(req: CanonicalRequest, dropped: string[]): void {
  if (req.topK !== undefined) dropped.push('top_k');
  if (req.stop !== undefined && req.stop.length > 0) dropped.push('stop');
  if (req.seed !== undefined) dropped.push('seed');
  if (req.presencePenalty !== undefined) dropped.push('presence_penalty');
  if (req.frequencyPenalty !== undefined) dropped.push('frequency_penalty');
  if (req.logprobs === true) dropped.push('logprobs');
  if (req.topLogprobs !== undefined) dropped.push('top_logprobs');
}

export function encodeRequest(req: CanonicalRequest, opts: RequestEncodeOptions): EncodedRequest {
  if (req.n !== undefined && req.n > 1) {
    throw invalidRequest('The OpenAI Responses API returns one choice: n must be 1', 'n');
  }
  const same = req.sourceDialect === 'openai-responses';
  const dropped: string[] = [];
  const body: JsonObject = { model: opts.upstreamModel };

  const { instructions, input } = encodeInput(req.messages);
  if (instructions !== undefined) body.instructions = instructions;
  body.input = input;

  // other dialects' function tools are not strict; say so, since Responses may default to strict
  const tools = encodeFunctionTools(req.tools ?? [], same ? undefined : false);
  for (const b of req.builtinTools ?? []) {
    if (b.dialect === 'openai-responses') tools.push(b.value);
    else dropped.push(`tools.${b.type}`);
  }
  if (tools.length > 0) body.tools = tools;
  if (req.toolChoice !== undefined) body.tool_choice = encodeToolChoice(req.toolChoice);
  if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  if (req.responseFormat !== undefined) body.text = { format: encodeFormat(req.responseFormat) };
  if (req.maxTokens !== undefined) body.max_output_tokens = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.reasoning !== undefined) {
    const reasoning = encodeReasoning(req.reasoning, dropped);
    if (reasoning !== undefined) body.reasoning = reasoning;
  }
  if (req.user !== undefined) body.user = req.user;
  if (req.metadata !== undefined) body.metadata = req.metadata;
  if (req.promptCacheKey !== undefined) body.prompt_cache_key = req.promptCacheKey;
  dropUnsupported(req, dropped);
  if (req.stream) body.stream = true;

  for (const [key, value] of Object.entries(req.unknownFields ?? {})) {
    if (!same) dropped.push(key);
    else if (key === 'text' && isRecord(value)) body.text = { ...value, ...(isRecord(body.text) ? body.text : {}) };
    else if (!(key in body)) body[key] = value;
  }
  return { body, dropped };
}
