/**
 * OpenAI error bodies (`{error: {message, type, param, code}}`, the same for /v1/responses as
 * for chat) <-> CanonicalError, and the two in-stream error shapes of Responses:
 * - the `error` event. The API reference documents `code`, `message`, `param` at the top level;
 *   the live API nests them under `error` (openai-dotnet#881, Effect-TS/effect#7262). We read
 *   both and write both: the nested object is what makes openai-node raise an APIError.
 * - `response.failed`, whose `response.error` is `{code, message}`. Codex reads only this one
 *   (it classifies `context_length_exceeded`, `insufficient_quota`, `rate_limit_exceeded`).
 */
import type { CanonicalError, ErrorType } from '../../canonical/types.js';
import { isRecord, str, type JsonObject } from './guards.js';

const WIRE_TYPES: Record<ErrorType, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  rate_limit: 'rate_limit_error',
  overloaded: 'server_error',
  timeout: 'timeout_error',
  upstream: 'server_error',
  internal: 'server_error',
};

function typeFromStatus(status: number): ErrorType {
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rate_limit';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500) return 'upstream';
  return 'invalid_request';
}

const STATUS_FOR_TYPE: Record<ErrorType, number> = {
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

/** The error object of a body, whichever of the known shapes it has. */
function errorObject(body: unknown): JsonObject | undefined {
  if (!isRecord(body)) return undefined;
  return isRecord(body.error) ? body.error : body;
}

export function decodeError(status: number, body: unknown): CanonicalError {
  const err: CanonicalError = { status, type: typeFromStatus(status), message: `Upstream returned HTTP ${status}` };
  if (typeof body === 'string' && body.trim() !== '') err.message = body.trim();
  const obj = errorObject(body);
  if (obj) {
    const message = str(obj, 'message');
    if (message !== undefined && message !== '') err.message = message;
    const param = str(obj, 'param');
    if (param !== undefined) err.param = param;
    const code = str(obj, 'code');
    if (code !== undefined) err.code = code;
  }
  return err;
}

export function encodeError(error: CanonicalError): JsonObject {
  return {
    error: {
      message: error.message,
      type: WIRE_TYPES[error.type],
      param: error.param ?? null,
      code: error.code ?? null,
    },
  };
}

/** What an in-band error (error event or failed response) means, without an HTTP status. */
function typeFromCode(code: string | undefined, wireType: string | undefined): ErrorType {
  const key = code ?? wireType ?? '';
  if (key === 'rate_limit_exceeded' || key === 'insufficient_quota' || key === 'tokens' || key === 'requests') {
    return 'rate_limit';
  }
  if (key === 'context_length_exceeded' || key === 'invalid_prompt' || key === 'invalid_request_error') {
    return 'invalid_request';
  }
  if (key.startsWith('invalid_') || key.startsWith('image_') || key === 'empty_image_file') return 'invalid_request';
  if (key === 'server_is_overloaded' || key === 'overloaded') return 'overloaded';
  return 'upstream';
}

/** An `error` stream event, flat or nested, or a failed response's `error` -> canonical. */
export function decodeInBandError(payload: unknown, fallbackMessage: string): CanonicalError {
  const obj = errorObject(payload) ?? {};
  const code = str(obj, 'code');
  const type = typeFromCode(code, str(obj, 'type'));
  const err: CanonicalError = {
    status: STATUS_FOR_TYPE[type],
    type,
    message: str(obj, 'message') || fallbackMessage,
  };
  if (code !== undefined) err.code = code;
  const param = str(obj, 'param');
  if (param !== undefined) err.param = param;
  return err;
}

/** `response.error.code` for a failed response: the canonical code when known, else by type. */
export function failedResponseCode(error: CanonicalError): string {
  if (error.code !== undefined) return error.code;
  if (error.type === 'rate_limit') return 'rate_limit_exceeded';
  if (error.type === 'invalid_request') return 'invalid_prompt';
  return 'server_error';
}

/** The `error` stream event: documented flat fields plus the nested object the live API sends. */
export function errorEventPayload(error: CanonicalError): JsonObject {
  const code = error.code ?? null;
  const param = error.param ?? null;
  return {
    type: 'error',
    code,
    message: error.message,
    param,
    error: { type: WIRE_TYPES[error.type], code, message: error.message, param },
  };
}
