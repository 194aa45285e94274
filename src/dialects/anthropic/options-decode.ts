/**
 * Anthropic request options -> canonical: tools, tool_choice, thinking + output_config.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type {
  BuiltinTool,
  ReasoningConfig,
  ReasoningEffort,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from '../../canonical/types.js';
import {
  isObject,
  optionalBoolean,
  optionalInteger,
  optionalString,
  readCacheControl,
  requiredObject,
  requiredString,
  type JsonObject,
} from './wire.js';

export interface DecodedTools {
  tools: ToolDefinition[];
  builtinTools: BuiltinTool[];
}

/**
 * Custom tools (no `type`, or `type: "custom"`) become ToolDefinitions. Anything else with a
 * `type` (web_search_20250305, bash_20250124, text_editor_…, code_execution_…, memory_…) is an
 * Anthropic server / built-in tool and only travels to an Anthropic upstream.
 * Custom-tool fields without a canonical place (defer_loading, input_examples,
 * eager_input_streaming, allowed_callers) are not carried.
 */
export function decodeTools(raw: unknown): DecodedTools {
  const out: DecodedTools = { tools: [], builtinTools: [] };
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) throw invalidRequest('tools: expected an array', 'tools');
  raw.forEach((item, i) => {
    const path = `tools[${i}]`;
    const tool = requiredObject(item, path);
    const type = tool.type;
    if (type !== undefined && type !== null && type !== 'custom') {
      if (typeof type !== 'string') throw invalidRequest(`${path}.type: expected a string`, `${path}.type`);
      out.builtinTools.push({ dialect: 'anthropic', type, value: tool });
      return;
    }
    const name = requiredString(tool, 'name', `${path}.name`);
    const schema = tool.input_schema;
    if (!isObject(schema)) throw invalidRequest(`${path}.input_schema: field required (a JSON Schema object)`, `${path}.input_schema`);
    const def: ToolDefinition = { name, parameters: schema };
    const description = optionalString(tool, 'description', `${path}.description`);
    if (description !== undefined) def.description = description;
    const strict = optionalBoolean(tool, 'strict', `${path}.strict`);
    if (strict !== undefined) def.strict = strict;
    const cc = readCacheControl(tool);
    if (cc) def.cacheControl = cc;
    out.tools.push(def);
  });
  return out;
}

export interface DecodedToolChoice {
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
}

/** `{type: auto|any|tool|none, name?, disable_parallel_tool_use?}` */
export function decodeToolChoice(raw: unknown): DecodedToolChoice {
  if (raw === undefined || raw === null) return {};
  const tc = requiredObject(raw, 'tool_choice');
  const out: DecodedToolChoice = {};
  switch (tc.type) {
    case 'auto':
      out.toolChoice = { type: 'auto' };
      break;
    case 'any':
      out.toolChoice = { type: 'required' };
      break;
    case 'none':
      out.toolChoice = { type: 'none' };
      break;
    case 'tool':
      out.toolChoice = { type: 'tool', name: requiredString(tc, 'name', 'tool_choice.name') };
      break;
    default:
      throw invalidRequest('tool_choice.type: expected "auto", "any", "tool" or "none"', 'tool_choice.type');
  }
  const disable = optionalBoolean(tc, 'disable_parallel_tool_use', 'tool_choice.disable_parallel_tool_use');
  if (disable === true) out.parallelToolCalls = false;
  return out;
}

const EFFORTS: Record<string, ReasoningEffort> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'xhigh',
  // Anthropic's top level has no canonical name: shown as xhigh elsewhere, kept exactly for
  // an Anthropic upstream through unknownFields.output_config (see decodeOutputConfig)
  max: 'xhigh',
};

export interface DecodedReasoning {
  reasoning?: ReasoningConfig;
  responseFormat?: ResponseFormat;
  /** Parts of `thinking` / `output_config` without a canonical field (same-dialect replay). */
  unknown: JsonObject;
}

/**
 * `thinking` and `output_config` -> ReasoningConfig + ResponseFormat.
 *   thinking {type:"enabled", budget_tokens}  -> {enabled: true, budgetTokens}
 *   thinking {type:"adaptive"}                -> {enabled: true} (no budget: the model decides)
 *   thinking {type:"disabled"}                -> {enabled: false}
 *   thinking.display summarized | omitted     -> includeThoughts true | false
 *   output_config.effort                      -> effort
 *   output_config.format {type:"json_schema"} -> responseFormat json_schema (name "output")
 * Any other thinking type is kept verbatim in unknownFields.thinking.
 */
export function decodeReasoning(thinkingRaw: unknown, outputConfigRaw: unknown): DecodedReasoning {
  const out: DecodedReasoning = { unknown: {} };
  const reasoning: ReasoningConfig = {};
  let any = false;

  if (thinkingRaw !== undefined && thinkingRaw !== null) {
    const t = requiredObject(thinkingRaw, 'thinking');
    switch (t.type) {
      case 'enabled': {
        const budget = optionalInteger(t, 'budget_tokens', 'thinking.budget_tokens');
        if (budget === undefined) throw invalidRequest('thinking.budget_tokens: field required', 'thinking.budget_tokens');
        reasoning.enabled = true;
        reasoning.budgetTokens = budget;
        any = true;
        break;
      }
      case 'adaptive':
        reasoning.enabled = true;
        any = true;
        break;
      case 'disabled':
        reasoning.enabled = false;
        any = true;
        break;
      default:
        if (typeof t.type !== 'string') throw invalidRequest('thinking.type: field required', 'thinking.type');
        out.unknown.thinking = t;
    }
    if (any && t.display === 'summarized') reasoning.includeThoughts = true;
    if (any && t.display === 'omitted') reasoning.includeThoughts = false;
  }

  if (outputConfigRaw !== undefined && outputConfigRaw !== null) {
    const oc = requiredObject(outputConfigRaw, 'output_config');
    const rest: JsonObject = {};
    for (const [key, value] of Object.entries(oc)) {
      if (key === 'effort' && value !== null && value !== undefined) {
        const effort = typeof value === 'string' ? EFFORTS[value] : undefined;
        if (effort === undefined) {
          throw invalidRequest('output_config.effort: expected "low", "medium", "high", "xhigh" or "max"', 'output_config.effort');
        }
        reasoning.effort = effort;
        any = true;
        if (value === 'max') rest.effort = 'max';
      } else if (key === 'format' && value !== null && value !== undefined) {
        const f = requiredObject(value, 'output_config.format');
        if (f.type !== 'json_schema' || !isObject(f.schema)) {
          throw invalidRequest('output_config.format: expected {type: "json_schema", schema: {...}}', 'output_config.format');
        }
        out.responseFormat = { type: 'json_schema', name: 'output', schema: f.schema };
      } else if (value !== null && value !== undefined) {
        rest[key] = value;
      }
    }
    if (Object.keys(rest).length > 0) out.unknown.output_config = rest;
  }

  if (any) out.reasoning = reasoning;
  return out;
}
