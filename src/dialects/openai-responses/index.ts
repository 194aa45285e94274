/**
 * The OpenAI Responses API dialect (`POST /v1/responses`): what Codex and
 * `openai.responses.create/stream()` speak, and what OpenAI / Azure OpenAI serve.
 */
import type { DialectModule } from '../types.js';
import { decodeError, encodeError } from './errors.js';
import { decodeRequest } from './request-decode.js';
import { encodeRequest } from './request-encode.js';
import { decodeResponse } from './response-decode.js';
import { encodeResponse } from './response-encode.js';
import { createStreamDecoder } from './stream-decode.js';
import { createStreamEncoder } from './stream-encode.js';

export const openAiResponsesDialect: DialectModule = {
  dialect: 'openai-responses',
  decodeRequest,
  encodeRequest,
  decodeResponse,
  encodeResponse,
  createStreamDecoder,
  createStreamEncoder,
  decodeError,
  encodeError,
};

export { ResponsesStreamDecoder } from './stream-decode.js';
export { ResponsesStreamEncoder } from './stream-encode.js';
