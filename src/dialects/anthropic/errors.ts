/**
 * Anthropic error bodies: `{"type":"error","error":{"type","message"}}` (docs: API errors).
 *
 *   400 invalid_request_error   401 authentication_error   403 permission_error
 *   404 not_found_error         413 request_too_large      429 rate_limit_error
 *   500 api_error               529 overloaded_error
 *
 * The same shape arrives in-band as `event: error` inside a 200 stream (e.g. overloaded_error).
 */
import type { CanonicalError, ErrorType } from '../../canonical/types.js';
import { isObject } from './wire.js';

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

const TYPE_FROM_WIRE: Record<string, ErrorType> = {
  invalid_request_error: 'invalid_request',
  request_too_large: 'invalid_request',
  authentication_error: 'authentication',
  permission_error: 'permission',
  billing_error: 'permission',
  not_found_error: 'not_found',
  rate_limit_error: 'rate_limit',
  overloaded_error: 'overloaded',
  timeout_error: 'timeout',
  api_error: 'upstream',
};

const STATUS_FROM_WIRE: Record<string, number> = {
  invalid_request_error: 400,
  request_too_large: 413,
  authentication_error: 401,
  permission_error: 403,
  billing_error: 402,
  not_found_error: 404,
  rate_limit_error: 429,
  overloaded_error: 529,
  timeout_error: 504,
  api_error: 500,
};

function typeFromStatus(status: number): ErrorType {
  if (status === 401) return 'authentication';
  if (status === 402 || status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 400 && status < 500) return 'invalid_request';
  return 'upstream';
}

/** The HTTP status an Anthropic error type stands for (used for in-band stream errors). */
export function statusForAnthropicErrorType(type: string): number {
  return STATUS_FROM_WIRE[type] ?? 500;
}

/** An Anthropic error body (already parsed JSON, or anything else) -> canonical. */
export function decodeAnthropicError(status: number, body: unknown): CanonicalError {
  const err = isObject(body) && isObject(body.error) ? body.error : undefined;
  const wireType = err && typeof err.type === 'string' ? err.type : undefined;
  const message =
    err && typeof err.message === 'string' && err.message.length > 0
      ? err.message
      : `Anthropic returned HTTP ${status}${wireType ? ` (${wireType})` : ''}`;
  const type = (wireType !== undefined ? TYPE_FROM_WIRE[wireType] : undefined) ?? typeFromStatus(status);
  const out: CanonicalError = { status, type, message };
  if (wireType !== undefined && TYPE_FROM_WIRE[wireType] === undefined) out.code = wireType;
  return out;
}

/** An in-band `event: error` payload -> canonical (status from the error type). */
export function decodeAnthropicStreamError(body: unknown): CanonicalError {
  const err = isObject(body) && isObject(body.error) ? body.error : undefined;
  const wireType = err && typeof err.type === 'string' ? err.type : 'api_error';
  return decodeAnthropicError(statusForAnthropicErrorType(wireType), body);
}

function wireTypeFor(error: CanonicalError): string {
  switch (error.type) {
    case 'invalid_request':
      return error.status === 413 ? 'request_too_large' : 'invalid_request_error';
    case 'authentication':
      return 'authentication_error';
    case 'permission':
      return 'permission_error';
    case 'not_found':
      return 'not_found_error';
    case 'rate_limit':
      return 'rate_limit_error';
    case 'overloaded':
      return 'overloaded_error';
    default:
      // timeout, upstream, internal: Anthropic's generic server error
      return 'api_error';
  }
}

export function encodeAnthropicError(error: CanonicalError): AnthropicErrorBody {
  return { type: 'error', error: { type: wireTypeFor(error), message: error.message } };
}

/**
 * The HTTP status to answer an Anthropic client with: Anthropic reports overload as 529
 * (`overloaded_error`), whatever status the upstream that was overloaded used.
 */
export function anthropicHttpStatus(error: CanonicalError): number {
  return error.type === 'overloaded' ? 529 : error.status;
}
