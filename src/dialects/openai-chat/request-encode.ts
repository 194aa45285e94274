/**
 * CanonicalRequest -> an OpenAI Chat Completions body (OpenAI, Azure OpenAI, OpenAI-compatible).
 *
 * Written-down choices:
 * - Streaming always asks for usage (`stream_options.include_usage`): the gateway counts tokens
 *   on every call, whatever the client asked.
 * - Token limit: `max_completion_tokens` when reasoning is requested or the upstream model is one
 *   of OpenAI's reasoning models (o1/o3/o4…, gpt-5…), which reject `max_tokens` ("Unsupported
 *   parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens'
 *   instead.", recorded from gpt-5-nano); else `max_tokens`, which every OpenAI-compatible
 *   server knows.
 * - Reasoning: `effort` -> `reasoning_effort`; a budget without an effort -> an effort by the
 *   table in reasoning.ts; reasoning switched off without an effort -> nothing (OpenAI has no
 *   "off" value every model accepts).
 * - `n` > 1 is refused: the translated path returns one choice.
 * - `logprobs` / `top_logprobs` are not sent: the canonical response has no place for them, so
 *   they are reported as dropped. `top_k` does not exist in chat.
 * - `parallel_tool_calls` is sent only with tools (OpenAI rejects it otherwise).
 * - Built-in tools are sent only when they came from an OpenAI chat client; others are refused.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type { CanonicalRequest, ToolChoice } from '../../canonical/types.js';
import type { EncodedRequest, RequestEncodeOptions } from '../types.js';
import type { JsonObject } from './json.js';
import { isObject } from './json.js';
import { encodeMessages } from './messages-encode.js';
import { effortForBudget } from './reasoning.js';

function encodeToolChoice(tc: ToolChoice): unknown {
  switch (tc.type) {
    case 'auto':
    case 'none':
    case 'required':
      return tc.type;
    case 'tool':
      return { type: 'function', function: { name: tc.name } };
    case 'allowed':
      return {
        type: 'allowed_tools',
        allowed_tools: {
          mode: tc.mode,
          tools: tc.names.map((name) => ({ type: 'function', function: { name } })),
        },
      };
  }
}

/** OpenAI reasoning model ids (a `provider/` prefix is ignored): o1, o3-mini, o4-mini, gpt-5, gpt-5.1-codex, … */
export function isOpenAiReasoningModel(model: string): boolean {
  const id = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  return /^(o\d|gpt-5)/.test(id);
}

function reasoningEffort(req: CanonicalRequest): string | undefined {
  const r = req.reasoning;
  if (!r) return undefined;
  if (r.effort) return r.effort;
  if (r.enabled === false) return undefined;
  if (r.budgetTokens !== undefined && r.budgetTokens > 0) return effortForBudget(r.budgetTokens);
  return undefined;
}

export function encodeRequest(req: CanonicalRequest, opts: RequestEncodeOptions): EncodedRequest {
  const dropped = new Set<string>();
  const messages = encodeMessages(req, { dropped });
  if (messages.length === 0) {
    // e.g. a Gemini `contents: []` or an Anthropic `messages: []` without a system prompt
    throw invalidRequest("'messages': the request holds no message to send; at least one is required.", 'messages');
  }
  const body: JsonObject = { model: opts.upstreamModel, messages };

  if (req.n !== undefined && req.n > 1) {
    throw invalidRequest('n > 1 is not supported when the request is translated to another provider format; ask for one choice.', 'n');
  }

  const tools: JsonObject[] = [];
  for (const t of req.tools ?? []) {
    const fn: JsonObject = { name: t.name };
    if (t.description !== undefined) fn.description = t.description;
    fn.parameters = t.parameters;
    if (t.strict !== undefined) fn.strict = t.strict;
    if (t.cacheControl) dropped.add('cache_control');
    tools.push({ type: 'function', function: fn });
  }
  for (const b of req.builtinTools ?? []) {
    if (b.dialect !== 'openai-chat') {
      throw invalidRequest(`The built-in tool "${b.type}" is only available on its own provider.`, 'tools');
    }
    tools.push(b.value);
  }
  if (tools.length > 0) {
    body.tools = tools;
    if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  }
  if (req.toolChoice) body.tool_choice = encodeToolChoice(req.toolChoice);

  const rf = req.responseFormat;
  if (rf) {
    if (rf.type === 'json_schema') {
      const js: JsonObject = { name: rf.name, schema: rf.schema };
      if (rf.strict !== undefined) js.strict = rf.strict;
      if (rf.description !== undefined) js.description = rf.description;
      body.response_format = { type: 'json_schema', json_schema: js };
    } else body.response_format = { type: rf.type };
  }

  const effort = reasoningEffort(req);
  if (effort) body.reasoning_effort = effort;
  if (req.maxTokens !== undefined) {
    const completionTokens = effort !== undefined || isOpenAiReasoningModel(opts.upstreamModel);
    body[completionTokens ? 'max_completion_tokens' : 'max_tokens'] = req.maxTokens;
  }
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) dropped.add('top_k');
  if (req.stop && req.stop.length > 0) body.stop = req.stop;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.presencePenalty !== undefined) body.presence_penalty = req.presencePenalty;
  if (req.frequencyPenalty !== undefined) body.frequency_penalty = req.frequencyPenalty;
  if (req.logprobs !== undefined) dropped.add('logprobs');
  if (req.topLogprobs !== undefined) dropped.add('top_logprobs');
  if (req.user !== undefined) body.user = req.user;
  if (req.metadata !== undefined) body.metadata = req.metadata;
  if (req.promptCacheKey !== undefined) body.prompt_cache_key = req.promptCacheKey;

  const unknown = req.unknownFields ?? {};
  if (req.stream) {
    body.stream = true;
    const extra = req.sourceDialect === 'openai-chat' && isObject(unknown.stream_options) ? unknown.stream_options : {};
    body.stream_options = { ...extra, include_usage: true };
  }
  for (const [key, value] of Object.entries(unknown)) {
    if (req.sourceDialect !== 'openai-chat') dropped.add(key);
    else if (key !== 'stream_options' && !(key in body)) body[key] = value;
  }
  return { body, dropped: [...dropped] };
}
