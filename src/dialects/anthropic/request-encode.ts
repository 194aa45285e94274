/**
 * CanonicalRequest -> Anthropic Messages request body (for an Anthropic upstream).
 *
 * Parameters Anthropic cannot express are reported in `dropped`: logprobs, top_logprobs, seed,
 * presence_penalty, frequency_penalty, metadata (OpenAI's), prompt_cache_key, message `name`,
 * other vendors' built-in tools. n > 1 cannot be expressed at all and is a 400.
 *
 * Choices written down here:
 * - temperature is clamped to Anthropic's [0, 1]; "temperature" is reported only when the value
 *   had to change.
 * - When thinking runs for a translated request, Anthropic rejects temperature (other than 1),
 *   top_k and top_p below 0.95: they are left out and reported. Thinking derived from an effort is
 *   left out (and "reasoning" reported) when tool_choice forces a tool, which Anthropic rejects
 *   together with thinking.
 * - response_format json_schema -> native structured outputs, `output_config.format
 *   {type: "json_schema", schema}`; the model answers with the JSON as text, so responses need no
 *   unwrapping. json_object has no native form: an instruction asking for one JSON object and
 *   nothing else is appended to the system prompt (not reported as dropped).
 * - Whitespace-only stop sequences (rejected by Anthropic) are left out and "stop" reported.
 * - user -> metadata.user_id.
 * - From an Anthropic client, unknownFields are copied back (objects merged into what was built,
 *   e.g. output_config.effort "max"); from any other dialect each is reported as dropped.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type { CanonicalRequest } from '../../canonical/types.js';
import type { EncodedRequest, RequestEncodeOptions } from '../types.js';
import type { Dropped } from './content-encode.js';
import { encodeMessages } from './message-encode.js';
import { planThinking } from './reasoning-encode.js';
import { encodeTools } from './tools-encode.js';
import { isObject, type JsonObject } from './wire.js';

export const JSON_OBJECT_INSTRUCTION =
  'Respond with a single valid JSON object and nothing else: no prose, no code fences.';

function encodeSampling(req: CanonicalRequest, thinkingActive: boolean, body: JsonObject, dropped: Dropped): void {
  const guard = thinkingActive && req.sourceDialect !== 'anthropic';
  if (req.temperature !== undefined) {
    const t = Math.min(1, Math.max(0, req.temperature));
    if (guard && t !== 1) dropped.add('temperature');
    else {
      if (t !== req.temperature) dropped.add('temperature');
      body.temperature = t;
    }
  }
  if (req.topP !== undefined) {
    if (guard && req.topP < 0.95) dropped.add('top_p');
    else body.top_p = req.topP;
  }
  if (req.topK !== undefined) {
    if (guard) dropped.add('top_k');
    else body.top_k = req.topK;
  }
  if (req.stop !== undefined) {
    const stop = req.stop.filter((s) => s.trim().length > 0);
    if (stop.length !== req.stop.length) dropped.add('stop');
    if (stop.length > 0) body.stop_sequences = stop;
  }
}

function reportUnsupported(req: CanonicalRequest, dropped: Dropped): void {
  if (req.n !== undefined && req.n > 1) {
    throw invalidRequest("n: this model's provider (Anthropic) returns one choice per request; send n = 1", 'n');
  }
  if (req.logprobs) dropped.add('logprobs');
  if (req.topLogprobs !== undefined) dropped.add('top_logprobs');
  if (req.seed !== undefined) dropped.add('seed');
  if (req.presencePenalty !== undefined) dropped.add('presence_penalty');
  if (req.frequencyPenalty !== undefined) dropped.add('frequency_penalty');
  if (req.metadata !== undefined && Object.keys(req.metadata).length > 0) dropped.add('metadata');
  if (req.promptCacheKey !== undefined) dropped.add('prompt_cache_key');
}

function mergeUnknown(req: CanonicalRequest, body: JsonObject, dropped: Dropped): void {
  const unknown = req.unknownFields;
  if (!unknown) return;
  for (const [key, value] of Object.entries(unknown)) {
    if (req.sourceDialect !== 'anthropic') {
      dropped.add(key);
      continue;
    }
    const existing = body[key];
    if (isObject(existing) && isObject(value)) body[key] = { ...existing, ...value };
    else if (existing === undefined) body[key] = value;
  }
}

export function encodeAnthropicRequest(req: CanonicalRequest, opts: RequestEncodeOptions): EncodedRequest {
  const dropped: Dropped = new Set();
  reportUnsupported(req, dropped);

  const { system, messages } = encodeMessages(req, dropped);
  const { tools, toolChoice } = encodeTools(req, dropped);
  const plan = planThinking(req);
  const forcesTool = toolChoice !== undefined && (toolChoice.type === 'any' || toolChoice.type === 'tool');
  if (plan.derived && forcesTool) {
    delete plan.thinking;
    plan.active = false;
    dropped.add('reasoning');
  }

  const body: JsonObject = { model: opts.upstreamModel, max_tokens: plan.maxTokens };
  if (req.responseFormat?.type === 'json_object') system.push({ type: 'text', text: JSON_OBJECT_INSTRUCTION });
  if (system.length > 0) body.system = system;
  body.messages = messages;
  if (tools) body.tools = tools;
  if (toolChoice) body.tool_choice = toolChoice;
  if (plan.thinking) body.thinking = plan.thinking;

  const outputConfig: JsonObject = {};
  if (plan.effort !== undefined) outputConfig.effort = plan.effort;
  if (req.responseFormat?.type === 'json_schema') {
    outputConfig.format = { type: 'json_schema', schema: req.responseFormat.schema };
  }
  if (Object.keys(outputConfig).length > 0) body.output_config = outputConfig;

  encodeSampling(req, plan.active, body, dropped);
  if (req.user !== undefined) body.metadata = { user_id: req.user };
  if (req.stream) body.stream = true;
  mergeUnknown(req, body, dropped);
  return { body, dropped: [...dropped] };
}
