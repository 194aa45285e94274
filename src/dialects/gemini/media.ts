/**
 * Media blocks -> Gemini parts. Gemini takes bytes (`inlineData`) or its own file URIs
 * (`fileData`: Files API URIs, gs:// on Vertex); it cannot fetch an arbitrary http(s) URL. The
 * caller fetches those (with its SSRF allowlist and size cap) and passes the bytes in
 * `RequestEncodeOptions.inlineMedia`; `collectRemoteImages(req)` lists the URLs to fetch.
 */
import { invalidRequest } from '../../canonical/errors.js';
import type { CanonicalRequest, ContentBlock, MediaSource } from '../../canonical/types.js';
import type { JsonObject } from './wire.js';

export type InlineMedia = ReadonlyMap<string, { mediaType: string; data: string }>;

const GEMINI_FILE_URI = /^(https:\/\/generativelanguage\.googleapis\.com\/|gs:\/\/)/;

function isRemote(url: string): boolean {
  return /^https?:\/\//i.test(url) && !GEMINI_FILE_URI.test(url);
}

function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const m = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (!m?.[1] || m[2] === undefined) return undefined;
  return { mediaType: m[1], data: m[2] };
}

function mediaBlocks(blocks: readonly ContentBlock[], out: string[], seen: Set<string>): void {
  for (const block of blocks) {
    if ((block.type === 'image' || block.type === 'file') && block.source.kind === 'url') {
      const url = block.source.url;
      if (isRemote(url) && !seen.has(url)) {
        seen.add(url);
        out.push(url);
      }
    } else if (block.type === 'tool_result') {
      mediaBlocks(block.content, out, seen);
    }
  }
}

/** The http(s) URLs of images and files a Gemini target cannot take as they are (fetch them). */
export function collectRemoteImages(req: CanonicalRequest): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const message of req.messages) mediaBlocks(message.content, out, seen);
  return out;
}

/** One media source as a Gemini part; `where` names the block for error messages. */
export function mediaPart(
  source: MediaSource,
  fallbackMime: string | undefined,
  inline: InlineMedia | undefined,
  where: string,
): JsonObject {
  switch (source.kind) {
    case 'base64':
      return { inlineData: { mimeType: source.mediaType, data: source.data } };
    case 'file': {
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(source.fileId)) {
        throw invalidRequest(
          `${where}: file "${source.fileId}" is not a Gemini file URI; send the file's bytes instead`,
          where,
          'unsupported_file_reference',
        );
      }
      const fileData: JsonObject = { fileUri: source.fileId };
      const mime = source.mediaType ?? fallbackMime;
      if (mime) fileData.mimeType = mime;
      return { fileData };
    }
    case 'url': {
      const data = parseDataUrl(source.url);
      if (data) return { inlineData: { mimeType: data.mediaType, data: data.data } };
      if (!isRemote(source.url)) {
        const fileData: JsonObject = { fileUri: source.url };
        if (fallbackMime) fileData.mimeType = fallbackMime;
        return { fileData };
      }
      const fetched = inline?.get(source.url);
      if (!fetched) {
        throw invalidRequest(
          `${where}: the URL ${source.url} must be fetched and inlined for Gemini, which cannot read http(s) URLs`,
          where,
          'media_url_not_inlined',
        );
      }
      return { inlineData: { mimeType: fetched.mediaType, data: fetched.data } };
    }
  }
}
