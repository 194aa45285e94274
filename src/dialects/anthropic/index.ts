/**
 * The Anthropic Messages dialect (POST /v1/messages): request, response, stream and error
 * translation between the Anthropic wire format and the canonical form.
 */
import type { DialectModule } from '../types.js';
import { decodeAnthropicError, encodeAnthropicError } from './errors.js';
import { decodeAnthropicRequest } from './request-decode.js';
import { encodeAnthropicRequest } from './request-encode.js';
import { decodeAnthropicResponse } from './response-decode.js';
import { encodeAnthropicResponse } from './response-encode.js';
import { createAnthropicStreamDecoder } from './stream-decode.js';
import { createAnthropicStreamEncoder } from './stream-encode.js';

export const anthropicDialect: DialectModule = {
  dialect: 'anthropic',
  decodeRequest: decodeAnthropicRequest,
  encodeRequest: encodeAnthropicRequest,
  decodeResponse: decodeAnthropicResponse,
  encodeResponse: encodeAnthropicResponse,
  createStreamDecoder: createAnthropicStreamDecoder,
  createStreamEncoder: createAnthropicStreamEncoder,
  decodeError: decodeAnthropicError,
  encodeError: encodeAnthropicError,
};


export { anthropicHttpStatus, statusForAnthropicErrorType } from './errors.js';
export { ANTHROPIC_DEFAULT_MAX_TOKENS, EFFORT_BUDGET_TOKENS } from './reasoning-encode.js';
export { fromAnthropicId, toAnthropicId } from './ids.js';
