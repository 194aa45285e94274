/**
 * Gemini `GenerateContentRequest` -> CanonicalRequest. The model and the stream mode are in the
 * URL (`/v1beta/models/{model}:generateContent` / `:streamGenerateContent`), so they come from
 * the route's context.
 *
 * snake_case field names (`system_instruction`, `inline_data`, …) are accepted (see normalize.ts).
 *
 * Kept in `unknownFields` (copied back for a Gemini target, reported as dropped otherwise):
 * `safetySettings`, `cachedContent`, `labels`, any other unknown top-level field, a
 * `generationConfig` object holding the generation fields without a canonical home
 * (responseModalities, speechConfig, mediaResolution, …) and the raw `toolConfig` when it says
 * something a ToolChoice cannot (mode VALIDATED, retrievalConfig).
 */
import { invalidRequest } from '../../canonical/errors.js';
import type { CanonicalMessage, CanonicalRequest, TextBlock } from '../../canonical/types.js';
import type { RequestDecodeContext } from '../types.js';
import { decodeGenerationConfig, decodeToolConfig, decodeTools } from './config-decode.js';
import { normalizeFieldNames } from './normalize.js';
import { decodeContents } from './parts-decode.js';
import { isObject, optArray, optString, type JsonObject } from './wire.js';

const KNOWN = new Set(['contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig', 'model']);

function decodeSystemInstruction(value: unknown): CanonicalMessage | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return { role: 'system', content: [{ type: 'text', text: value }] };
  if (!isObject(value)) throw invalidRequest('systemInstruction must be a Content object', 'systemInstruction');
  const parts = isObject(value.parts) ? [value.parts] : (optArray(value.parts, 'systemInstruction.parts') ?? []);
  const content: TextBlock[] = [];
  for (const [i, part] of parts.entries()) {
    if (!isObject(part)) throw invalidRequest(`systemInstruction.parts[${i}] must be an object`, `systemInstruction.parts[${i}]`);
    const text = optString(part.text, `systemInstruction.parts[${i}].text`);
    if (text === undefined) {
      throw invalidRequest('systemInstruction parts must be text parts', `systemInstruction.parts[${i}]`);
    }
    content.push({ type: 'text', text });
  }
  return content.length > 0 ? { role: 'system', content } : undefined;
}

export function decodeGeminiRequest(raw: unknown, ctx?: RequestDecodeContext): CanonicalRequest {
  if (!isObject(raw)) throw invalidRequest('The request body must be a JSON object (a GenerateContentRequest)');
  const body = normalizeFieldNames(raw);
  const model = ctx?.model;
  if (!model) {
    throw invalidRequest('The model is missing: call /v1beta/models/{model}:generateContent', 'model');
  }
  const contents = optArray(body.contents, 'contents');
  if (!contents) throw invalidRequest('contents is required', 'contents');

  const messages: CanonicalMessage[] = [];
  const system = decodeSystemInstruction(body.systemInstruction);
  if (system) messages.push(system);
  messages.push(...decodeContents(contents));

  const req: CanonicalRequest = { model, messages, stream: ctx?.stream ?? false, sourceDialect: 'gemini' };
  const unknown: JsonObject = {};

  const { tools, builtinTools } = decodeTools(body.tools);
  if (tools.length > 0) req.tools = tools;
  if (builtinTools.length > 0) req.builtinTools = builtinTools;

  const toolConfig = decodeToolConfig(body.toolConfig);
  if (toolConfig.toolChoice) req.toolChoice = toolConfig.toolChoice;
  if (toolConfig.keepRaw) unknown.toolConfig = body.toolConfig;

  const gc = decodeGenerationConfig(body.generationConfig);
  if (gc.maxTokens !== undefined) req.maxTokens = gc.maxTokens;
  if (gc.temperature !== undefined) req.temperature = gc.temperature;
  if (gc.topP !== undefined) req.topP = gc.topP;
  if (gc.topK !== undefined) req.topK = gc.topK;
  if (gc.stop !== undefined) req.stop = gc.stop;
  if (gc.n !== undefined) req.n = gc.n;
  if (gc.seed !== undefined) req.seed = gc.seed;
  if (gc.presencePenalty !== undefined) req.presencePenalty = gc.presencePenalty;
  if (gc.frequencyPenalty !== undefined) req.frequencyPenalty = gc.frequencyPenalty;
  if (gc.logprobs !== undefined) req.logprobs = gc.logprobs;
  if (gc.topLogprobs !== undefined) req.topLogprobs = gc.topLogprobs;
  if (gc.responseFormat !== undefined) req.responseFormat = gc.responseFormat;
  if (gc.reasoning !== undefined) req.reasoning = gc.reasoning;
  if (gc.rest) unknown.generationConfig = gc.rest;

  for (const [k, v] of Object.entries(body)) if (!KNOWN.has(k)) unknown[k] = v;
  if (Object.keys(unknown).length > 0) req.unknownFields = unknown;
  return req;
}
