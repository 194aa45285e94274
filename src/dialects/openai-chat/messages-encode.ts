/**
 * Canonical messages -> OpenAI chat `messages` (for OpenAI, Azure OpenAI and OpenAI-compatible
 * upstreams).
 *
 * Choices written down here:
 * - System and developer messages stay messages where they are (mid-conversation too);
 *   `developer` stays `developer`.
 * - Every tool result becomes its own `tool` message. OpenAI tool messages hold text only, so
 *   images and files returned by a tool go into one `user` message placed after the run of
 *   tool messages (OpenAI wants all tool messages right after the assistant turn that called
 *   them); the tool message says where they went. A result flagged as an error gets an
 *   "Error: " prefix, chat having no error flag.
 * - Reasoning blocks: OpenAI's chat API takes no reasoning input. Readable reasoning that came
 *   from a chat-shaped history (no origin, or origin openai) is passed back as
 *   `reasoning_content` when the client itself spoke chat (compatible servers such as DeepSeek
 *   read it); anything else, and every foreign signature, is dropped.
 * - Gemini thought signatures on tool calls are not sent (they are Gemini's); the tool-call id
 *   is sent as the client gave it, so results still match.
 * - cache_control hints have no chat equivalent: dropped and reported.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type {
  CanonicalMessage,
  CanonicalRequest,
  ContentBlock,
  FileBlock,
  ImageBlock,
  MediaSource,
  ToolResultBlock,
} from '../../canonical/types.js';
import type { JsonObject } from './json.js';

export interface MessageEncodeState {
  dropped: Set<string>;
}

function mediaUrl(source: MediaSource, param: string): string {
  switch (source.kind) {
    case 'url':
      return source.url;
    case 'base64':
      return `data:${source.mediaType};base64,${source.data}`;
    case 'file':
      // A Gemini fileData URI on https is a URL OpenAI can fetch only if it is public; a bare
      // file id has no place in an image part.
      if (/^https?:\/\//i.test(source.fileId)) return source.fileId;
      throw invalidRequest(
        `An image given as a provider file reference (${source.fileId}) cannot be sent to this provider; send it inline as base64 or as an https URL.`,
        param,
      );
  }
}

function imagePart(b: ImageBlock, param: string): JsonObject {
  const image_url: JsonObject = { url: mediaUrl(b.source, param) };
  if (b.detail) image_url.detail = b.detail;
  return { type: 'image_url', image_url };
}

const EXT: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/json': 'json',
};

function filePart(b: FileBlock, param: string): JsonObject {
  const s = b.source;
  if (s.kind === 'file') {
    return { type: 'file', file: { file_id: s.fileId } };
  }
  if (s.kind === 'url') {
    throw invalidRequest(
      'A file given by URL cannot be sent to this provider (OpenAI chat takes files inline or by file id); send it inline as base64.',
      param,
    );
  }
  const filename = b.filename ?? `document.${EXT[s.mediaType] ?? 'bin'}`;
  return { type: 'file', file: { filename, file_data: `data:${s.mediaType};base64,${s.data}` } };
}

function textOf(blocks: ContentBlock[]): string {
  let s = '';
  for (const b of blocks) if (b.type === 'text') s += b.text;
  return s;
}

/** A text-only content: one string, or text parts when there are several blocks. */
function textContent(blocks: ContentBlock[]): string | JsonObject[] {
  const texts = blocks.filter((b) => b.type === 'text');
  if (texts.length === 1 && texts[0]) return texts[0].text;
  if (texts.length === 0) return '';
  return texts.map((t) => ({ type: 'text', text: t.text }));
}

function noteCache(blocks: ContentBlock[], st: MessageEncodeState): void {
  for (const b of blocks) if ('cacheControl' in b && b.cacheControl) st.dropped.add('cache_control');
}

function encodeUser(m: CanonicalMessage, i: number, st: MessageEncodeState): JsonObject {
  const param = `messages[${i}].content`;
  const parts: JsonObject[] = [];
  let onlyText = true;
  m.content.forEach((b, j) => {
    const p = `${param}[${j}]`;
    switch (b.type) {
      case 'text':
        parts.push({ type: 'text', text: b.text });
        break;
      case 'image':
        onlyText = false;
        parts.push(imagePart(b, p));
        break;
      case 'file':
        onlyText = false;
        parts.push(filePart(b, p));
        break;
      case 'audio':
        onlyText = false;
        parts.push({ type: 'input_audio', input_audio: { data: b.data, format: b.format } });
        break;
      case 'opaque':
        if (b.dialect === 'openai-chat') {
          onlyText = false;
          parts.push(b.value as JsonObject);
        } else st.dropped.add(`messages.content.${b.dialect}`);
        break;
      default:
        // reasoning / tool blocks do not belong in a user message; nothing to send
        break;
    }
  });
  const out: JsonObject = { role: 'user' };
  out.content = onlyText && parts.length === 1 ? (parts[0]?.text as string) : parts.length === 0 ? '' : parts;
  if (m.name) out.name = m.name;
  return out;
}

function encodeAssistant(m: CanonicalMessage, req: CanonicalRequest, st: MessageEncodeState): JsonObject {
  const out: JsonObject = { role: 'assistant' };
  const texts = m.content.filter((b) => b.type === 'text');
  const calls = m.content.filter((b) => b.type === 'tool_call');
  if (texts.length === 1 && texts[0]) out.content = texts[0].text;
  else if (texts.length > 1) out.content = texts.map((t) => ({ type: 'text', text: t.text }));
  else out.content = calls.length > 0 ? null : '';
  if (calls.length > 0) {
    out.tool_calls = calls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.arguments || '{}' },
    }));
  }
  if (req.sourceDialect === 'openai-chat') {
    let reasoning = '';
    for (const b of m.content) {
      if (b.type === 'reasoning' && (b.origin === undefined || b.origin === 'openai')) reasoning += b.text;
    }
    if (reasoning) out.reasoning_content = reasoning;
  }
  for (const b of m.content) {
    if (b.type === 'opaque' && b.dialect !== 'openai-chat') st.dropped.add(`messages.content.${b.dialect}`);
  }
  if (m.name) out.name = m.name;
  return out;
}

interface ToolOutput {
  message: JsonObject;
  media: Array<ImageBlock | FileBlock>;
}

function encodeToolResult(r: ToolResultBlock): ToolOutput {
  const media = r.content.filter((b): b is ImageBlock | FileBlock => b.type === 'image' || b.type === 'file');
  let text = textOf(r.content);
  if (media.length > 0) {
    const note = `(${media.length} attachment${media.length > 1 ? 's' : ''} returned by this tool follow${media.length > 1 ? '' : 's'} in the next user message)`;
    text = text ? `${text}\n${note}` : note;
  }
  if (r.isError) text = `Error: ${text}`;
  const texts = r.content.filter((b) => b.type === 'text');
  // Keep several text blocks as text parts only when there is nothing to add to them.
  const content = media.length === 0 && !r.isError && texts.length > 1 ? textContent(r.content) : text;
  return { message: { role: 'tool', tool_call_id: r.toolCallId, content }, media };
}

export function encodeMessages(req: CanonicalRequest, st: MessageEncodeState): JsonObject[] {
  const out: JsonObject[] = [];
  // Media from tool results wait here until the run of tool messages ends.
  let pendingMedia: Array<{ toolCallId: string; blocks: Array<ImageBlock | FileBlock> }> = [];
  const flushMedia = (i: number): void => {
    if (pendingMedia.length === 0) return;
    const parts: JsonObject[] = [];
    for (const { toolCallId, blocks } of pendingMedia) {
      parts.push({ type: 'text', text: `Attachments returned by tool call ${toolCallId}:` });
      for (const b of blocks) {
        parts.push(b.type === 'image' ? imagePart(b, `messages[${i}]`) : filePart(b, `messages[${i}]`));
      }
    }
    out.push({ role: 'user', content: parts });
    pendingMedia = [];
  };

  const emitResults = (results: ToolResultBlock[]): void => {
    for (const r of results) {
      noteCache(r.content, st);
      if (r.cacheControl) st.dropped.add('cache_control');
      const { message, media } = encodeToolResult(r);
      out.push(message);
      if (media.length > 0) pendingMedia.push({ toolCallId: r.toolCallId, blocks: media });
    }
  };

  req.messages.forEach((m, i) => {
    noteCache(m.content, st);
    // Tool results live in tool messages by convention; a user message carrying some
    // (Anthropic style) sends them first, as OpenAI wants them right after the call.
    const results = m.content.filter((b) => b.type === 'tool_result');
    if (m.role === 'tool' || m.role === 'user') emitResults(results);
    if (m.role === 'tool') return;
    flushMedia(i);
    switch (m.role) {
      case 'system':
      case 'developer': {
        if (m.content.some((b) => b.type !== 'text')) st.dropped.add(`${m.role}.non_text_content`);
        const msg: JsonObject = { role: m.role, content: textContent(m.content) };
        if (m.name) msg.name = m.name;
        out.push(msg);
        break;
      }
      case 'user':
        if (m.content.some((b) => b.type !== 'tool_result')) out.push(encodeUser(m, i, st));
        break;
      case 'assistant':
        out.push(encodeAssistant(m, req, st));
        emitResults(results);
        break;
    }
  });
  flushMedia(req.messages.length);
  return out;
}
