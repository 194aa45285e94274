/**
 * Gemini request `contents` -> canonical messages.
 *
 * Tool-call ids. Gemini may omit `functionCall.id` / `functionResponse.id`. The decoder gives
 * every id-less call a deterministic id so the same history always decodes to the same ids:
 * the k-th functionCall part (0-based, counting all functionCall parts of that content) of the
 * content at index t of `contents` gets `call_<t>_<k>`. An id-less functionResponse takes the id
 * of the oldest still unanswered call with the same name. A response with an id answers the call
 * with that id; when there is none, the oldest unanswered id-less call of that name takes the
 * response's id (Gemini CLI invents ids for calls that came without one and sends them only on
 * the responses). An id-less response that matches no call gets `call_<t>_<k>` from its own
 * position. A turn without parts adds no message.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type {
  CanonicalMessage,
  ContentBlock,
  ImageBlock,
  FileBlock,
  AudioBlock,
  ToolCallBlock,
  ToolResultBlock,
  TextBlock,
} from '../../canonical/types.js';
import { isObject, optArray, optString, type JsonObject } from './wire.js';

interface PendingCall {
  block: ToolCallBlock;
  /** the id was made up here (the call had none) */
  synthesized: boolean;
}

/** Pairs calls and responses (see the file comment). */
class ToolIdTracker {
  /** name -> calls not answered yet, oldest first */
  private readonly pending = new Map<string, PendingCall[]>();

  call(block: ToolCallBlock, synthesized: boolean): void {
    const list = this.pending.get(block.name);
    if (list) list.push({ block, synthesized });
    else this.pending.set(block.name, [{ block, synthesized }]);
  }

  /** The id a response answers; undefined when it matches no call and has no id of its own. */
  answer(name: string, id: string | undefined): string | undefined {
    const list = this.pending.get(name) ?? [];
    if (id === undefined) return list.shift()?.block.id;
    let at = list.findIndex((p) => p.block.id === id);
    if (at < 0) {
      // the call came without an id and the client made one up for its response (Gemini CLI
      // does): the call takes the client's id so both sides agree
      at = list.findIndex((p) => p.synthesized);
      const entry = list[at];
      if (entry) entry.block.id = id;
    }
    if (at >= 0) list.splice(at, 1);
    return id;
  }
}

/** `audio/mpeg` -> `mp3`, `audio/wav` -> `wav`, … (the canonical AudioBlock format). */
function audioFormat(mimeType: string): string {
  const sub = mimeType.slice(mimeType.indexOf('/') + 1).toLowerCase();
  if (sub === 'mpeg' || sub === 'mp3') return 'mp3';
  if (sub === 'x-wav' || sub === 'wave') return 'wav';
  return sub;
}

export function decodeInlineData(value: unknown, param: string): ImageBlock | FileBlock | AudioBlock {
  if (!isObject(value)) throw invalidRequest(`${param} must be an object`, param);
  const mimeType = optString(value.mimeType, `${param}.mimeType`);
  const data = optString(value.data, `${param}.data`);
  if (!mimeType || data === undefined) throw invalidRequest(`${param} needs mimeType and data`, param);
  if (mimeType.startsWith('image/')) return { type: 'image', source: { kind: 'base64', mediaType: mimeType, data } };
  if (mimeType.startsWith('audio/')) return { type: 'audio', data, format: audioFormat(mimeType) };
  return { type: 'file', source: { kind: 'base64', mediaType: mimeType, data } };
}

export function decodeFileData(value: unknown, param: string): ImageBlock | FileBlock {
  if (!isObject(value)) throw invalidRequest(`${param} must be an object`, param);
  const fileUri = optString(value.fileUri, `${param}.fileUri`);
  if (!fileUri) throw invalidRequest(`${param}.fileUri is required`, `${param}.fileUri`);
  const mimeType = optString(value.mimeType, `${param}.mimeType`);
  const source = mimeType ? { kind: 'file' as const, fileId: fileUri, mediaType: mimeType } : { kind: 'file' as const, fileId: fileUri };
  if (mimeType?.startsWith('image/')) return { type: 'image', source };
  const block: FileBlock = { type: 'file', source };
  if (typeof value.displayName === 'string') block.filename = value.displayName;
  return block;
}

/** A functionResponse's `response` object as tool-result text (lossless JSON). */
function responseToResult(
  fr: JsonObject,
  id: string,
  name: string,
  param: string,
): ToolResultBlock {
  const response = fr.response;
  if (response !== undefined && response !== null && !isObject(response)) {
    throw invalidRequest(`${param}.response must be an object`, `${param}.response`);
  }
  const content: ToolResultBlock['content'] = [];
  if (response !== undefined && response !== null) content.push({ type: 'text', text: JSON.stringify(response) });
  // Gemini 3 multimodal function responses: `parts: [{inlineData}|{fileData}]`
  for (const [i, part] of (optArray(fr.parts, `${param}.parts`) ?? []).entries()) {
    if (!isObject(part)) continue;
    if (part.inlineData !== undefined) {
      const block = decodeInlineData(part.inlineData, `${param}.parts[${i}].inlineData`);
      if (block.type !== 'audio') content.push(block);
    } else if (part.fileData !== undefined) {
      content.push(decodeFileData(part.fileData, `${param}.parts[${i}].fileData`));
    }
  }
  const block: ToolResultBlock = { type: 'tool_result', toolCallId: id, name, content };
  if (isObject(response) && Object.keys(response).length === 1 && 'error' in response) block.isError = true;
  return block;
}

function decodeArgs(args: unknown, param: string): string {
  if (args === undefined || args === null) return '{}';
  if (!isObject(args)) throw invalidRequest(`${param}.args must be an object`, `${param}.args`);
  return JSON.stringify(args);
}

/** Decode `contents` (the conversation, without systemInstruction). */
export function decodeContents(contents: unknown[]): CanonicalMessage[] {
  const messages: CanonicalMessage[] = [];
  const ids = new ToolIdTracker();

  for (const [t, content] of contents.entries()) {
    const param = `contents[${t}]`;
    if (!isObject(content)) throw invalidRequest(`${param} must be an object`, param);
    const role = optString(content.role, `${param}.role`) ?? 'user';
    if (role !== 'user' && role !== 'model' && role !== 'function') {
      throw invalidRequest(`${param}.role must be "user" or "model", got "${role}"`, `${param}.role`);
    }
    // a single part object is accepted for the repeated field, as Gemini's JSON parser does
    const parts = isObject(content.parts) ? [content.parts] : (optArray(content.parts, `${param}.parts`) ?? []);
    const isModel = role === 'model';

    let current: CanonicalMessage | undefined;
    const push = (block: ContentBlock, msgRole: CanonicalMessage['role']): void => {
      if (!current || current.role !== msgRole) {
        current = { role: msgRole, content: [] };
        messages.push(current);
      }
      current.content.push(block);
    };
    const plainRole: CanonicalMessage['role'] = isModel ? 'assistant' : 'user';
    let callIndex = 0;
    let responseIndex = 0;

    for (const [p, part] of parts.entries()) {
      const pp = `${param}.parts[${p}]`;
      if (!isObject(part)) throw invalidRequest(`${pp} must be an object`, pp);
      const signature = optString(part.thoughtSignature, `${pp}.thoughtSignature`);

      if (part.functionCall !== undefined) {
        const fc = part.functionCall;
        if (!isObject(fc)) throw invalidRequest(`${pp}.functionCall must be an object`, `${pp}.functionCall`);
        const name = optString(fc.name, `${pp}.functionCall.name`);
        if (!name) throw invalidRequest(`${pp}.functionCall.name is required`, `${pp}.functionCall.name`);
        const given = optString(fc.id, `${pp}.functionCall.id`) || undefined;
        const id = given ?? `call_${t}_${callIndex}`;
        callIndex++;
        const block: ToolCallBlock = { type: 'tool_call', id, name, arguments: decodeArgs(fc.args, `${pp}.functionCall`) };
        if (signature) block.thoughtSignature = signature;
        ids.call(block, given === undefined);
        push(block, 'assistant');
      } else if (part.functionResponse !== undefined) {
        const fr = part.functionResponse;
        if (!isObject(fr)) throw invalidRequest(`${pp}.functionResponse must be an object`, `${pp}.functionResponse`);
        const name = optString(fr.name, `${pp}.functionResponse.name`);
        if (!name) throw invalidRequest(`${pp}.functionResponse.name is required`, `${pp}.functionResponse.name`);
        const given = optString(fr.id, `${pp}.functionResponse.id`) || undefined;
        const id = ids.answer(name, given) ?? `call_${t}_${responseIndex}`;
        responseIndex++;
        push(responseToResult(fr, id, name, `${pp}.functionResponse`), 'tool');
      } else if (part.text !== undefined) {
        const text = optString(part.text, `${pp}.text`) ?? '';
        if (part.thought === true) {
          push(signature ? { type: 'reasoning', text, origin: 'gemini', signature } : { type: 'reasoning', text, origin: 'gemini' }, plainRole);
        } else {
          const block: TextBlock = { type: 'text', text };
          if (signature) block.thoughtSignature = signature;
          push(block, plainRole);
        }
      } else if (isModel && signature && (part.inlineData !== undefined || part.fileData !== undefined)) {
        // signed generated media (Gemini 3 image models): only Gemini can take it back as it was
        push({ type: 'opaque', dialect: 'gemini', value: part }, plainRole);
      } else if (part.inlineData !== undefined) {
        push(decodeInlineData(part.inlineData, `${pp}.inlineData`), plainRole);
      } else if (part.fileData !== undefined) {
        push(decodeFileData(part.fileData, `${pp}.fileData`), plainRole);
      } else if (part.thought === true && signature) {
        // a signature-only thought part
        push({ type: 'reasoning', text: '', origin: 'gemini', signature }, plainRole);
      } else {
        // executableCode, codeExecutionResult and anything newer: replayable to Gemini only
        push({ type: 'opaque', dialect: 'gemini', value: part }, plainRole);
      }
    }
  }
  return messages;
}
