/**
 * Canonical tools, tool choice and generation parameters -> Gemini `tools`, `toolConfig` and
 * `generationConfig`.
 *
 * Reasoning -> thinkingConfig:
 * - `budgetTokens` is sent as `thinkingBudget` as given (any model).
 * - Without a budget, models whose name starts with `gemini-3` get `thinkingLevel`
 *   (Pro models accept LOW and HIGH only: none/minimal/low -> LOW, medium/high/xhigh -> HIGH;
 *   others: none/minimal -> MINIMAL, low -> LOW, medium -> MEDIUM, high/xhigh -> HIGH; thinking
 *   cannot be switched off on Gemini 3, so "disabled" asks for the lowest level).
 * - Other models get `thinkingBudget` from the effort: none 0, minimal 512, low 1024,
 *   medium 8192, high and xhigh 24576 (the Flash maximum; Pro allows 32768); disabled -> 0;
 *   enabled without effort or budget -> -1 (dynamic).
 * - `includeThoughts` is the client's own choice when it made one, else true whenever reasoning
 *   is requested and not disabled.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type { CanonicalRequest, ReasoningConfig, ReasoningEffort, ToolChoice } from '../../canonical/types.js';
import { toGeminiParameters } from './schema.js';
import type { JsonObject } from './wire.js';

export function encodeTools(req: CanonicalRequest, dropped: string[]): JsonObject[] | undefined {
  const tools: JsonObject[] = [];
  if (req.tools && req.tools.length > 0) {
    const functionDeclarations = req.tools.map((t) => {
      const decl: JsonObject = { name: t.name };
      if (t.description !== undefined) decl.description = t.description;
      const parameters = toGeminiParameters(t.parameters);
      if (parameters) decl.parameters = parameters;
      return decl;
    });
    tools.push({ functionDeclarations });
  }
  for (const builtin of req.builtinTools ?? []) {
    if (builtin.dialect === 'gemini') tools.push(builtin.value);
    else dropped.push(`tools.${builtin.type}`);
  }
  return tools.length > 0 ? tools : undefined;
}

export function encodeToolChoice(choice: ToolChoice | undefined): JsonObject | undefined {
  if (!choice) return undefined;
  let fcc: JsonObject;
  switch (choice.type) {
    case 'auto':
      fcc = { mode: 'AUTO' };
      break;
    case 'none':
      fcc = { mode: 'NONE' };
      break;
    case 'required':
      fcc = { mode: 'ANY' };
      break;
    case 'tool':
      fcc = { mode: 'ANY', allowedFunctionNames: [choice.name] };
      break;
    case 'allowed':
      fcc = { mode: choice.mode === 'required' ? 'ANY' : 'AUTO', allowedFunctionNames: choice.names };
      break;
  }
  return { functionCallingConfig: fcc };
}

const BUDGETS: Record<ReasoningEffort, number> = {
  none: 0,
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 24576,
};

function gemini3Level(effort: ReasoningEffort, pro: boolean): string {
  if (pro) return effort === 'medium' || effort === 'high' || effort === 'xhigh' ? 'HIGH' : 'LOW';
  switch (effort) {
    case 'none':
    case 'minimal':
      return 'MINIMAL';
    case 'low':
      return 'LOW';
    case 'medium':
      return 'MEDIUM';
    default:
      return 'HIGH';
  }
}

export function encodeThinking(reasoning: ReasoningConfig | undefined, model: string): JsonObject | undefined {
  if (!reasoning) return undefined;
  const disabled = reasoning.enabled === false || reasoning.effort === 'none';
  const config: JsonObject = {};
  const bare = model.replace(/^models\//, '').toLowerCase();
  const gemini3 = bare.startsWith('gemini-3');
  if (reasoning.budgetTokens !== undefined && !disabled) {
    config.thinkingBudget = reasoning.budgetTokens;
  } else if (gemini3 && (reasoning.effort !== undefined || disabled)) {
    config.thinkingLevel = gemini3Level(disabled ? 'none' : (reasoning.effort ?? 'high'), bare.includes('pro'));
  } else if (!gemini3) {
    if (disabled) config.thinkingBudget = 0;
    else if (reasoning.effort !== undefined) config.thinkingBudget = BUDGETS[reasoning.effort];
    else if (reasoning.enabled === true) config.thinkingBudget = -1;
  }
  // false is Gemini's default: only `true` is sent
  if (reasoning.includeThoughts ?? !disabled) config.includeThoughts = true;
  return Object.keys(config).length > 0 ? config : undefined;
}

export function encodeGenerationConfig(req: CanonicalRequest, model: string): JsonObject {
  const gc: JsonObject = {};
  if (req.n !== undefined && req.n > 1) {
    throw invalidRequest('n > 1 is not supported when translating to Gemini; send one request per choice', 'n');
  }
  if (req.stop && req.stop.length > 5) {
    throw invalidRequest(`Gemini accepts at most 5 stop sequences, got ${req.stop.length}`, 'stop');
  }
  if (req.n === 1) gc.candidateCount = 1;
  if (req.temperature !== undefined) gc.temperature = req.temperature;
  if (req.topP !== undefined) gc.topP = req.topP;
  if (req.topK !== undefined) gc.topK = req.topK;
  if (req.maxTokens !== undefined) gc.maxOutputTokens = req.maxTokens;
  if (req.stop && req.stop.length > 0) gc.stopSequences = req.stop;
  if (req.seed !== undefined) gc.seed = req.seed;
  if (req.presencePenalty !== undefined) gc.presencePenalty = req.presencePenalty;
  if (req.frequencyPenalty !== undefined) gc.frequencyPenalty = req.frequencyPenalty;
  if (req.logprobs) gc.responseLogprobs = true;
  if (req.topLogprobs !== undefined && req.topLogprobs > 0) {
    gc.responseLogprobs = true;
    gc.logprobs = req.topLogprobs;
  }
  const rf = req.responseFormat;
  if (rf?.type === 'json_object') gc.responseMimeType = 'application/json';
  else if (rf?.type === 'json_schema') {
    gc.responseMimeType = 'application/json';
    gc.responseJsonSchema = rf.schema;
  }
  const thinking = encodeThinking(req.reasoning, model);
  if (thinking) gc.thinkingConfig = thinking;
  return gc;
}
