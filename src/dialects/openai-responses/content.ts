/**
 * Content parts of Responses messages and of `function_call_output.output`:
 * `input_text` / `output_text` / `refusal` / `input_image` / `input_file` <-> canonical blocks.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type { FileBlock, ImageBlock, MediaSource, TextBlock } from '../../canonical/types.js';
import { isRecord, optString, type JsonObject } from './guards.js';

export type PartBlock = TextBlock | ImageBlock | FileBlock;

const DATA_URL = /^data:([^;,]+)?((?:;[^;,]+)*);base64,(.*)$/s;

/** `data:<type>;base64,<data>` -> base64 source; anything else is a URL. */
function sourceFromUrl(url: string): MediaSource {
  const m = DATA_URL.exec(url);
  if (m) return { kind: 'base64', mediaType: m[1] ?? 'application/octet-stream', data: m[3] ?? '' };
  return { kind: 'url', url };
}

const EXT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

function mediaTypeFromFilename(filename: string | undefined): string {
  const ext = filename?.split('.').pop()?.toLowerCase();
  return (ext !== undefined && EXT_TYPES[ext]) || 'application/octet-stream';
}

function extensionFor(mediaType: string): string {
  for (const [ext, type] of Object.entries(EXT_TYPES)) if (type === mediaType) return ext;
  return 'bin';
}

function decodeImage(part: JsonObject, param: string): ImageBlock {
  const url = optString(part.image_url, `${param}.image_url`);
  const fileId = optString(part.file_id, `${param}.file_id`);
  let source: MediaSource;
  if (url !== undefined) source = sourceFromUrl(url);
  else if (fileId !== undefined) source = { kind: 'file', fileId };
  else throw invalidRequest(`${param} needs image_url or file_id`, param);
  const block: ImageBlock = { type: 'image', source };
  const detail = part.detail;
  // 'original' (and future values) have no canonical equivalent: the target picks its default
  if (detail === 'low' || detail === 'high' || detail === 'auto') block.detail = detail;
  return block;
}

function decodeFile(part: JsonObject, param: string): FileBlock {
  const data = optString(part.file_data, `${param}.file_data`);
  const fileId = optString(part.file_id, `${param}.file_id`);
  const fileUrl = optString(part.file_url, `${param}.file_url`);
  const filename = optString(part.filename, `${param}.filename`);
  let source: MediaSource;
  if (data !== undefined) {
    // documented as a data URL; raw base64 is accepted too (media type from the file name)
    source = data.startsWith('data:')
      ? sourceFromUrl(data)
      : { kind: 'base64', mediaType: mediaTypeFromFilename(filename), data };
  } else if (fileId !== undefined) source = { kind: 'file', fileId };
  else if (fileUrl !== undefined) source = { kind: 'url', url: fileUrl };
  else throw invalidRequest(`${param} needs file_data, file_id or file_url`, param);
  const block: FileBlock = { type: 'file', source };
  if (filename !== undefined) block.filename = filename;
  return block;
}

/** One content part of a message or tool output. */
export function decodePart(part: unknown, param: string): PartBlock {
  if (!isRecord(part)) throw invalidRequest(`${param} must be an object`, param);
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: optString(part.text, `${param}.text`) ?? '' };
    case 'refusal':
      // an earlier assistant refusal, replayed: the readable text is what matters to the model
      return { type: 'text', text: optString(part.refusal, `${param}.refusal`) ?? '' };
    case 'input_image':
      return decodeImage(part, param);
    case 'input_file':
      return decodeFile(part, param);
    default:
      throw invalidRequest(
        `${param}.type ${JSON.stringify(part.type)} is not supported (use input_text, input_image or input_file)`,
        `${param}.type`,
      );
  }
}

/** Message content: a string or a list of parts. */
export function decodeContent(content: unknown, param: string): PartBlock[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest(`${param} must be a string or an array`, param);
  return content.map((p, i) => decodePart(p, `${param}[${i}]`));
}

function dataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}

export function encodeImagePart(block: ImageBlock): JsonObject {
  const part: JsonObject = { type: 'input_image', detail: block.detail ?? 'auto' };
  const s = block.source;
  if (s.kind === 'url') part.image_url = s.url;
  else if (s.kind === 'base64') part.image_url = dataUrl(s.mediaType, s.data);
  else part.file_id = s.fileId;
  return part;
}

export function encodeFilePart(block: FileBlock): JsonObject {
  const part: JsonObject = { type: 'input_file' };
  const s = block.source;
  if (s.kind === 'url') part.file_url = s.url;
  else if (s.kind === 'file') part.file_id = s.fileId;
  else {
    part.file_data = dataUrl(s.mediaType, s.data);
    // OpenAI wants a file name with inline data; invent a neutral one when the source had none
    part.filename = block.filename ?? `document.${extensionFor(s.mediaType)}`;
    return part;
  }
  if (block.filename !== undefined) part.filename = block.filename;
  return part;
}

/** Canonical part -> Responses input part (`input_text` / `input_image` / `input_file`). */
export function encodeInputPart(block: PartBlock): JsonObject {
  if (block.type === 'text') return { type: 'input_text', text: block.text };
  if (block.type === 'image') return encodeImagePart(block);
  return encodeFilePart(block);
}
