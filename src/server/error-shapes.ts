/**
 * Error bodies in each dialect's own shape (checklist §12):
 * - OpenAI:    {"error": {"message", "type", "param", "code"}}
 * - Anthropic: {"type": "error", "error": {"type", "message"}}
 * - Gemini:    {"error": {"code", "message", "status"}}
 */
import type { CanonicalError, Dialect } from '../canonical/types.js';

export function openAiErrorType(e: Pick<CanonicalError, 'type' | 'status'>): string {
  switch (e.type) {
    case 'invalid_request':
    case 'not_found':
      return 'invalid_request_error';
    case 'authentication':
      return 'authentication_error';
    case 'permission':
      return 'permission_error';
    case 'rate_limit':
      return 'rate_limit_error';
    case 'timeout':
      return 'timeout_error';
    case 'upstream':
    case 'overloaded':
      return 'upstream_error';
    case 'internal':
      return 'server_error';
  }
}

export function anthropicErrorType(e: Pick<CanonicalError, 'type' | 'status'>): string {
  if (e.status === 402) return 'billing_error';
  if (e.status === 413) return 'request_too_large';
  switch (e.type) {
    case 'invalid_request':
      return 'invalid_request_error';
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
    case 'timeout':
      return 'timeout_error';
    case 'upstream':
    case 'internal':
      return 'api_error';
  }
}

export function geminiStatus(e: Pick<CanonicalError, 'type' | 'status'>): string {
  switch (e.type) {
    case 'invalid_request':
      return e.status === 413 ? 'INVALID_ARGUMENT' : 'INVALID_ARGUMENT';
    case 'authentication':
      return 'UNAUTHENTICATED';
    case 'permission':
      return 'PERMISSION_DENIED';
    case 'not_found':
      return 'NOT_FOUND';
    case 'rate_limit':
      return 'RESOURCE_EXHAUSTED';
    case 'timeout':
      return 'DEADLINE_EXCEEDED';
    case 'overloaded':
      return 'UNAVAILABLE';
    case 'upstream':
    case 'internal':
      return 'INTERNAL';
  }
}

export function errorBody(dialect: Dialect, e: CanonicalError): unknown {
  switch (dialect) {
    case 'openai-chat':
    case 'openai-responses':
      return { error: { message: e.message, type: openAiErrorType(e), param: e.param ?? null, code: e.code ?? null } };
    case 'anthropic':
      return { type: 'error', error: { type: anthropicErrorType(e), message: e.message } };
    case 'gemini':
      return { error: { code: e.status, message: e.message, status: geminiStatus(e) } };
  }
}
