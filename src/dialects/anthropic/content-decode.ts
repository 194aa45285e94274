/**
 * Anthropic request content blocks -> canonical blocks.
 *
 * Server-tool blocks (server_tool_use, web_search_tool_result, code_execution_tool_result, …) and
 * any block type this gateway does not model become OpaqueBlocks of dialect 'anthropic': they are
 * replayed verbatim to an Anthropic upstream and left out for every other target.
 */
import { invalidRequest } from '../../canonical/errors.js';
import { unpackReasoning } from '../../canonical/opaque.js';
import type {
  ContentBlock,
  FileBlock,
  ImageBlock,
  MediaSource,
  ReasoningBlock,
  TextBlock,
  ToolResultBlock,
} from '../../canonical/types.js';
import { parseClientToolId } from './ids.js';
import { optionalString, readCacheControl, requiredObject, requiredString, type JsonObject } from './wire.js';

export function decodeTextBlock(block: JsonObject, path: string): TextBlock {
  const text = block.text;
  if (typeof text !== 'string') throw invalidRequest(`${path}.text: expected a string`, `${path}.text`);
  const out: TextBlock = { type: 'text', text };
  const cc = readCacheControl(block);
  if (cc) out.cacheControl = cc;
  return out;
}

function decodeImageSource(source: JsonObject, path: string): MediaSource {
  switch (source.type) {
    case 'base64':
      return {
        kind: 'base64',
        mediaType: requiredString(source, 'media_type', `${path}.media_type`),
        data: requiredString(source, 'data', `${path}.data`),
      };
    case 'url':
      return { kind: 'url', url: requiredString(source, 'url', `${path}.url`) };
    case 'file':
      return { kind: 'file', fileId: requiredString(source, 'file_id', `${path}.file_id`) };
    default:
      throw invalidRequest(`${path}.type: expected "base64", "url" or "file"`, `${path}.type`);
  }
}

function decodeImage(block: JsonObject, path: string): ImageBlock {
  const source = requiredObject(block.source, `${path}.source`);
  const out: ImageBlock = { type: 'image', source: decodeImageSource(source, `${path}.source`) };
  const cc = readCacheControl(block);
  if (cc) out.cacheControl = cc;
  return out;
}

/**
 * document blocks: base64 PDF, URL PDF, plain-text source (kept as base64 text/plain so it can
 * travel as a file) and Files API ids. A `content` source (a list of blocks) is not modelled and
 * stays opaque.
 */
function decodeDocument(block: JsonObject, path: string): FileBlock | undefined {
  const source = requiredObject(block.source, `${path}.source`);
  const sp = `${path}.source`;
  let media: MediaSource;
  switch (source.type) {
    case 'base64':
      media = {
        kind: 'base64',
        mediaType: optionalString(source, 'media_type', `${sp}.media_type`) ?? 'application/pdf',
        data: requiredString(source, 'data', `${sp}.data`),
      };
      break;
    case 'url':
      media = { kind: 'url', url: requiredString(source, 'url', `${sp}.url`) };
      break;
    case 'text':
      media = {
        kind: 'base64',
        mediaType: 'text/plain',
        data: Buffer.from(requiredString(source, 'data', `${sp}.data`), 'utf8').toString('base64'),
      };
      break;
    case 'file':
      media = { kind: 'file', fileId: requiredString(source, 'file_id', `${sp}.file_id`) };
      break;
    default:
      return undefined;
  }
  const out: FileBlock = { type: 'file', source: media };
  const title = optionalString(block, 'title', `${path}.title`);
  if (title !== undefined) out.filename = title;
  const cc = readCacheControl(block);
  if (cc) out.cacheControl = cc;
  return out;
}

/**
 * thinking / redacted_thinking -> ReasoningBlock. A signature in our own packed form
 * (`apx1.<origin>.…`, produced when another vendor's reasoning was shown to this client) gives the
 * block back its real origin, so it is never sent to Anthropic as if it were Anthropic's. An
 * empty signature means "not Anthropic's" (reasoning from a vendor without signatures).
 */
function decodeThinking(block: JsonObject, path: string): ReasoningBlock {
  if (block.type === 'redacted_thinking') {
    return { type: 'reasoning', text: '', origin: 'anthropic', redactedData: requiredString(block, 'data', `${path}.data`) };
  }
  const text = optionalString(block, 'thinking', `${path}.thinking`) ?? '';
  const signature = optionalString(block, 'signature', `${path}.signature`) ?? '';
  const packed = signature ? unpackReasoning(signature) : undefined;
  if (packed) {
    const out: ReasoningBlock = { type: 'reasoning', text, origin: packed.origin };
    if (packed.signature !== undefined) out.signature = packed.signature;
    if (packed.redactedData !== undefined) out.redactedData = packed.redactedData;
    return out;
  }
  if (!signature) return { type: 'reasoning', text };
  return { type: 'reasoning', text, origin: 'anthropic', signature };
}

function decodeToolUse(block: JsonObject, path: string, toolNames: Map<string, string>): ContentBlock {
  const rawId = requiredString(block, 'id', `${path}.id`);
  const name = requiredString(block, 'name', `${path}.name`);
  const input = block.input === undefined || block.input === null ? {} : block.input;
  const { id, thoughtSignature } = parseClientToolId(rawId);
  toolNames.set(id, name);
  const out: ContentBlock = { type: 'tool_call', id, name, arguments: JSON.stringify(input) };
  if (thoughtSignature !== undefined) out.thoughtSignature = thoughtSignature;
  const cc = readCacheControl(block);
  if (cc) out.cacheControl = cc;
  return out;
}

function decodeToolResult(block: JsonObject, path: string, toolNames: Map<string, string>): ToolResultBlock {
  const { id } = parseClientToolId(requiredString(block, 'tool_use_id', `${path}.tool_use_id`));
  const content: ToolResultBlock['content'] = [];
  const raw = block.content;
  if (typeof raw === 'string') {
    content.push({ type: 'text', text: raw });
  } else if (Array.isArray(raw)) {
    raw.forEach((item, i) => {
      const p = `${path}.content[${i}]`;
      const b = requiredObject(item, p);
      if (b.type === 'text') content.push(decodeTextBlock(b, p));
      else if (b.type === 'image') content.push(decodeImage(b, p));
      else if (b.type === 'document') {
        const doc = decodeDocument(b, p);
        content.push(doc ?? { type: 'text', text: JSON.stringify(b) });
      } else {
        // search_result, tool_reference, …: no canonical form; keep their JSON as text
        content.push({ type: 'text', text: JSON.stringify(b) });
      }
    });
  } else if (raw !== undefined && raw !== null) {
    throw invalidRequest(`${path}.content: expected a string or an array of blocks`, `${path}.content`);
  }
  const out: ToolResultBlock = { type: 'tool_result', toolCallId: id, content };
  const name = toolNames.get(id);
  if (name !== undefined) out.name = name;
  if (block.is_error === true) out.isError = true;
  const cc = readCacheControl(block);
  if (cc) out.cacheControl = cc;
  return out;
}

/** One request content block. `toolNames` collects tool_use ids -> names for later results. */
export function decodeContentBlock(raw: unknown, path: string, toolNames: Map<string, string>): ContentBlock {
  const block = requiredObject(raw, path);
  const type = block.type;
  if (typeof type !== 'string') throw invalidRequest(`${path}.type: field required`, `${path}.type`);
  switch (type) {
    case 'text':
      return decodeTextBlock(block, path);
    case 'image':
      return decodeImage(block, path);
    case 'document':
      return decodeDocument(block, path) ?? { type: 'opaque', dialect: 'anthropic', value: block };
    case 'tool_use':
      return decodeToolUse(block, path, toolNames);
    case 'tool_result':
      return decodeToolResult(block, path, toolNames);
    case 'thinking':
    case 'redacted_thinking':
      return decodeThinking(block, path);
    default:
      return { type: 'opaque', dialect: 'anthropic', value: block };
  }
}

/** `content` of a message: a string or an array of blocks. */
export function decodeContent(raw: unknown, path: string, toolNames: Map<string, string>): ContentBlock[] {
  if (typeof raw === 'string') return [{ type: 'text', text: raw }];
  if (!Array.isArray(raw)) throw invalidRequest(`${path}: expected a string or an array of content blocks`, path);
  return raw.map((b, i) => decodeContentBlock(b, `${path}[${i}]`, toolNames));
}

/** `system` (top level or a role:"system" message): a string or text blocks. */
export function decodeSystemContent(raw: unknown, path: string): TextBlock[] {
  if (typeof raw === 'string') return [{ type: 'text', text: raw }];
  if (!Array.isArray(raw)) throw invalidRequest(`${path}: expected a string or an array of text blocks`, path);
  return raw.map((item, i) => {
    const p = `${path}[${i}]`;
    const b = requiredObject(item, p);
    if (b.type !== 'text') throw invalidRequest(`${p}.type: system content must be text blocks`, `${p}.type`);
    return decodeTextBlock(b, p);
  });
}

