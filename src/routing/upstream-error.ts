/**
 * Reading a provider's error answer, whatever its dialect, into a canonical error the client can
 * be told about: the upstream's status and message, with any secret scrubbed out.
 */
import type { CanonicalError, ErrorType } from '../canonical/types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The message inside any of the four error shapes (Gemini sometimes wraps it in an array). */
export function upstreamMessage(body: unknown): string | undefined {
  const b = Array.isArray(body) ? body[0] : body;
  if (!isObj(b)) return undefined;
  const err = b.error;
  if (isObj(err) && typeof err.message === 'string') return err.message;
  if (typeof err === 'string') return err;
  if (typeof b.message === 'string') return b.message;
  if (typeof b.detail === 'string') return b.detail;
  return undefined;
}

export function errorTypeForStatus(status: number): ErrorType {
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limit';
  if (status === 529 || status === 503) return 'overloaded';
  if (status >= 500) return 'upstream';
  return 'invalid_request';
}

const KEY_PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_*.-]{6,}/g, // OpenAI / Anthropic / many compatible servers
  /\bAIza[0-9A-Za-z_-]{10,}/g, // Google
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
];

/** Remove anything that looks like a credential, and every known secret verbatim. */
const secretsByKeys = new WeakMap<readonly { secret: string }[], readonly string[]>();

/** A provider's key secrets (to scrub from what it says), worked out once per catalog load. */
export function providerSecrets(p: { keys: readonly { secret: string }[] }): readonly string[] {
  let s = secretsByKeys.get(p.keys);
  if (!s) {
    s = p.keys.map((k) => k.secret);
    secretsByKeys.set(p.keys, s);
  }
  return s;
}

export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 6) out = out.split(s).join('[redacted]');
  for (const re of KEY_PATTERNS) out = out.replace(re, '[redacted]');
  return out;
}

export function parseErrorBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A canonical error from an upstream's HTTP error answer. */
export function upstreamHttpError(status: number, bodyText: string, secrets: readonly string[]): CanonicalError {
  const body = parseErrorBody(bodyText);
  const raw = upstreamMessage(body) ?? (typeof body === 'string' && body.trim() ? body.trim().slice(0, 500) : `HTTP ${status}`);
  return { status, type: errorTypeForStatus(status), message: scrubSecrets(raw, secrets) };
}
