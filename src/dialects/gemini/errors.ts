/**
 * Gemini error bodies: `{"error": {"code": <http status>, "message": "...", "status": "NOT_FOUND",
 * "details": [...]}}` (a JSON-array stream may wrap it in `[...]`).
 * The canonical `code` keeps Gemini's status string, except a prompt over the context window,
 * which gets `context_length_exceeded` so routing can recognise it.
 */
import type { CanonicalError, ErrorType } from '../../canonical/types.js';
import { isObject, str } from './wire.js';

const TYPE_BY_STATUS: Record<string, ErrorType> = {
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  UNAUTHENTICATED: 'authentication',
  PERMISSION_DENIED: 'permission',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
  INTERNAL: 'upstream',
  UNKNOWN: 'upstream',
  CANCELLED: 'upstream',
};

function typeFromHttp(status: number): ErrorType {
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status === 504) return 'timeout';
  if (status >= 400 && status < 500) return 'invalid_request';
  return 'upstream';
}

const CONTEXT_TOO_LONG = /input token count.*exceeds the maximum|exceeds the maximum number of tokens/i;

export function decodeGeminiError(status: number, body: unknown): CanonicalError {
  const root = Array.isArray(body) ? body[0] : body;
  const err = isObject(root) && isObject(root.error) ? root.error : undefined;
  const statusText = str(err?.status);
  const message =
    str(err?.message) ?? (typeof body === 'string' && body.trim() !== '' ? body.slice(0, 2000) : `Gemini returned HTTP ${status}`);
  const type = (statusText && TYPE_BY_STATUS[statusText]) || typeFromHttp(status);
  const out: CanonicalError = { status, type, message };
  if (type === 'invalid_request' && CONTEXT_TOO_LONG.test(message)) out.code = 'context_length_exceeded';
  else if (statusText) out.code = statusText;
  return out;
}

const STATUS_BY_TYPE: Record<ErrorType, string> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  rate_limit: 'RESOURCE_EXHAUSTED',
  overloaded: 'UNAVAILABLE',
  timeout: 'DEADLINE_EXCEEDED',
  upstream: 'INTERNAL',
  internal: 'INTERNAL',
};

/** HTTP statuses Gemini uses, for errors whose type does not fix the status string. */
const STATUS_BY_HTTP: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function encodeGeminiError(error: CanonicalError): { error: { code: number; message: string; status: string } } {
  const code = Number.isInteger(error.status) && error.status >= 400 && error.status <= 599 ? error.status : 500;
  const status = STATUS_BY_HTTP[code] ?? STATUS_BY_TYPE[error.type] ?? 'INTERNAL';
  return { error: { code, message: error.message, status } };
}
