/**
 * A Responses API request body (`POST /v1/responses`) -> CanonicalRequest.
 *
 * Precedence of instructions: `instructions` becomes the first (system) message; the input's own
 * system/developer items follow in place. Parameters with no canonical field (include, store,
 * previous_response_id, truncation, service_tier, client_metadata, top_logprobs, background,
 * conversation, safety_identifier, prompt, stream_options, unrecognised tool_choice forms, and
 * `text` keys other than `format` such as `verbosity`) are kept in `unknownFields`: a Responses
 * upstream gets them back verbatim, the gateway decides about previous_response_id, and other
 * targets report them as dropped.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type {
  CanonicalRequest,
  ReasoningConfig,
  ReasoningEffort,
  ResponseFormat,
} from '../../canonical/types.js';
import type { RequestDecodeContext } from '../types.js';
import {
  isAbsent,
  isRecord,
  optBoolean,
  optInteger,
  optNumber,
  optRecord,
  optString,
  reqString,
  type JsonObject,
} from './guards.js';
import { decodeInput } from './input-decode.js';
import { decodeToolChoice, decodeTools } from './tools.js';

const EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];
const SUMMARIES = ['auto', 'concise', 'detailed'] as const;

/** Top-level fields this decoder maps onto canonical fields. */
const MAPPED = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'text',
  'max_output_tokens',
  'temperature',
  'top_p',
  'reasoning',
  'prompt_cache_key',
  'user',
  'metadata',
  'stream',
]);

function decodeFormat(format: unknown): ResponseFormat | undefined {
  if (isAbsent(format)) return undefined;
  if (!isRecord(format)) throw invalidRequest('text.format must be an object', 'text.format');
  switch (format.type) {
    case 'text':
      return { type: 'text' };
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      const schema = optRecord(format.schema, 'text.format.schema');
      if (schema === undefined) throw invalidRequest('text.format.schema is required', 'text.format.schema');
      const out: ResponseFormat = {
        type: 'json_schema',
        name: reqString(format.name, 'text.format.name'),
        schema,
      };
      const strict = optBoolean(format.strict, 'text.format.strict');
      if (strict !== undefined) out.strict = strict;
      const description = optString(format.description, 'text.format.description');
      if (description !== undefined) out.description = description;
      return out;
    }
    default:
      throw invalidRequest('text.format.type must be text, json_object or json_schema', 'text.format.type');
  }
}

function decodeReasoning(value: unknown): ReasoningConfig | undefined {
  const r = optRecord(value, 'reasoning');
  if (r === undefined) return undefined;
  const out: ReasoningConfig = {};
  if (!isAbsent(r.effort)) {
    if (!EFFORTS.includes(r.effort as ReasoningEffort)) {
      throw invalidRequest(`reasoning.effort must be one of ${EFFORTS.join(', ')}`, 'reasoning.effort');
    }
    out.effort = r.effort as ReasoningEffort;
  }
  // generate_summary is the deprecated name of summary
  const summary = isAbsent(r.summary) ? r.generate_summary : r.summary;
  if (!isAbsent(summary)) {
    if (!(SUMMARIES as readonly unknown[]).includes(summary)) {
      throw invalidRequest(`reasoning.summary must be one of ${SUMMARIES.join(', ')}`, 'reasoning.summary');
    }
    out.summary = summary as ReasoningConfig['summary'];
    out.includeThoughts = true;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function decodeMetadata(value: unknown): Record<string, string> | undefined {
  const m = optRecord(value, 'metadata');
  if (m === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) {
    if (typeof v !== 'string') throw invalidRequest(`metadata.${k} must be a string`, `metadata.${k}`);
    out[k] = v;
  }
  return out;
}

export function decodeRequest(body: unknown, ctx: RequestDecodeContext = {}): CanonicalRequest {
  if (!isRecord(body)) throw invalidRequest('The request body must be a JSON object');
  const model = optString(body.model, 'model') ?? ctx.model;
  if (model === undefined || model === '') throw invalidRequest('model is required', 'model');

  const messages = decodeInput(body.input);
  const instructions = optString(body.instructions, 'instructions');
  if (instructions !== undefined && instructions !== '') {
    messages.unshift({ role: 'system', content: [{ type: 'text', text: instructions }] });
  }

  const req: CanonicalRequest = {
    model,
    messages,
    stream: optBoolean(body.stream, 'stream') ?? ctx.stream ?? false,
    sourceDialect: 'openai-responses',
  };
  const unknown: JsonObject = {};

  const { tools, builtinTools } = decodeTools(body.tools);
  if (tools.length > 0) req.tools = tools;
  if (builtinTools.length > 0) req.builtinTools = builtinTools;

  if (!isAbsent(body.tool_choice)) {
    const choice = decodeToolChoice(body.tool_choice);
    if (choice !== undefined) req.toolChoice = choice;
    else unknown.tool_choice = body.tool_choice;
  }
  const parallel = optBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  if (parallel !== undefined) req.parallelToolCalls = parallel;

  const text = optRecord(body.text, 'text');
  if (text !== undefined) {
    const format = decodeFormat(text.format);
    if (format !== undefined) req.responseFormat = format;
    const { format: _format, ...rest } = text;
    if (Object.keys(rest).length > 0) unknown.text = rest;
  }

  const maxTokens = optInteger(body.max_output_tokens, 'max_output_tokens', 1);
  if (maxTokens !== undefined) req.maxTokens = maxTokens;
  const temperature = optNumber(body.temperature, 'temperature');
  if (temperature !== undefined) req.temperature = temperature;
  const topP = optNumber(body.top_p, 'top_p');
  if (topP !== undefined) req.topP = topP;
  const reasoning = decodeReasoning(body.reasoning);
  if (reasoning !== undefined) req.reasoning = reasoning;
  const cacheKey = optString(body.prompt_cache_key, 'prompt_cache_key');
  if (cacheKey !== undefined) req.promptCacheKey = cacheKey;
  const user = optString(body.user, 'user');
  if (user !== undefined) req.user = user;
  const metadata = decodeMetadata(body.metadata);
  if (metadata !== undefined) req.metadata = metadata;

  for (const [key, value] of Object.entries(body)) {
    // null means "not set" on the wire: nothing to carry or to report as dropped
    if (!MAPPED.has(key) && !isAbsent(value)) unknown[key] = value;
  }
  if (Object.keys(unknown).length > 0) req.unknownFields = unknown;
  return req;
}
