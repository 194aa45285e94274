/** tools / functions / tool_choice / function_call / response_format -> canonical. */
import { invalidRequest } from '../../canonical/errors.js';
import type {
  BuiltinTool,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from '../../canonical/types.js';
import { isObject, str } from './json.js';

const EMPTY_PARAMETERS = { type: 'object', properties: {} };

function decodeFunctionDef(fn: unknown, param: string): ToolDefinition {
  if (!isObject(fn) || typeof fn.name !== 'string' || fn.name === '') {
    throw invalidRequest(`Missing required parameter: '${param}.name'.`, `${param}.name`);
  }
  const def: ToolDefinition = { name: fn.name, parameters: EMPTY_PARAMETERS };
  if (fn.parameters !== undefined && fn.parameters !== null) {
    if (!isObject(fn.parameters)) {
      throw invalidRequest(`Invalid '${param}.parameters': expected a JSON Schema object.`, `${param}.parameters`);
    }
    def.parameters = fn.parameters;
  }
  if (typeof fn.description === 'string') def.description = fn.description;
  if (typeof fn.strict === 'boolean') def.strict = fn.strict;
  return def;
}

export interface DecodedTools {
  tools: ToolDefinition[];
  builtinTools: BuiltinTool[];
}

/** `tools` (function tools; any other type is kept as an OpenAI-chat built-in) plus legacy `functions`. */
export function decodeTools(tools: unknown, functions: unknown): DecodedTools {
  const out: DecodedTools = { tools: [], builtinTools: [] };
  if (tools !== undefined && tools !== null) {
    if (!Array.isArray(tools)) throw invalidRequest("Invalid 'tools': expected an array.", 'tools');
    tools.forEach((t, i) => {
      const p = `tools[${i}]`;
      if (!isObject(t) || typeof t.type !== 'string') {
        throw invalidRequest(`Invalid '${p}': expected {"type": "function", "function": {...}}.`, p);
      }
      if (t.type === 'function') out.tools.push(decodeFunctionDef(t.function, `${p}.function`));
      else out.builtinTools.push({ dialect: 'openai-chat', type: t.type, value: t });
    });
  }
  if (functions !== undefined && functions !== null) {
    if (!Array.isArray(functions)) throw invalidRequest("Invalid 'functions': expected an array.", 'functions');
    functions.forEach((f, i) => out.tools.push(decodeFunctionDef(f, `functions[${i}]`)));
  }
  return out;
}

function namedFunction(v: Record<string, unknown>, param: string): string {
  const fn = v.function;
  const name = isObject(fn) ? str(fn.name) : undefined;
  if (!name) throw invalidRequest(`Missing required parameter: '${param}.function.name'.`, `${param}.function.name`);
  return name;
}

export function decodeToolChoice(raw: unknown): ToolChoice | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (raw === 'none' || raw === 'auto' || raw === 'required') return { type: raw };
  if (isObject(raw)) {
    if (raw.type === 'function') return { type: 'tool', name: namedFunction(raw, 'tool_choice') };
    if (raw.type === 'allowed_tools' && isObject(raw.allowed_tools)) {
      const at = raw.allowed_tools;
      const mode = at.mode === 'required' ? 'required' : 'auto';
      if (!Array.isArray(at.tools)) {
        throw invalidRequest("Invalid 'tool_choice.allowed_tools.tools': expected an array.", 'tool_choice.allowed_tools.tools');
      }
      const names = at.tools.map((t, i) => {
        const p = `tool_choice.allowed_tools.tools[${i}]`;
        if (!isObject(t)) throw invalidRequest(`Invalid '${p}': expected an object.`, p);
        return namedFunction(t, p);
      });
      return { type: 'allowed', names, mode };
    }
  }
  throw invalidRequest(
    `Invalid 'tool_choice': expected "none", "auto", "required" or {"type": "function", "function": {"name": "..."}}.`,
    'tool_choice',
  );
}

/** Legacy `function_call`: "none" | "auto" | {name}. */
export function decodeFunctionCall(raw: unknown): ToolChoice | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (raw === 'none' || raw === 'auto') return { type: raw };
  if (isObject(raw) && typeof raw.name === 'string' && raw.name !== '') return { type: 'tool', name: raw.name };
  throw invalidRequest(`Invalid 'function_call': expected "none", "auto" or {"name": "..."}.`, 'function_call');
}

export function decodeResponseFormat(raw: unknown): ResponseFormat | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (isObject(raw)) {
    if (raw.type === 'text') return { type: 'text' };
    if (raw.type === 'json_object') return { type: 'json_object' };
    if (raw.type === 'json_schema') {
      const js = raw.json_schema;
      if (!isObject(js) || typeof js.name !== 'string') {
        throw invalidRequest(
          "Missing required parameter: 'response_format.json_schema.name'.",
          'response_format.json_schema.name',
        );
      }
      const rf: ResponseFormat = {
        type: 'json_schema',
        name: js.name,
        schema: isObject(js.schema) ? js.schema : {},
      };
      if (typeof js.strict === 'boolean') rf.strict = js.strict;
      if (typeof js.description === 'string') rf.description = js.description;
      return rf;
    }
  }
  throw invalidRequest(
    "Invalid 'response_format.type': expected text, json_object or json_schema.",
    'response_format.type',
  );
}
