/**
 * Canonical blocks -> Anthropic request content blocks (for an Anthropic upstream).
 *
 * - Empty text blocks are left out (Anthropic rejects them).
 * - Images: base64 (jpeg, png, gif, webp only; anything else is a 400), http(s) URLs as `url`
 *   sources, `data:` URLs as base64, provider file ids as `file` sources.
 * - Files: PDF -> document (base64 / url / file source); text/plain -> document text source.
 * - Tool calls -> tool_use with `input` parsed from the argument text (invalid JSON is a 400
 *   naming the call; empty arguments -> {}); ids made safe by toAnthropicId.
 * - Reasoning of origin 'anthropic' -> thinking (with its signature) / redacted_thinking, in
 *   place. Reasoning from other vendors, or without a signature, has no valid Anthropic form and
 *   is left out (Anthropic rejects unsigned or foreign thinking).
 * - Opaque blocks of dialect 'anthropic' (server tool blocks) are replayed verbatim.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type {
  ContentBlock,
  FileBlock,
  ImageBlock,
  MediaSource,
  ReasoningBlock,
  TextBlock,
  ToolCallBlock,
  ToolResultBlock,
} from '../../canonical/types.js';
import { toAnthropicId } from './ids.js';
import { cacheControlWire, isObject, type JsonObject } from './wire.js';

export const ANTHROPIC_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/** Collects parameter names the target could not express. */
export type Dropped = Set<string>;

function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const m = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  return { mediaType: m[1].toLowerCase(), data: m[2] };
}

function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

function normaliseImageType(mediaType: string): string {
  const t = mediaType.toLowerCase();
  return t === 'image/jpg' ? 'image/jpeg' : t;
}

function imageSource(source: MediaSource): JsonObject {
  switch (source.kind) {
    case 'base64': {
      const mediaType = normaliseImageType(source.mediaType);
      if (!ANTHROPIC_IMAGE_TYPES.has(mediaType)) {
        throw invalidRequest(
          `Image media type "${source.mediaType}" is not supported by this model's provider (Anthropic accepts image/jpeg, image/png, image/gif and image/webp)`,
          'messages',
        );
      }
      return { type: 'base64', media_type: mediaType, data: source.data };
    }
    case 'url': {
      const inline = source.url.startsWith('data:') ? parseDataUrl(source.url) : undefined;
      if (inline) return imageSource({ kind: 'base64', mediaType: inline.mediaType, data: inline.data });
      if (!isHttpUrl(source.url)) {
        throw invalidRequest('Image URLs must be http(s) URLs or base64 data: URLs', 'messages');
      }
      return { type: 'url', url: source.url };
    }
    case 'file':
      return { type: 'file', file_id: source.fileId };
  }
}

function documentSource(source: MediaSource): JsonObject {
  switch (source.kind) {
    case 'base64': {
      const mediaType = source.mediaType.toLowerCase();
      if (mediaType === 'application/pdf') return { type: 'base64', media_type: 'application/pdf', data: source.data };
      if (mediaType === 'text/plain') {
        return { type: 'text', media_type: 'text/plain', data: Buffer.from(source.data, 'base64').toString('utf8') };
      }
      throw invalidRequest(
        `File type "${source.mediaType}" is not supported by this model's provider (Anthropic documents accept application/pdf and text/plain)`,
        'messages',
      );
    }
    case 'url': {
      const inline = source.url.startsWith('data:') ? parseDataUrl(source.url) : undefined;
      if (inline) return documentSource({ kind: 'base64', mediaType: inline.mediaType, data: inline.data });
      if (!isHttpUrl(source.url)) throw invalidRequest('File URLs must be http(s) URLs or base64 data: URLs', 'messages');
      return { type: 'url', url: source.url };
    }
    case 'file':
      return { type: 'file', file_id: source.fileId };
  }
}

export function encodeText(block: TextBlock): JsonObject | undefined {
  if (block.text.length === 0) return undefined;
  return { type: 'text', text: block.text, ...cacheControlWire(block.cacheControl) };
}

export function encodeImage(block: ImageBlock): JsonObject {
  return { type: 'image', source: imageSource(block.source), ...cacheControlWire(block.cacheControl) };
}

export function encodeFile(block: FileBlock): JsonObject {
  const out: JsonObject = { type: 'document', source: documentSource(block.source) };
  if (block.filename !== undefined) out.title = block.filename;
  return { ...out, ...cacheControlWire(block.cacheControl) };
}

/** The argument text of a tool call -> the `input` object Anthropic requires. */
export function parseToolArguments(call: ToolCallBlock): JsonObject {
  const text = call.arguments.trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest(
      `Tool call "${call.id}" (${call.name}) has arguments that are not valid JSON; send the arguments as a JSON object`,
      'messages',
    );
  }
  if (!isObject(value)) {
    throw invalidRequest(`Tool call "${call.id}" (${call.name}) has arguments that are not a JSON object`, 'messages');
  }
  return value;
}

export function encodeToolUse(call: ToolCallBlock): JsonObject {
  return {
    type: 'tool_use',
    id: toAnthropicId(call.id),
    name: call.name,
    input: parseToolArguments(call),
    ...cacheControlWire(call.cacheControl),
  };
}

export function encodeToolResult(result: ToolResultBlock): JsonObject {
  const content: JsonObject[] = [];
  for (const part of result.content) {
    if (part.type === 'text') {
      const t = encodeText(part);
      if (t) content.push(t);
    } else if (part.type === 'image') content.push(encodeImage(part));
    else content.push(encodeFile(part));
  }
  const out: JsonObject = { type: 'tool_result', tool_use_id: toAnthropicId(result.toolCallId) };
  const only = content[0];
  // one plain text block is sent in the string form, as clients (Claude Code) write it
  if (content.length === 1 && only && only.type === 'text' && only.cache_control === undefined) out.content = only.text;
  else if (content.length > 0) out.content = content;
  if (result.isError) out.is_error = true;
  return { ...out, ...cacheControlWire(result.cacheControl) };
}

export function encodeReasoning(block: ReasoningBlock): JsonObject | undefined {
  if (block.origin !== 'anthropic') return undefined;
  if (block.redactedData) return { type: 'redacted_thinking', data: block.redactedData };
  if (block.signature) return { type: 'thinking', thinking: block.text, signature: block.signature };
  return undefined;
}

/** Any block of a user or assistant turn (tool results are handled by the caller). */
export function encodeBlock(block: ContentBlock, dropped: Dropped): JsonObject | undefined {
  switch (block.type) {
    case 'text':
      return encodeText(block);
    case 'image':
      return encodeImage(block);
    case 'file':
      return encodeFile(block);
    case 'audio':
      throw invalidRequest("Audio input is not supported by this model's provider (Anthropic)", 'messages');
    case 'tool_call':
      return encodeToolUse(block);
    case 'tool_result':
      return encodeToolResult(block);
    case 'reasoning':
      return encodeReasoning(block);
    case 'opaque':
      if (block.dialect === 'anthropic' && isObject(block.value)) return block.value;
      dropped.add(`${block.dialect} built-in tool items`);
      return undefined;
  }
}
