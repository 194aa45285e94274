/**
 * Responses tools and tool_choice <-> canonical.
 *
 * Function tools are flat (`{type: "function", name, description, parameters, strict}`).
 * `strict` is kept exactly as given: when a Responses client leaves it out it stays undefined
 * (OpenAI then applies its own default, strict when the schema allows it). Chat Completions,
 * Anthropic and Gemini tools are not strict, so a request from those dialects is encoded with an
 * explicit `strict: false` to keep its meaning on a Responses upstream.
 *
 * Every other tool type (web_search, file_search, code_interpreter, computer_use_preview, mcp,
 * namespace, custom, local_shell, shell, apply_patch, image_generation, …) is a built-in for this
 * dialect only and rides in `builtinTools`.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type { BuiltinTool, CanonicalRequest, ToolChoice, ToolDefinition } from '../../canonical/types.js';
import { isAbsent, isRecord, optBoolean, optString, reqString, type JsonObject } from './guards.js';

export interface DecodedTools {
  tools: ToolDefinition[];
  builtinTools: BuiltinTool[];
}

export function decodeTools(value: unknown): DecodedTools {
  const out: DecodedTools = { tools: [], builtinTools: [] };
  if (isAbsent(value)) return out;
  if (!Array.isArray(value)) throw invalidRequest('tools must be an array', 'tools');
  value.forEach((tool, i) => {
    const param = `tools[${i}]`;
    if (!isRecord(tool)) throw invalidRequest(`${param} must be an object`, param);
    const type = reqString(tool.type, `${param}.type`);
    if (type !== 'function') {
      out.builtinTools.push({ dialect: 'openai-responses', type, value: tool });
      return;
    }
    const def: ToolDefinition = {
      name: reqString(tool.name, `${param}.name`),
      parameters: decodeParameters(tool.parameters, `${param}.parameters`),
    };
    const description = optString(tool.description, `${param}.description`);
    if (description !== undefined) def.description = description;
    const strict = optBoolean(tool.strict, `${param}.strict`);
    if (strict !== undefined) def.strict = strict;
    out.tools.push(def);
  });
  return out;
}

function decodeParameters(value: unknown, param: string): Record<string, unknown> {
  if (isAbsent(value)) return { type: 'object', properties: {} };
  if (!isRecord(value)) throw invalidRequest(`${param} must be a JSON Schema object`, param);
  return value;
}

/**
 * tool_choice -> canonical. Returns undefined for forms canonical cannot express (hosted tool
 * types, mcp, custom, …): the caller keeps those in `unknownFields`.
 */
export function decodeToolChoice(value: unknown): ToolChoice | undefined {
  if (value === 'auto' || value === 'none' || value === 'required') return { type: value };
  if (typeof value === 'string') {
    throw invalidRequest('tool_choice must be "auto", "none", "required" or an object', 'tool_choice');
  }
  if (!isRecord(value)) throw invalidRequest('tool_choice must be a string or an object', 'tool_choice');
  if (value.type === 'function') return { type: 'tool', name: reqString(value.name, 'tool_choice.name') };
  if (value.type === 'allowed_tools') {
    const mode = value.mode;
    if (mode !== 'auto' && mode !== 'required') {
      throw invalidRequest('tool_choice.mode must be "auto" or "required"', 'tool_choice.mode');
    }
    if (!Array.isArray(value.tools)) throw invalidRequest('tool_choice.tools must be an array', 'tool_choice.tools');
    // only function entries can be expressed; any other entry keeps the whole choice opaque
    const names: string[] = [];
    for (const t of value.tools) {
      if (!isRecord(t) || t.type !== 'function' || typeof t.name !== 'string') return undefined;
      names.push(t.name);
    }
    return { type: 'allowed', names, mode };
  }
  return undefined;
}

export function encodeToolChoice(choice: ToolChoice): string | JsonObject {
  switch (choice.type) {
    case 'auto':
    case 'none':
    case 'required':
      return choice.type;
    case 'tool':
      return { type: 'function', name: choice.name };
    case 'allowed':
      return {
        type: 'allowed_tools',
        mode: choice.mode,
        tools: choice.names.map((name) => ({ type: 'function', name })),
      };
  }
}

/**
 * Function tools for the wire. `strictDefault` fills an absent `strict` (false for requests
 * from non-strict dialects, undefined to leave OpenAI's default alone).
 */
export function encodeFunctionTools(
  tools: readonly ToolDefinition[],
  strictDefault: boolean | null | undefined,
): JsonObject[] {
  return tools.map((t) => {
    const out: JsonObject = { type: 'function', name: t.name };
    if (t.description !== undefined) out.description = t.description;
    out.parameters = t.parameters;
    const strict = t.strict ?? strictDefault;
    if (strict !== undefined) out.strict = strict;
    return out;
  });
}

/** The tools a request carries, as a Responses client would see them echoed back. */
export function echoTools(req: CanonicalRequest): JsonObject[] {
  const out = encodeFunctionTools(req.tools ?? [], null);
  for (const b of req.builtinTools ?? []) if (b.dialect === 'openai-responses') out.push(b.value);
  return out;
}
