/**
 * Tool-use ids on the Anthropic wire must match ^[a-zA-Z0-9_-]+$. Canonical ids come from any
 * dialect (OpenAI `call_…`, Gemini-synthesised ids, ids carrying a Gemini thought signature), so
 * the Anthropic side maps them deterministically and reversibly:
 *
 *   toAnthropicId(id) = id                                  when id matches the pattern and does
 *                                                           not start with MAPPED_ID_PREFIX
 *                     = MAPPED_ID_PREFIX + base64url(utf8 id) otherwise
 *
 * Ids that already start with the prefix are always encoded, so `fromAnthropicId` is an exact
 * inverse: a client that sends back an id we produced gets its original id back, and an id the
 * client made up itself passes through unchanged.
 *
 * The ids a client of this dialect sees also carry a Gemini thought signature when the canonical
 * tool call has one (`embedSignatureInId`, src/canonical/opaque.ts), so a Claude Code session
 * served by Gemini can replay the signature on the next turn.
 */
import { embedSignatureInId, extractSignatureFromId } from '../../canonical/opaque.js';

export const MAPPED_ID_PREFIX = 'apxid_';
const SAFE_ID = /^[a-zA-Z0-9_-]+$/;

export function toAnthropicId(id: string): string {
  if (SAFE_ID.test(id) && !id.startsWith(MAPPED_ID_PREFIX)) return id;
  return MAPPED_ID_PREFIX + Buffer.from(id, 'utf8').toString('base64url');
}

export function fromAnthropicId(id: string): string {
  if (!id.startsWith(MAPPED_ID_PREFIX)) return id;
  const encoded = id.slice(MAPPED_ID_PREFIX.length);
  if (encoded.length > 0 && !SAFE_ID.test(encoded)) return id;
  const decoded = Buffer.from(encoded, 'base64url').toString('utf8');
  // only accept what toAnthropicId would have produced (exact inverse, never a lossy guess)
  return toAnthropicId(decoded) === id ? decoded : id;
}

/** The id an Anthropic client sees for a canonical tool call. */
export function clientToolId(id: string, thoughtSignature?: string): string {
  return toAnthropicId(embedSignatureInId(id, thoughtSignature));
}

/** A tool id sent by an Anthropic client -> canonical id (+ Gemini signature riding in it). */
export function parseClientToolId(id: string): { id: string; thoughtSignature?: string } {
  const { baseId, signature } = extractSignatureFromId(fromAnthropicId(id));
  return signature === undefined ? { id: baseId } : { id: baseId, thoughtSignature: signature };
}
