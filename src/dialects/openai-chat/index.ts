/** The OpenAI Chat Completions dialect. */
import type { DialectModule } from '../types.js';
import { decodeError, encodeError } from './errors.js';
import { decodeRequest } from './request-decode.js';
import { encodeRequest } from './request-encode.js';
import { decodeResponse } from './response-decode.js';
import { encodeResponse } from './response-encode.js';
import { createStreamDecoder } from './stream-decode.js';
import { createStreamEncoder } from './stream-encode.js';

export const openAiChatDialect: DialectModule = {
  dialect: 'openai-chat',
  decodeRequest,
  encodeRequest,
  decodeResponse,
  encodeResponse,
  createStreamDecoder,
  createStreamEncoder,
  decodeError,
  encodeError,
};

export { detectChatRouteShape, normalizeGeminiInput } from './route-shape.js';
export type { ChatRouteShape } from './route-shape.js';
export { effortForBudget } from './reasoning.js';
