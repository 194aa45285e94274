/** Decoding OpenAI chat content parts (client requests) into canonical blocks. */
import { invalidRequest } from '../../canonical/errors.js';
import type {
  AudioBlock,
  FileBlock,
  ImageBlock,
  MediaSource,
  TextBlock,
} from '../../canonical/types.js';
import { isObject, str } from './json.js';

/** `data:<type>;base64,<data>` -> base64 source; other URLs -> url source. */
export function parseMediaUrl(url: string): MediaSource {
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    if (comma > 0) {
      const header = url.slice(5, comma);
      if (header.endsWith(';base64')) {
        const mediaType = header.split(';')[0] || 'application/octet-stream';
        return { kind: 'base64', mediaType, data: url.slice(comma + 1) };
      }
    }
  }
  return { kind: 'url', url };
}

/** Content that may only hold text: a string or an array of `{type:"text", text}` parts. */
export function decodeTextContent(content: unknown, param: string): TextBlock[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) {
    throw invalidRequest(`Invalid '${param}': expected a string or an array of text parts.`, param);
  }
  return content.map((part, j) => {
    const p = `${param}[${j}]`;
    if (!isObject(part) || part.type !== 'text' || typeof part.text !== 'string') {
      throw invalidRequest(`Invalid '${p}': expected a text part {"type": "text", "text": "..."}.`, p);
    }
    return { type: 'text', text: part.text };
  });
}

const DETAILS = new Set(['low', 'high', 'auto']);

function decodeImagePart(part: Record<string, unknown>, p: string): ImageBlock {
  const raw = part.image_url;
  const obj = isObject(raw) ? raw : undefined;
  const url = typeof raw === 'string' ? raw : str(obj?.url);
  if (url === undefined || url.length === 0) {
    throw invalidRequest(`Invalid '${p}.image_url': expected {"url": "..."}.`, `${p}.image_url`);
  }
  if (!/^(https?:|data:)/i.test(url)) {
    throw invalidRequest(
      `Invalid '${p}.image_url.url': expected an http(s) URL or a data: URL with base64 data.`,
      `${p}.image_url.url`,
    );
  }
  const block: ImageBlock = { type: 'image', source: parseMediaUrl(url) };
  const detail = obj?.detail;
  if (detail !== undefined && detail !== null) {
    if (typeof detail !== 'string' || !DETAILS.has(detail)) {
      throw invalidRequest(`Invalid '${p}.image_url.detail': expected low, high or auto.`, `${p}.image_url.detail`);
    }
    block.detail = detail as 'low' | 'high' | 'auto';
  }
  return block;
}

function decodeAudioPart(part: Record<string, unknown>, p: string): AudioBlock {
  const a = part.input_audio;
  if (!isObject(a) || typeof a.data !== 'string' || typeof a.format !== 'string') {
    throw invalidRequest(`Invalid '${p}.input_audio': expected {"data": "<base64>", "format": "wav"}.`, `${p}.input_audio`);
  }
  return { type: 'audio', data: a.data, format: a.format };
}

function decodeFilePart(part: Record<string, unknown>, p: string): FileBlock {
  const f = part.file;
  if (!isObject(f)) throw invalidRequest(`Invalid '${p}.file': expected an object.`, `${p}.file`);
  const filename = str(f.filename);
  const fileId = str(f.file_id);
  const fileData = str(f.file_data);
  let source: MediaSource;
  if (fileData !== undefined) {
    const parsed = parseMediaUrl(fileData);
    // OpenAI takes a data: URL here; a bare base64 string is taken as a PDF, the only type
    // OpenAI chat accepts in a file part.
    source = parsed.kind === 'base64' ? parsed : { kind: 'base64', mediaType: 'application/pdf', data: fileData };
  } else if (fileId !== undefined) {
    source = { kind: 'file', fileId };
  } else {
    throw invalidRequest(`Invalid '${p}.file': expected file_data or file_id.`, `${p}.file`);
  }
  const block: FileBlock = { type: 'file', source };
  if (filename !== undefined) block.filename = filename;
  return block;
}

export type UserBlock = TextBlock | ImageBlock | AudioBlock | FileBlock;

/** A user message's content: a string or an array of text / image_url / input_audio / file parts. */
export function decodeUserContent(content: unknown, param: string): UserBlock[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) {
    throw invalidRequest(`Invalid '${param}': expected a string or an array of content parts.`, param);
  }
  return content.map((part, j): UserBlock => {
    const p = `${param}[${j}]`;
    if (!isObject(part)) throw invalidRequest(`Invalid '${p}': expected an object.`, p);
    switch (part.type) {
      case 'text':
        if (typeof part.text !== 'string') throw invalidRequest(`Invalid '${p}.text': expected a string.`, `${p}.text`);
        return { type: 'text', text: part.text };
      case 'image_url':
        return decodeImagePart(part, p);
      case 'input_audio':
        return decodeAudioPart(part, p);
      case 'file':
        return decodeFilePart(part, p);
      default:
        throw invalidRequest(
          `Invalid '${p}.type': expected one of text, image_url, input_audio, file.`,
          `${p}.type`,
        );
    }
  });
}
