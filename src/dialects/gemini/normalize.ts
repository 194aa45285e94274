/**
 * Gemini's REST API accepts proto field names in snake_case as well as lowerCamelCase, and
 * Google's own curl examples use snake_case (`system_instruction`, `inline_data`, `mime_type`,
 * `function_declarations`, `thinking_config`, …). The decoder reads camelCase only, so a request
 * is first rewritten key by key: only the known Gemini field names below are renamed, and the
 * contents of free-form values (function args and responses, schema property names, labels) are
 * left alone. A request without snake_case keys comes back as the same object (no copy).
 */
import { isObject, type JsonObject } from './wire.js';

const FIELDS = [
  'system_instruction',
  'generation_config',
  'tool_config',
  'safety_settings',
  'cached_content',
  'function_declarations',
  'function_calling_config',
  'allowed_function_names',
  'retrieval_config',
  'inline_data',
  'file_data',
  'mime_type',
  'file_uri',
  'display_name',
  'function_call',
  'function_response',
  'thought_signature',
  'executable_code',
  'code_execution_result',
  'video_metadata',
  'max_output_tokens',
  'top_p',
  'top_k',
  'stop_sequences',
  'candidate_count',
  'response_mime_type',
  'response_schema',
  'response_json_schema',
  'response_modalities',
  'presence_penalty',
  'frequency_penalty',
  'response_logprobs',
  'thinking_config',
  'thinking_budget',
  'thinking_level',
  'include_thoughts',
  'parameters_json_schema',
  'google_search',
  'google_search_retrieval',
  'code_execution',
  'url_context',
  'file_search',
  'property_ordering',
  'any_of',
  'max_items',
  'min_items',
  'max_length',
  'min_length',
  'max_properties',
  'min_properties',
  'media_resolution',
  'speech_config',
];

const CAMEL = new Map(FIELDS.map((f) => [f, f.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())]));

/** Values of these keys are the client's own data: never renamed inside. */
const OPAQUE = new Set(['args', 'response', 'labels', 'parametersJsonSchema', 'responseJsonSchema', 'example', 'default', 'enum']);

function hasSnake(value: unknown, depth: number): boolean {
  if (depth > 64) return false;
  if (Array.isArray(value)) return value.some((v) => hasSnake(v, depth + 1));
  if (!isObject(value)) return false;
  for (const [k, v] of Object.entries(value)) {
    if (CAMEL.has(k)) return true;
    if (OPAQUE.has(CAMEL.get(k) ?? k)) continue;
    if (k === 'properties' && isObject(v)) {
      if (Object.values(v).some((s) => hasSnake(s, depth + 1))) return true;
    } else if (hasSnake(v, depth + 1)) return true;
  }
  return false;
}

function rewrite(value: unknown, depth: number): unknown {
  if (depth > 64) return value;
  if (Array.isArray(value)) return value.map((v) => rewrite(v, depth + 1));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    const key = CAMEL.get(k) ?? k;
    if (OPAQUE.has(key)) out[key] = v;
    else if (key === 'properties' && isObject(v)) {
      const props: JsonObject = {};
      for (const [name, schema] of Object.entries(v)) props[name] = rewrite(schema, depth + 1);
      out[key] = props;
    } else out[key] = rewrite(v, depth + 1);
  }
  return out;
}

export function normalizeFieldNames(body: JsonObject): JsonObject {
  return hasSnake(body, 0) ? (rewrite(body, 0) as JsonObject) : body;
}
