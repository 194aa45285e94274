/**
 * CanonicalResponse -> Gemini `GenerateContentResponse` for a Gemini client.
 *
 * Tool calls become `functionCall {id, name, args}` parts with their `thoughtSignature` when
 * known. Arguments that are not a JSON object (invalid or truncated JSON) cannot become `args`:
 * such a call is left out and the finish reason says why, as Gemini itself would:
 * MAX_TOKENS when the answer was cut off, MALFORMED_FUNCTION_CALL otherwise. Reasoning becomes
 * `thought: true` parts (the signature only when it is Gemini's own).
 */
import type { CanonicalResponse, ContentBlock, FinishReason } from '../../canonical/types.js';
import type { ResponseEncodeContext } from '../types.js';
import { encodeFinishReason } from './finish.js';
import { encodeUsage } from './usage.js';
import { isObject, type JsonObject } from './wire.js';

/** A functionCall part, or undefined when the arguments are not a JSON object. */
export function functionCallPart(id: string, name: string, args: string, signature: string | undefined): JsonObject | undefined {
  let parsed: unknown = {};
  if (args.trim() !== '') {
    try {
      parsed = JSON.parse(args);
    } catch {
      return undefined;
    }
  }
  if (!isObject(parsed)) return undefined;
  const part: JsonObject = { functionCall: { id, name, args: parsed } };
  if (signature) part.thoughtSignature = signature;
  return part;
}

export function reasoningPart(text: string, origin: string | undefined, signature: string | undefined): JsonObject | undefined {
  const sig = origin === 'gemini' ? signature : undefined;
  if (text === '' && !sig) return undefined;
  const part: JsonObject = { thought: true };
  if (text !== '') part.text = text;
  if (sig) part.thoughtSignature = sig;
  return part;
}

/** Gemini finish reason, given whether a tool call had to be left out. */
export function finishFor(reason: FinishReason, malformedCall: boolean): string {
  if (malformedCall && reason !== 'length') return 'MALFORMED_FUNCTION_CALL';
  return encodeFinishReason(reason);
}

function blockPart(block: ContentBlock): JsonObject | undefined | null {
  switch (block.type) {
    case 'text':
      if (block.text === '' && !block.thoughtSignature) return undefined;
      return block.thoughtSignature ? { text: block.text, thoughtSignature: block.thoughtSignature } : { text: block.text };
    case 'reasoning':
      return reasoningPart(block.text, block.origin, block.signature);
    case 'tool_call':
      // null = a call that could not be expressed
      return functionCallPart(block.id, block.name, block.arguments, block.thoughtSignature) ?? null;
    case 'image':
    case 'file':
      return block.source.kind === 'base64' ? { inlineData: { mimeType: block.source.mediaType, data: block.source.data } } : undefined;
    case 'opaque':
      return block.dialect === 'gemini' && isObject(block.value) ? block.value : undefined;
    default:
      return undefined;
  }
}

export function encodeGeminiResponse(res: CanonicalResponse, ctx: ResponseEncodeContext): JsonObject {
  const parts: JsonObject[] = [];
  let malformed = false;
  for (const block of res.content) {
    const part = blockPart(block);
    if (part === null) malformed = true;
    else if (part) parts.push(part);
  }
  if (res.refusal && !parts.some((p) => typeof p.text === 'string' && p.thought !== true)) parts.push({ text: res.refusal });
  return {
    candidates: [
      {
        content: { role: 'model', parts },
        finishReason: finishFor(res.finishReason, malformed),
        index: 0,
      },
    ],
    usageMetadata: encodeUsage(res.usage),
    modelVersion: ctx.model,
    responseId: res.id,
  };
}
