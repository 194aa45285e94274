/**
 * Bodies for request_logs when LOG_BODIES=true: media payloads replaced by a placeholder,
 * anything credential-like scrubbed (key patterns, the answering provider's own keys, and JSON
 * fields named like secrets), and cut to LOG_BODY_MAX_BYTES. No header is ever stored, so an
 * Authorization header cannot end up in a log row.
 */
import { scrubSecrets } from '../routing/upstream-error.js';

const MEDIA_RUN = 2048;
const SECRET_FIELD = /("(?:api[_-]?key|x-api-key|x-goog-api-key|authorization|password|secret|client[_-]?secret|access[_-]?token|refresh[_-]?token)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/** A copy of a JSON value with media strings (data URLs, long base64 runs) replaced by a note. */
export function withoutMedia(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    if (value.startsWith('data:') || (value.length >= MEDIA_RUN && !/\s/.test(value.slice(0, MEDIA_RUN)))) {
      const comma = value.startsWith('data:') ? value.indexOf(',') : -1;
      const head = comma > 0 && comma < 100 ? value.slice(0, comma + 1) : '';
      return `${head}[${value.length} characters of media omitted]`;
    }
    return value;
  }
  if (depth > 200 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => withoutMedia(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = withoutMedia(v, depth + 1);
  return out;
}

/** Cut text to at most `maxBytes` UTF-8 bytes (on a character boundary), noting what was cut. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return text;
  const note = `…[truncated, ${bytes} bytes in all]`;
  const room = Math.max(0, maxBytes - Buffer.byteLength(note));
  let cut = Buffer.from(text).subarray(0, room).toString('utf8');
  // a multi-byte character split at the edge decodes to U+FFFD: drop it
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return cut + note;
}

export function scrubBody(text: string, secrets: readonly string[]): string {
  return scrubSecrets(text, secrets).replace(SECRET_FIELD, '$1"[redacted]"');
}

/** A request body for the log: JSON without media, scrubbed, truncated. */
export function loggedRequestBody(body: unknown, maxBytes: number, secrets: readonly string[]): string | null {
  if (body === undefined || body === null) return null;
  let text: string;
  try {
    text = JSON.stringify(withoutMedia(body));
  } catch {
    return null;
  }
  return truncateUtf8(scrubBody(text, secrets), maxBytes);
}

/** A response body (JSON answer or the SSE text of a stream) for the log: scrubbed, truncated. */
export function loggedResponseBody(text: string | null, maxBytes: number, secrets: readonly string[]): string | null {
  if (text === null || text === '') return null;
  // scrub before cutting, so a key cut in half cannot survive as a fragment
  return truncateUtf8(scrubBody(text.length > maxBytes * 4 ? text.slice(0, maxBytes * 4) : text, secrets), maxBytes);
}
