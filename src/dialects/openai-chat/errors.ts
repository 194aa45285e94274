/**
 * OpenAI error bodies `{"error":{"message","type","param","code"}}` <-> CanonicalError.
 *
 * Error types we send (encodeError). OpenAI documents no closed list; these are the strings
 * OpenAI itself sends where it has one (recorded: 400 and 404 `invalid_request_error`, with
 * code `model_not_found` for an unknown model; 429 `insufficient_quota`; 5xx `server_error`),
 * and the conventional names of OpenAI-compatible gateways elsewhere:
 *
 * | canonical        | type                        | default code           |
 * |------------------|-----------------------------|------------------------|
 * | invalid_request  | invalid_request_error       | –                      |
 * | authentication   | authentication_error        | invalid_api_key        |
 * | permission       | permission_error            | –                      |
 * | not_found        | invalid_request_error       | – (OpenAI's 404 shape) |
 * | rate_limit       | rate_limit_error, or insufficient_quota when code is insufficient_quota |
 * | overloaded       | service_unavailable_error   | –                      |
 * | timeout          | timeout_error               | –                      |
 * | upstream/internal| server_error                | –                      |
 *
 * The OpenAI SDKs pick their exception class from the HTTP status, not the type, so the status
 * is what matters to clients; the type is for people and logs.
 */
import type { CanonicalError, ErrorType } from '../../canonical/types.js';
import { isObject, num, str, tryParseJson } from './json.js';

export interface ChatErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function encodeError(err: CanonicalError): ChatErrorBody {
  let type: string;
  let code = err.code;
  switch (err.type) {
    case 'invalid_request':
    case 'not_found':
      type = 'invalid_request_error';
      break;
    case 'authentication':
      type = 'authentication_error';
      code ??= 'invalid_api_key';
      break;
    case 'permission':
      type = 'permission_error';
      break;
    case 'rate_limit':
      type = code === 'insufficient_quota' ? 'insufficient_quota' : 'rate_limit_error';
      break;
    case 'overloaded':
      type = 'service_unavailable_error';
      break;
    case 'timeout':
      type = 'timeout_error';
      break;
    case 'upstream':
    case 'internal':
      type = 'server_error';
      break;
  }
  return { error: { message: err.message, type, param: err.param ?? null, code: code ?? null } };
}

/** HTTP status -> canonical type (the status is more reliable than provider type strings). */
function typeFromStatus(status: number): ErrorType | undefined {
  if (status === 401) return 'authentication';
  if (status === 402) return 'rate_limit';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500) return 'upstream';
  if (status >= 400) return 'invalid_request';
  return undefined;
}

/** OpenAI (and compatible) `error.type` strings -> canonical, for errors without an HTTP status. */
function typeFromString(type: string | undefined, code: string | undefined): ErrorType {
  if (code === 'insufficient_quota' || code === 'rate_limit_exceeded') return 'rate_limit';
  switch (type) {
    case 'invalid_request_error':
      return code === 'invalid_api_key' ? 'authentication' : 'invalid_request';
    case 'authentication_error':
      return 'authentication';
    case 'permission_error':
    case 'request_forbidden':
      return 'permission';
    case 'not_found_error':
      return 'not_found';
    case 'rate_limit_error':
    case 'insufficient_quota':
    case 'tokens':
    case 'requests':
      return 'rate_limit';
    case 'service_unavailable_error':
    case 'overloaded_error':
      return 'overloaded';
    case 'timeout_error':
    case 'timeout':
      return 'timeout';
    default:
      return 'upstream';
  }
}

const STATUS_OF: Record<ErrorType, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  rate_limit: 429,
  overloaded: 503,
  timeout: 504,
  upstream: 502,
  internal: 500,
};

/** Upstream messages sometimes quote (masked) keys: never pass anything key-like on. */
export function redactSecrets(message: string): string {
  return message
    .replace(/\b(?:sk|rk|pk)-[A-Za-z0-9_\-*.]{4,}/g, '[redacted]') // OpenAI, Anthropic, … keys
    .replace(/\bAIza[A-Za-z0-9_\-*]{12,}/g, '[redacted]'); // Google API keys
}

/**
 * An upstream error body -> canonical. `status` is the HTTP status; pass 0 for an in-band error
 * (a stream frame with an `error` key), where the type string (or a numeric `code`, as some
 * compatible servers send) decides.
 */
export function decodeError(status: number, body: unknown): CanonicalError {
  const parsed = typeof body === 'string' ? (tryParseJson(body) ?? body) : body;
  let message: string | undefined;
  let type: string | undefined;
  let param: string | undefined;
  let code: string | undefined;
  let numericCode: number | undefined;
  if (isObject(parsed)) {
    const e = parsed.error;
    if (isObject(e)) {
      message = str(e.message);
      type = str(e.type);
      param = str(e.param);
      code = str(e.code);
      numericCode = num(e.code);
      if (numericCode !== undefined) code = String(numericCode);
    } else if (typeof e === 'string') {
      message = e;
    }
    message ??= str(parsed.message) ?? str(parsed.detail);
  } else if (typeof parsed === 'string' && parsed.trim()) {
    message = parsed.trim().slice(0, 1000);
  }
  if (numericCode === undefined && code !== undefined && /^[1-5]\d\d$/.test(code)) {
    numericCode = Number(code); // Azure sends e.g. "code": "429"
  }
  const effectiveStatus = status >= 400 ? status : (numericCode ?? 0);
  const canonicalType = typeFromStatus(effectiveStatus) ?? typeFromString(type, code);
  const out: CanonicalError = {
    status: effectiveStatus >= 400 ? effectiveStatus : STATUS_OF[canonicalType],
    type: canonicalType,
    message: redactSecrets(message ?? `Upstream returned an error (HTTP ${status})`),
  };
  if (param !== undefined) out.param = param;
  if (code !== undefined) out.code = code;
  return out;
}
