/**
 * Gemini request `tools`, `toolConfig` and `generationConfig` -> canonical fields. Whatever has
 * no canonical field is returned as `rest` so the caller can keep it in `unknownFields`.
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
import { geminiSchemaToJsonSchema } from './schema.js';
import {
  isObject,
  optArray,
  optBoolean,
  optInteger,
  optNumber,
  optObject,
  optString,
  type JsonObject,
} from './wire.js';

export interface DecodedTools {
  tools: ToolDefinition[];
  builtinTools: BuiltinTool[];
}

export function decodeTools(value: unknown): DecodedTools {
  const out: DecodedTools = { tools: [], builtinTools: [] };
  for (const [i, tool] of (optArray(value, 'tools') ?? []).entries()) {
    if (!isObject(tool)) throw invalidRequest(`tools[${i}] must be an object`, `tools[${i}]`);
    for (const [key, v] of Object.entries(tool)) {
      if (key === 'functionDeclarations') {
        for (const [j, decl] of (optArray(v, `tools[${i}].functionDeclarations`) ?? []).entries()) {
          out.tools.push(decodeDeclaration(decl, `tools[${i}].functionDeclarations[${j}]`));
        }
      } else if (v !== undefined && v !== null) {
        // googleSearch, codeExecution, urlContext, googleSearchRetrieval, fileSearch, …
        out.builtinTools.push({ dialect: 'gemini', type: key, value: { [key]: v } });
      }
    }
  }
  return out;
}

function decodeDeclaration(decl: unknown, param: string): ToolDefinition {
  if (!isObject(decl)) throw invalidRequest(`${param} must be an object`, param);
  const name = optString(decl.name, `${param}.name`);
  if (!name) throw invalidRequest(`${param}.name is required`, `${param}.name`);
  let parameters: JsonObject;
  if (decl.parametersJsonSchema !== undefined && decl.parametersJsonSchema !== null) {
    parameters = optObject(decl.parametersJsonSchema, `${param}.parametersJsonSchema`) ?? {};
  } else if (decl.parameters !== undefined && decl.parameters !== null) {
    parameters = geminiSchemaToJsonSchema(optObject(decl.parameters, `${param}.parameters`));
  } else {
    parameters = { type: 'object', properties: {} };
  }
  const def: ToolDefinition = { name, parameters };
  const description = optString(decl.description, `${param}.description`);
  if (description !== undefined) def.description = description;
  return def;
}

export interface DecodedToolConfig {
  toolChoice?: ToolChoice;
  /** set when toolConfig holds something the canonical form cannot say (VALIDATED, retrievalConfig) */
  keepRaw: boolean;
}

export function decodeToolConfig(value: unknown): DecodedToolConfig {
  const config = optObject(value, 'toolConfig');
  if (!config) return { keepRaw: false };
  let keepRaw = Object.keys(config).some((k) => k !== 'functionCallingConfig');
  const fcc = optObject(config.functionCallingConfig, 'toolConfig.functionCallingConfig');
  if (!fcc) return { keepRaw };
  const mode = (optString(fcc.mode, 'toolConfig.functionCallingConfig.mode') ?? 'AUTO').toUpperCase();
  const names = (optArray(fcc.allowedFunctionNames, 'toolConfig.functionCallingConfig.allowedFunctionNames') ?? []).filter(
    (n): n is string => typeof n === 'string',
  );
  let toolChoice: ToolChoice;
  switch (mode) {
    case 'NONE':
      toolChoice = { type: 'none' };
      break;
    case 'ANY':
      if (names.length === 1 && names[0] !== undefined) toolChoice = { type: 'tool', name: names[0] };
      else if (names.length > 1) toolChoice = { type: 'allowed', names, mode: 'required' };
      else toolChoice = { type: 'required' };
      break;
    case 'VALIDATED':
      // no canonical equivalent: closest is auto; the raw config rides along for Gemini targets
      keepRaw = true;
      toolChoice = names.length > 0 ? { type: 'allowed', names, mode: 'auto' } : { type: 'auto' };
      break;
    case 'AUTO':
    case 'MODE_UNSPECIFIED':
      toolChoice = names.length > 0 ? { type: 'allowed', names, mode: 'auto' } : { type: 'auto' };
      break;
    default:
      throw invalidRequest(
        `toolConfig.functionCallingConfig.mode must be AUTO, ANY, NONE or VALIDATED, got "${mode}"`,
        'toolConfig.functionCallingConfig.mode',
      );
  }
  return { toolChoice, keepRaw };
}

export interface DecodedGenerationConfig {
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  n?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  logprobs?: boolean;
  topLogprobs?: number;
  responseFormat?: ResponseFormat;
  reasoning?: ReasoningConfig;
  /** generationConfig fields without a canonical home (responseModalities, speechConfig, …) */
  rest?: JsonObject;
}

const LEVELS: Record<string, ReasoningEffort> = { MINIMAL: 'minimal', LOW: 'low', MEDIUM: 'medium', HIGH: 'high' };

function decodeThinking(value: unknown): ReasoningConfig | undefined {
  const tc = optObject(value, 'generationConfig.thinkingConfig');
  if (!tc) return undefined;
  const reasoning: ReasoningConfig = {};
  // Gemini's default is no thought summaries: say so, or a target would choose for the client
  reasoning.includeThoughts = optBoolean(tc.includeThoughts, 'generationConfig.thinkingConfig.includeThoughts') ?? false;
  const budget = optInteger(tc.thinkingBudget, 'generationConfig.thinkingConfig.thinkingBudget');
  if (budget === 0) reasoning.enabled = false;
  else if (budget !== undefined) {
    reasoning.enabled = true;
    if (budget > 0) reasoning.budgetTokens = budget; // -1 = dynamic: enabled without a budget
  }
  const level = optString(tc.thinkingLevel, 'generationConfig.thinkingConfig.thinkingLevel');
  if (level !== undefined && level.toUpperCase() !== 'THINKING_LEVEL_UNSPECIFIED') {
    const effort = LEVELS[level.toUpperCase()];
    if (!effort) {
      throw invalidRequest(
        `generationConfig.thinkingConfig.thinkingLevel must be MINIMAL, LOW, MEDIUM or HIGH, got "${level}"`,
        'generationConfig.thinkingConfig.thinkingLevel',
      );
    }
    reasoning.effort = effort;
    reasoning.enabled ??= true;
  }
  return reasoning;
}

function decodeResponseFormat(gc: JsonObject, rest: JsonObject): ResponseFormat | undefined {
  const mime = optString(gc.responseMimeType, 'generationConfig.responseMimeType');
  const jsonSchema = optObject(gc.responseJsonSchema ?? gc._responseJsonSchema, 'generationConfig.responseJsonSchema');
  const schema = optObject(gc.responseSchema, 'generationConfig.responseSchema');
  if (mime === undefined && !jsonSchema && !schema) return undefined;
  if (mime === undefined || mime === 'application/json') {
    if (jsonSchema) return { type: 'json_schema', name: 'response', schema: jsonSchema };
    if (schema) return { type: 'json_schema', name: 'response', schema: geminiSchemaToJsonSchema(schema) };
    return { type: 'json_object' };
  }
  if (mime === 'text/plain' && !jsonSchema && !schema) return { type: 'text' };
  // text/x.enum and other types: only a Gemini target can say it
  rest.responseMimeType = mime;
  if (schema) rest.responseSchema = schema;
  if (jsonSchema) rest.responseJsonSchema = jsonSchema;
  return undefined;
}

const HANDLED = new Set([
  'temperature',
  'topP',
  'topK',
  'maxOutputTokens',
  'stopSequences',
  'candidateCount',
  'seed',
  'presencePenalty',
  'frequencyPenalty',
  'responseLogprobs',
  'logprobs',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  '_responseJsonSchema',
  'thinkingConfig',
]);

export function decodeGenerationConfig(value: unknown): DecodedGenerationConfig {
  const gc = optObject(value, 'generationConfig');
  if (!gc) return {};
  const p = (k: string): string => `generationConfig.${k}`;
  const out: DecodedGenerationConfig = {};
  const rest: JsonObject = {};

  const set = <K extends keyof DecodedGenerationConfig>(key: K, v: DecodedGenerationConfig[K] | undefined): void => {
    if (v !== undefined) out[key] = v;
  };
  set('temperature', optNumber(gc.temperature, p('temperature')));
  set('topP', optNumber(gc.topP, p('topP')));
  set('topK', optNumber(gc.topK, p('topK')));
  set('maxTokens', optInteger(gc.maxOutputTokens, p('maxOutputTokens')));
  set('n', optInteger(gc.candidateCount, p('candidateCount')));
  set('seed', optInteger(gc.seed, p('seed')));
  set('presencePenalty', optNumber(gc.presencePenalty, p('presencePenalty')));
  set('frequencyPenalty', optNumber(gc.frequencyPenalty, p('frequencyPenalty')));
  set('logprobs', optBoolean(gc.responseLogprobs, p('responseLogprobs')));
  set('topLogprobs', optInteger(gc.logprobs, p('logprobs')));
  const stop = optArray(gc.stopSequences, p('stopSequences'));
  if (stop) {
    if (!stop.every((s): s is string => typeof s === 'string')) {
      throw invalidRequest('generationConfig.stopSequences must be an array of strings', p('stopSequences'));
    }
    out.stop = stop;
  }
  set('responseFormat', decodeResponseFormat(gc, rest));
  set('reasoning', decodeThinking(gc.thinkingConfig));

  for (const [k, v] of Object.entries(gc)) if (!HANDLED.has(k)) rest[k] = v;
  if (Object.keys(rest).length > 0) out.rest = rest;
  return out;
}
