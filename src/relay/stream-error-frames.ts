/**
 * A stand-alone in-band error frame in each dialect, for a passthrough stream that breaks after
 * the client has received content (the upstream's own frames were forwarded, so no encoder state
 * exists). Each is what that dialect's SDK raises as an error, never a clean-looking end.
 */
import type { CanonicalError, Dialect } from '../canonical/types.js';
import { anthropicErrorType, geminiStatus, openAiErrorType } from '../server/error-shapes.js';

export function streamErrorFrame(dialect: Dialect, err: CanonicalError): string {
  switch (dialect) {
    case 'openai-chat':
      return `data: ${JSON.stringify({ error: { message: err.message, type: openAiErrorType(err), param: null, code: err.code ?? null } })}\n\n`;
    case 'openai-responses':
      return `event: error\ndata: ${JSON.stringify({ type: 'error', code: err.code ?? openAiErrorType(err), message: err.message, param: null })}\n\n`;
    case 'anthropic':
      return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: anthropicErrorType(err), message: err.message } })}\n\n`;
    case 'gemini':
      return `data: ${JSON.stringify({ error: { code: err.status, message: err.message, status: geminiStatus(err) } })}\r\n\r\n`;
  }
}
