/**
 * Gemini `GenerateContentResponse` (non-stream) -> CanonicalResponse.
 * Only `candidates[0]` is read (the translated path asks for one candidate). A response without
 * candidates (blocked prompt: `promptFeedback.blockReason`) or a candidate without
 * `content.parts` (finish SAFETY) decodes to an empty answer, never a crash. Function calls
 * without an id get `call_<random>` (unique across turns, unlike a per-response counter).
 */
import type { CanonicalResponse, ContentBlock, TextBlock } from '../../canonical/types.js';
import { decodeFinishReason } from './finish.js';
import { decodeUsage } from './usage.js';
import { arr, isObject, randomId, str, type JsonObject } from './wire.js';

/** One response part -> a canonical block (undefined for an empty part). */
export function decodeResponsePart(part: unknown): ContentBlock | undefined {
  if (!isObject(part)) return undefined;
  const signature = str(part.thoughtSignature);
  if (isObject(part.functionCall)) {
    const fc = part.functionCall;
    const block: ContentBlock = {
      type: 'tool_call',
      id: str(fc.id) || randomId('call_'),
      name: str(fc.name) ?? '',
      arguments: isObject(fc.args) ? JSON.stringify(fc.args) : '{}',
    };
    if (signature) block.thoughtSignature = signature;
    return block;
  }
  if (typeof part.text === 'string' || part.thought === true) {
    const text = str(part.text) ?? '';
    if (part.thought === true) {
      return signature ? { type: 'reasoning', text, origin: 'gemini', signature } : { type: 'reasoning', text, origin: 'gemini' };
    }
    if (text === '' && !signature) return undefined;
    const block: TextBlock = { type: 'text', text };
    if (signature) block.thoughtSignature = signature;
    return block;
  }
  if (isObject(part.inlineData)) {
    const mimeType = str(part.inlineData.mimeType) ?? 'application/octet-stream';
    const data = str(part.inlineData.data) ?? '';
    if (mimeType.startsWith('image/')) return { type: 'image', source: { kind: 'base64', mediaType: mimeType, data } };
    return { type: 'file', source: { kind: 'base64', mediaType: mimeType, data } };
  }
  if (Object.keys(part).length === 0) return undefined;
  return { type: 'opaque', dialect: 'gemini', value: part };
}

/**
 * Append a block, joining consecutive text (or thought) parts when neither carries a signature
 * (Gemini splits one answer into parts; a signed part must stay as it came).
 */
export function pushBlock(content: ContentBlock[], block: ContentBlock): void {
  const last = content[content.length - 1];
  if (block.type === 'text' && last?.type === 'text' && !last.thoughtSignature && !block.thoughtSignature) {
    last.text += block.text;
    return;
  }
  if (block.type === 'reasoning' && last?.type === 'reasoning' && !last.signature && !block.signature) {
    last.text += block.text;
    return;
  }
  content.push(block);
}

export function firstCandidate(body: JsonObject): JsonObject | undefined {
  const c = arr(body.candidates)[0];
  return isObject(c) ? c : undefined;
}

export function candidateParts(candidate: JsonObject | undefined): unknown[] {
  return candidate && isObject(candidate.content) ? arr(candidate.content.parts) : [];
}

export function isPromptBlocked(body: JsonObject): boolean {
  return isObject(body.promptFeedback) && typeof body.promptFeedback.blockReason === 'string';
}

export function decodeGeminiResponse(body: unknown): CanonicalResponse {
  const b = isObject(body) ? body : {};
  const candidate = firstCandidate(b);
  const content: ContentBlock[] = [];
  for (const part of candidateParts(candidate)) {
    const block = decodeResponsePart(part);
    if (block) pushBlock(content, block);
  }
  const hasToolCalls = content.some((c) => c.type === 'tool_call');
  const finishReason =
    !candidate && isPromptBlocked(b) ? 'content_filter' : decodeFinishReason(str(candidate?.finishReason), hasToolCalls);
  return {
    id: str(b.responseId) || randomId('gen_'),
    model: str(b.modelVersion) ?? '',
    created: Math.floor(Date.now() / 1000),
    content,
    finishReason,
    usage: decodeUsage(b.usageMetadata),
  };
}
