/**
 * The Gemini generateContent dialect (`/v1beta/models/{model}:generateContent` and
 * `:streamGenerateContent`). The model and the stream mode come from the URL: pass them in
 * `decodeRequest(body, {model, stream})`.
 */
import type { DialectModule } from '../types.js';
import { decodeGeminiError, encodeGeminiError } from './errors.js';
import { encodeGeminiRequest } from './request-encode.js';
import { decodeGeminiRequest } from './request-decode.js';
import { decodeGeminiResponse } from './response-decode.js';
import { encodeGeminiResponse } from './response-encode.js';
import { GeminiStreamDecoder } from './stream-decode.js';
import { GeminiStreamEncoder } from './stream-encode.js';

export const geminiDialect: DialectModule = {
  dialect: 'gemini',
  decodeRequest: decodeGeminiRequest,
  encodeRequest: encodeGeminiRequest,
  decodeResponse: decodeGeminiResponse,
  encodeResponse: encodeGeminiResponse,
  createStreamDecoder: () => new GeminiStreamDecoder(),
  createStreamEncoder: (ctx) => new GeminiStreamEncoder(ctx),
  decodeError: decodeGeminiError,
  encodeError: encodeGeminiError,
};

export { collectRemoteImages } from './media.js';
export { encodeModelList, type GeminiModelEntry, type GeminiModelList } from './models.js';
export { jsonSchemaToGeminiSchema, geminiSchemaToJsonSchema } from './schema.js';
