/**
 * Carrying provider-opaque state through a client dialect that has no field for it.
 *
 * - Gemini thought signatures on function calls ride inside the tool-call id a client sees:
 *   `<id>__ts_<base64url signature>`. The id stays valid for every dialect (Anthropic tool ids
 *   allow only [A-Za-z0-9_-]), and the client sends it back untouched with the tool result.
 * - Reasoning state of one vendor shown to a Responses client rides in a reasoning item's
 *   `encrypted_content` as `apx1.<origin>.<base64url JSON>`.
 */
import type { OpaqueOrigin } from './types.js';

const SIG_MARK = '__ts_';

function toBase64Url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url');
}

function fromBase64Url(s: string): string {
  return Buffer.from(s, 'base64url').toString('utf8');
}

/** Attach a Gemini thought signature to a tool-call id. */
export function embedSignatureInId(id: string, signature: string | undefined): string {
  if (!signature) return id;
  return `${id}${SIG_MARK}${toBase64Url(signature)}`;
}

/** Split an id produced by embedSignatureInId; ids without a signature come back unchanged. */
export function extractSignatureFromId(id: string): { baseId: string; signature?: string } {
  const at = id.indexOf(SIG_MARK);
  if (at < 0) return { baseId: id };
  const encoded = id.slice(at + SIG_MARK.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return { baseId: id };
  return { baseId: id.slice(0, at), signature: fromBase64Url(encoded) };
}

/**
 * Gemini accepts this value in place of a lost thought signature (documented by Google for
 * histories that come from elsewhere). Used when a function call in the history has none.
 */
export const GEMINI_SKIP_SIGNATURE = 'skip_thought_signature_validator';

export interface PackedReasoning {
  origin: OpaqueOrigin;
  signature?: string;
  redactedData?: string;
  text?: string;
}

const PACK_PREFIX = 'apx1.';

export function packReasoning(value: PackedReasoning): string {
  return `${PACK_PREFIX}${value.origin}.${toBase64Url(JSON.stringify(value))}`;
}

/** Returns undefined for anything that is not ours (e.g. real OpenAI encrypted_content). */
export function unpackReasoning(encrypted: string): PackedReasoning | undefined {
  if (!encrypted.startsWith(PACK_PREFIX)) return undefined;
  const rest = encrypted.slice(PACK_PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot < 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(fromBase64Url(rest.slice(dot + 1)));
    if (parsed && typeof parsed === 'object' && 'origin' in parsed) {
      const p = parsed as PackedReasoning;
      if (p.origin === 'anthropic' || p.origin === 'gemini' || p.origin === 'openai') return p;
    }
  } catch {
    return undefined;
  }
  return undefined;
}
