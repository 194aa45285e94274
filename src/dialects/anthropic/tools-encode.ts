/**
 * Canonical tools + tool_choice -> Anthropic `tools` and `tool_choice`.
 *
 * - Function tools -> {name, description, input_schema, cache_control}; `strict` is sent only for
 *   Anthropic clients (Responses tools are strict by default and not every Claude model accepts
 *   strict tools), otherwise reported as dropped when it was true.
 * - Built-in tools of dialect 'anthropic' (web_search_…, bash_…, text_editor_…) are sent verbatim;
 *   other vendors' built-in tools cannot run here and are reported as dropped.
 * - tool_choice: auto -> auto, none -> none, required -> any, tool -> tool; an allowed-tools list
 *   of one name with mode required -> tool, other allowed lists -> auto / any (restriction dropped).
 *   parallelToolCalls false -> disable_parallel_tool_use: true. No tool_choice without tools
 *   (Anthropic rejects it and it means nothing).
 */
import type { CanonicalRequest, ToolDefinition } from '../../canonical/types.js';
import type { Dropped } from './content-encode.js';
import { cacheControlWire, type JsonObject } from './wire.js';

function inputSchema(parameters: Record<string, unknown>): JsonObject {
  if (parameters.type === undefined) return { type: 'object', properties: {}, ...parameters };
  return parameters;
}

function encodeTool(tool: ToolDefinition, sameDialect: boolean, dropped: Dropped): JsonObject {
  const out: JsonObject = { name: tool.name };
  if (tool.description !== undefined) out.description = tool.description;
  out.input_schema = inputSchema(tool.parameters);
  if (tool.strict !== undefined) {
    if (sameDialect) out.strict = tool.strict;
    else if (tool.strict) dropped.add('tools.strict');
  }
  return { ...out, ...cacheControlWire(tool.cacheControl) };
}

export interface EncodedTools {
  tools?: JsonObject[];
  toolChoice?: JsonObject;
}

export function encodeTools(req: CanonicalRequest, dropped: Dropped): EncodedTools {
  const sameDialect = req.sourceDialect === 'anthropic';
  const tools: JsonObject[] = (req.tools ?? []).map((t) => encodeTool(t, sameDialect, dropped));
  for (const b of req.builtinTools ?? []) {
    if (b.dialect === 'anthropic') tools.push(b.value);
    else dropped.add(`tools[${b.type}]`);
  }
  const out: EncodedTools = {};
  if (tools.length === 0) return out;
  out.tools = tools;

  const tc = req.toolChoice;
  let choice: JsonObject | undefined;
  switch (tc?.type) {
    case undefined:
      break;
    case 'auto':
      choice = { type: 'auto' };
      break;
    case 'none':
      choice = { type: 'none' };
      break;
    case 'required':
      choice = { type: 'any' };
      break;
    case 'tool':
      choice = { type: 'tool', name: tc.name };
      break;
    case 'allowed':
      if (tc.mode === 'required' && tc.names.length === 1 && tc.names[0] !== undefined) {
        choice = { type: 'tool', name: tc.names[0] };
      } else {
        choice = { type: tc.mode === 'required' ? 'any' : 'auto' };
        dropped.add('tool_choice.allowed_tools');
      }
      break;
  }
  if (req.parallelToolCalls === false) {
    if (!choice) choice = { type: 'auto' };
    if (choice.type !== 'none') choice.disable_parallel_tool_use = true;
  }
  if (choice) out.toolChoice = choice;
  return out;
}
