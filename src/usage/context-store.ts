/**
 * The conversation context store (the original system's "session context"): for a request that
 * carries `X-Session-Id`, a snippet {request, response} is kept per session in SharedState, newest
 * first, capped (CONTEXT_MAX_ENTRIES) and expiring CONTEXT_TTL_HOURS after the last write. Stored
 * as JSON. Each snippet names the key and user that wrote it: GET /context/{id} shows a user the
 * snippets of their own keys, a client key its own, an administrator all of them. All sessions
 * share one list per id, so a session id is best a random value (a UUID).
 *
 * Writing happens after the call, off the response path (scheduled with setImmediate), and never
 * fails a request.
 */
import type { Logger } from 'pino';
import type { CallContext } from '../routing/call.js';
import type { SharedState } from '../store/shared/shared-state.js';
import { truncateUtf8, withoutMedia } from './body-log.js';
import { streamedBytes } from './capture.js';
import { answerOfJson, answerOfStream, type AnswerText } from './response-text.js';

export interface ContextSnippet {
  request_id: string;
  ts: number;
  session_id: string;
  api_key_id: string | null;
  user_id: string | null;
  route: string;
  model: string;
  provider_id: string | null;
  status: number;
  partial: boolean;
  /** the client's request body (media payloads replaced by a note; shortened to fit the cap) */
  request: unknown;
  response: AnswerText | null;
}

export interface ContextOptions {
  maxEntries: number;
  ttlMs: number;
  maxBytes: number;
}

export interface SnippetReader {
  /** null = every snippet (an administrator) */
  userId?: string | null;
  apiKeyId?: string | null;
  admin: boolean;
}

const listKey = (sessionId: string): string => `ctx:${sessionId}`;

export class ContextStore {
  constructor(
    private readonly shared: SharedState,
    private readonly opts: ContextOptions,
    private readonly logger: Logger,
  ) {}

  /** Schedule the snippet of a finished call (no-op without a session id or capture). */
  recordLater(call: CallContext): void {
    if (call.sessionId === null || call.capture === null) return;
    setImmediate(() => {
      this.record(call).catch((err: unknown) =>
        this.logger.warn({ err: err instanceof Error ? err.message : String(err), reqId: call.requestId }, 'storing the session context failed'),
      );
    });
  }

  snippetOf(call: CallContext): ContextSnippet | null {
    if (call.sessionId === null || call.capture === null) return null;
    const cap = call.capture;
    let response: AnswerText | null = null;
    if (cap.response) response = answerOfJson(call.clientDialect, cap.response);
    else if (cap.streamed.length > 0) response = answerOfStream(call.clientDialect, streamedBytes(cap));
    if (response === null && call.error !== null) response = { text: '', error: call.error };
    return {
      request_id: call.requestId,
      ts: call.startedAt,
      session_id: call.sessionId,
      api_key_id: call.principal.keyId,
      user_id: call.principal.userId,
      route: call.route,
      model: call.model,
      provider_id: call.providerId,
      status: call.status,
      partial: call.partial,
      request: withoutMedia(call.requestBody),
      response,
    };
  }

  async record(call: CallContext): Promise<void> {
    const snippet = this.snippetOf(call);
    if (snippet === null) return;
    await this.shared.listPush(listKey(snippet.session_id), this.serialise(snippet), this.opts.maxEntries, this.opts.ttlMs);
  }

  /** JSON within the size cap: the response text is cut first to half the cap, then the request is replaced by its shortened text. */
  serialise(s: ContextSnippet): string {
    let text = JSON.stringify(s);
    if (Buffer.byteLength(text) <= this.opts.maxBytes) return text;
    const half = Math.floor(this.opts.maxBytes / 2);
    const response = s.response ? { ...s.response, text: truncateUtf8(s.response.text, half) } : null;
    const withResponse = { ...s, response };
    text = JSON.stringify(withResponse);
    if (Buffer.byteLength(text) <= this.opts.maxBytes) return text;
    const rest = { ...withResponse, request: null, request_truncated: '' };
    const room = this.opts.maxBytes - Buffer.byteLength(JSON.stringify(rest)) - 64;
    // escaping in the outer JSON can double the size of the text: keep half of the room
    rest.request_truncated = truncateUtf8(JSON.stringify(s.request) ?? '', Math.max(0, Math.floor(room / 2)));
    return JSON.stringify(rest);
  }

  /** The snippets of a session this reader may see, newest first. */
  async read(sessionId: string, who: SnippetReader): Promise<ContextSnippet[]> {
    const raw = await this.shared.listRange(listKey(sessionId), 0, -1);
    const out: ContextSnippet[] = [];
    for (const item of raw) {
      let s: ContextSnippet;
      try {
        s = JSON.parse(item) as ContextSnippet;
      } catch {
        continue;
      }
      if (who.admin) out.push(s);
      else if (who.userId && s.user_id === who.userId) out.push(s);
      else if (who.apiKeyId && s.api_key_id === who.apiKeyId) out.push(s);
    }
    return out;
  }
}
