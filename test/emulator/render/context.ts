/** What every renderer gets: the reply, the model to show and the request body. */
import type { JsonObject } from '../conversation.js';
import type { Reply, ReplyUsage } from '../reply.js';
import type { InBandError } from '../types.js';

export interface RenderContext {
  reply: Reply;
  /** Model shown in the response. */
  model: string;
  /** Unix seconds. */
  created: number;
  body: JsonObject;
}

/** `data: <json>\n\n` */
export function sseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/** `event: <type>\ndata: <json>\n\n` */
export function sseEvent(type: string, value: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(value)}\n\n`;
}

export function totalTokens(u: ReplyUsage): number {
  return u.input + u.output;
}

export const DEFAULT_SERVER_ERROR = 'The server had an error while processing your request. Sorry about that!';

/** The OpenAI error object of an in-band error. */
export function openAiInBandError(e: InBandError): { message: string; type: string; param: null; code: string | null } {
  return {
    message: e.message ?? DEFAULT_SERVER_ERROR,
    type: e.type ?? 'server_error',
    param: null,
    code: e.code === undefined ? null : String(e.code),
  };
}
