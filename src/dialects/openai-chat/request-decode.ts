/** An OpenAI Chat Completions request body -> CanonicalRequest. */
import { invalidRequest } from '../../canonical/errors.js';
import type { CanonicalRequest, ReasoningEffort } from '../../canonical/types.js';
import type { RequestDecodeContext } from '../types.js';
import { isObject } from './json.js';
import { decodeMessages } from './messages-decode.js';
import {
  decodeFunctionCall,
  decodeResponseFormat,
  decodeToolChoice,
  decodeTools,
} from './tools-decode.js';

/** Top-level fields with a canonical home; every other field goes to unknownFields. */
const KNOWN = new Set([
  'model', 'messages', 'tools', 'functions', 'tool_choice', 'function_call', 'parallel_tool_calls',
  'response_format', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'stop', 'seed',
  'presence_penalty', 'frequency_penalty', 'n', 'logprobs', 'top_logprobs', 'reasoning_effort',
  'user', 'metadata', 'prompt_cache_key', 'stream', 'stream_options',
]);

const EFFORTS = new Set<string>(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);

function optNumber(body: Record<string, unknown>, key: string, integer = false): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw invalidRequest(`Invalid type for '${key}': expected ${integer ? 'an integer' : 'a number'}.`, key);
  }
  return v;
}

function optBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidRequest(`Invalid type for '${key}': expected a boolean.`, key);
  return v;
}

function optString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidRequest(`Invalid type for '${key}': expected a string.`, key);
  return v;
}

function decodeStop(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((s): s is string => typeof s === 'string')) return v;
  throw invalidRequest("Invalid type for 'stop': expected a string or an array of strings.", 'stop');
}

function decodeMetadata(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw invalidRequest("Invalid type for 'metadata': expected an object of strings.", 'metadata');
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') {
      throw invalidRequest(`Invalid type for 'metadata.${k}': expected a string.`, `metadata.${k}`);
    }
    out[k] = val;
  }
  return out;
}

export function decodeRequest(body: unknown, ctx?: RequestDecodeContext): CanonicalRequest {
  if (!isObject(body)) throw invalidRequest('The request body must be a JSON object.');
  const model = body.model ?? ctx?.model;
  if (model === undefined || model === null || model === '') {
    throw invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  }
  if (typeof model !== 'string') throw invalidRequest("Invalid type for 'model': expected a string.", 'model');

  const stream = optBoolean(body, 'stream') ?? ctx?.stream ?? false;
  const req: CanonicalRequest = {
    model,
    messages: decodeMessages(body.messages),
    stream,
    sourceDialect: 'openai-chat',
  };

  const { tools, builtinTools } = decodeTools(body.tools, body.functions);
  if (tools.length > 0) req.tools = tools;
  if (builtinTools.length > 0) req.builtinTools = builtinTools;
  const toolChoice = decodeToolChoice(body.tool_choice) ?? decodeFunctionCall(body.function_call);
  if (toolChoice) req.toolChoice = toolChoice;
  const parallel = optBoolean(body, 'parallel_tool_calls');
  if (parallel !== undefined) req.parallelToolCalls = parallel;
  const rf = decodeResponseFormat(body.response_format);
  if (rf) req.responseFormat = rf;

  // max_completion_tokens is the current name; max_tokens the deprecated one. If both, the newer wins.
  const maxTokens = optNumber(body, 'max_completion_tokens', true) ?? optNumber(body, 'max_tokens', true);
  if (maxTokens !== undefined) req.maxTokens = maxTokens;
  const numbers = [
    ['temperature', 'temperature'],
    ['top_p', 'topP'],
    ['presence_penalty', 'presencePenalty'],
    ['frequency_penalty', 'frequencyPenalty'],
  ] as const;
  for (const [wire, key] of numbers) {
    const v = optNumber(body, wire);
    if (v !== undefined) req[key] = v;
  }
  const seed = optNumber(body, 'seed', true);
  if (seed !== undefined) req.seed = seed;
  const n = optNumber(body, 'n', true);
  if (n !== undefined) req.n = n;
  const topLogprobs = optNumber(body, 'top_logprobs', true);
  if (topLogprobs !== undefined) req.topLogprobs = topLogprobs;
  const logprobs = optBoolean(body, 'logprobs');
  if (logprobs !== undefined) req.logprobs = logprobs;
  const stop = decodeStop(body.stop);
  if (stop) req.stop = stop;

  const effort = optString(body, 'reasoning_effort');
  if (effort !== undefined) {
    if (!EFFORTS.has(effort)) {
      throw invalidRequest(
        "Invalid value for 'reasoning_effort': expected none, minimal, low, medium, high or xhigh.",
        'reasoning_effort',
      );
    }
    req.reasoning = { effort: effort as ReasoningEffort };
    if (effort === 'none') req.reasoning.enabled = false;
  }

  const user = optString(body, 'user');
  if (user !== undefined) req.user = user;
  const metadata = decodeMetadata(body.metadata);
  if (metadata) req.metadata = metadata;
  const cacheKey = optString(body, 'prompt_cache_key');
  if (cacheKey !== undefined) req.promptCacheKey = cacheKey;

  const unknown: Record<string, unknown> = {};
  const so = body.stream_options;
  if (so !== undefined && so !== null) {
    if (!isObject(so)) throw invalidRequest("Invalid type for 'stream_options': expected an object.", 'stream_options');
    if (so.include_usage === true) req.streamIncludeUsage = true;
    // Other stream options (e.g. include_obfuscation) ride along for a same-dialect upstream.
    const { include_usage: _ignored, ...rest } = so;
    if (Object.keys(rest).length > 0) unknown.stream_options = rest;
  }
  for (const key of Object.keys(body)) {
    if (!KNOWN.has(key)) unknown[key] = body[key];
  }
  if (Object.keys(unknown).length > 0) req.unknownFields = unknown;
  return req;
}
