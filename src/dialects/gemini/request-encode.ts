/**
 * CanonicalRequest -> Gemini `GenerateContentRequest` body (the model goes in the URL).
 *
 * Messages -> contents:
 * - Leading system / developer messages -> `systemInstruction.parts` (text only; other blocks are
 *   reported as `system.non_text_content`).
 * - A later system / developer message -> a user turn with the text
 *   `[System instruction]\n<text>`; when it falls between a model turn's function calls and
 *   their results it is moved to just after the results (never between a call and its result).
 * - Roles are `user` / `model`; consecutive turns of the same role are merged.
 * - Tool results -> `functionResponse {id, name, response}` parts in a user turn. The name comes
 *   from the result or from the earlier tool call with that id (none -> 400 naming the id). A
 *   result whose text is a JSON object is sent as that object; any other text is sent as
 *   `{"result": text}` (`{"error": text}` when the result is an error). Images in a result follow
 *   the functionResponse parts as inlineData parts.
 * - Tool calls -> `functionCall {id, name, args}` with `thoughtSignature` from the block or from
 *   the id (`embedSignatureInId`); ids are sent without the embedded signature. The first
 *   functionCall of every model turn that still has no signature gets Google's documented
 *   placeholder `skip_thought_signature_validator` (history produced elsewhere, or by a model
 *   that gave none), so Gemini 3 does not reject the turn.
 * - Reasoning of origin `gemini` -> a `thought: true` part with its `thoughtSignature`; other
 *   origins are dropped (their signatures mean nothing to Gemini). Opaque Gemini parts
 *   (executableCode, …) are replayed; other dialects' opaque items are dropped and reported.
 */
import { invalidRequest } from '../../canonical/errors.js';
import { extractSignatureFromId, GEMINI_SKIP_SIGNATURE } from '../../canonical/opaque.js';
import type { CanonicalRequest, ContentBlock, ToolResultBlock } from '../../canonical/types.js';
import type { EncodedRequest, RequestEncodeOptions } from '../types.js';
import { encodeGenerationConfig, encodeToolChoice, encodeTools } from './config-encode.js';
import { mediaPart, type InlineMedia } from './media.js';
import { isObject, type JsonObject } from './wire.js';

interface Turn {
  role: 'user' | 'model';
  parts: JsonObject[];
}

class ContentsBuilder {
  readonly contents: Turn[] = [];
  /** tool-call id (as the client has it, and its base id) -> function name */
  readonly names = new Map<string, string>();

  append(role: Turn['role'], parts: JsonObject[]): void {
    if (parts.length === 0) return;
    const last = this.contents[this.contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else this.contents.push({ role, parts: [...parts] });
  }
}

function textOf(blocks: readonly ContentBlock[]): string {
  let out = '';
  for (const b of blocks) if (b.type === 'text') out += (out ? '\n' : '') + b.text;
  return out;
}

function parseArgs(text: string, where: string): JsonObject {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidRequest(`${where}: the tool call arguments are not valid JSON`, where);
  }
  if (!isObject(parsed)) throw invalidRequest(`${where}: the tool call arguments must be a JSON object`, where);
  return parsed;
}

function toolResponse(block: ToolResultBlock): JsonObject {
  let text = '';
  for (const c of block.content) if (c.type === 'text') text += c.text;
  let value: unknown = text;
  if (text.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isObject(parsed)) value = parsed;
    } catch {
      // plain text that happens to start with "{"
    }
  }
  if (block.isError) return isObject(value) && 'error' in value ? value : { error: value };
  return isObject(value) ? value : { result: text };
}

class PartEncoder {
  constructor(
    private readonly builder: ContentsBuilder,
    private readonly inline: InlineMedia | undefined,
    private readonly dropped: Set<string>,
  ) {}

  /** The parts of one message, tool results first-class (functionResponse + trailing media). */
  encode(blocks: readonly ContentBlock[], where: string): JsonObject[] {
    const parts: JsonObject[] = [];
    const trailing: JsonObject[] = [];
    for (const [j, block] of blocks.entries()) {
      const at = `${where}.content[${j}]`;
      switch (block.type) {
        case 'text':
          if (block.text !== '' || block.thoughtSignature) {
            parts.push(block.thoughtSignature ? { text: block.text, thoughtSignature: block.thoughtSignature } : { text: block.text });
          }
          break;
        case 'image':
          parts.push(mediaPart(block.source, undefined, this.inline, at));
          break;
        case 'file':
          parts.push(mediaPart(block.source, 'application/pdf', this.inline, at));
          break;
        case 'audio':
          parts.push({ inlineData: { mimeType: `audio/${block.format}`, data: block.data } });
          break;
        case 'tool_call': {
          const { baseId, signature } = extractSignatureFromId(block.id);
          this.builder.names.set(block.id, block.name);
          this.builder.names.set(baseId, block.name);
          const part: JsonObject = { functionCall: { id: baseId, name: block.name, args: parseArgs(block.arguments, at) } };
          const sig = block.thoughtSignature ?? signature;
          if (sig) part.thoughtSignature = sig;
          parts.push(part);
          break;
        }
        case 'tool_result': {
          const { baseId } = extractSignatureFromId(block.toolCallId);
          const name = block.name ?? this.builder.names.get(block.toolCallId) ?? this.builder.names.get(baseId);
          if (!name) {
            throw invalidRequest(
              `${at}: the tool result for tool_call_id "${block.toolCallId}" has no matching tool call earlier in the conversation; Gemini needs the function's name`,
              at,
              'tool_call_not_found',
            );
          }
          parts.push({ functionResponse: { id: baseId, name, response: toolResponse(block) } });
          for (const [k, c] of block.content.entries()) {
            if (c.type === 'image') trailing.push(mediaPart(c.source, undefined, this.inline, `${at}.content[${k}]`));
            else if (c.type === 'file') trailing.push(mediaPart(c.source, 'application/pdf', this.inline, `${at}.content[${k}]`));
          }
          break;
        }
        case 'reasoning':
          if (block.origin === 'gemini' && (block.text !== '' || block.signature)) {
            const part: JsonObject = { thought: true };
            if (block.text !== '') part.text = block.text;
            if (block.signature) part.thoughtSignature = block.signature;
            parts.push(part);
          }
          break;
        case 'opaque':
          if (block.dialect === 'gemini' && isObject(block.value)) parts.push(block.value);
          else this.dropped.add(`${block.dialect}_builtin_tool_items`);
          break;
      }
    }
    return trailing.length > 0 ? [...parts, ...trailing] : parts;
  }
}

/** Google's placeholder on the first functionCall of each model turn that has no signature. */
function fillMissingSignatures(contents: Turn[]): void {
  for (const turn of contents) {
    if (turn.role !== 'model') continue;
    const first = turn.parts.find((p) => p.functionCall !== undefined);
    if (first && !first.thoughtSignature) first.thoughtSignature = GEMINI_SKIP_SIGNATURE;
  }
}

export function encodeGeminiRequest(req: CanonicalRequest, opts: RequestEncodeOptions): EncodedRequest {
  const dropped = new Set<string>();
  const builder = new ContentsBuilder();
  const encoder = new PartEncoder(builder, opts.inlineMedia, dropped);
  const systemParts: JsonObject[] = [];
  let leading = true;
  let awaitingResults = false;
  const deferred: JsonObject[] = [];

  for (const [i, msg] of req.messages.entries()) {
    const where = `messages[${i}]`;
    if (msg.role === 'system' || msg.role === 'developer') {
      const text = textOf(msg.content);
      if (leading) {
        for (const b of msg.content) {
          if (b.type === 'text') {
            if (b.text !== '') systemParts.push({ text: b.text });
          } else dropped.add('system.non_text_content');
        }
        continue;
      }
      if (text === '') continue;
      const part = { text: `[System instruction]\n${text}` };
      if (awaitingResults) deferred.push(part);
      else builder.append('user', [part]);
      continue;
    }
    leading = false;
    if (msg.role !== 'tool' && deferred.length > 0) {
      builder.append('user', deferred.splice(0));
    }
    if (msg.role !== 'tool') awaitingResults = false;
    const parts = encoder.encode(msg.content, where);
    if (msg.role === 'assistant') {
      builder.append('model', parts);
      awaitingResults = parts.some((p) => p.functionCall !== undefined);
    } else {
      builder.append('user', parts);
    }
  }
  if (deferred.length > 0) builder.append('user', deferred);

  if (builder.contents.length === 0) {
    throw invalidRequest('Gemini needs at least one user or assistant message besides the system instructions', 'messages');
  }
  fillMissingSignatures(builder.contents);

  const body: JsonObject = { contents: builder.contents };
  if (systemParts.length > 0) body.systemInstruction = { parts: systemParts };
  const droppedList: string[] = [];
  const tools = encodeTools(req, droppedList);
  if (tools) body.tools = tools;
  const toolConfig = encodeToolChoice(req.toolChoice);
  if (toolConfig) body.toolConfig = toolConfig;
  const gc = encodeGenerationConfig(req, opts.upstreamModel);

  if (req.parallelToolCalls === false) dropped.add('parallel_tool_calls');
  if (req.user !== undefined) dropped.add('user');
  if (req.metadata !== undefined) dropped.add('metadata');
  if (req.promptCacheKey !== undefined) dropped.add('prompt_cache_key');

  const unknown = req.unknownFields ?? {};
  if (req.sourceDialect === 'gemini') {
    for (const [k, v] of Object.entries(unknown)) {
      if (k === 'generationConfig' && isObject(v)) Object.assign(gc, v);
      else body[k] = v;
    }
  } else {
    for (const k of Object.keys(unknown)) dropped.add(k);
  }
  if (Object.keys(gc).length > 0) body.generationConfig = gc;
  for (const d of droppedList) dropped.add(d);
  return { body, dropped: [...dropped] };
}
