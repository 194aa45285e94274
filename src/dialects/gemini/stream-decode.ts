/**
 * Gemini `streamGenerateContent?alt=sse` events -> canonical stream events.
 * Each `data:` payload is a whole GenerateContentResponse delta:
 * - text parts -> text_delta (a part's thoughtSignature rides along, also on an empty text part);
 *   `thought: true` parts -> reasoning_delta (origin gemini, signature);
 * - a functionCall arrives whole in one part -> tool_call_start (id synthesized as
 *   `call_<random>` when Gemini gives none, thoughtSignature attached), one tool_call_delta with
 *   the full args JSON, tool_call_end;
 * - `usageMetadata` is cumulative on every chunk -> a usage event whenever it changes (the last
 *   one wins);
 * - the chunk carrying `finishReason` -> finish (after that chunk's usage); a blocked prompt
 *   (`promptFeedback.blockReason`, no candidates) -> finish content_filter;
 * - `{"error": {...}}` -> error. A stream that ends without a finish reason -> error, so a cut
 *   connection never looks like a complete answer.
 * Generated media parts (inlineData) have no stream event and are skipped.
 */
import type { FinishReason, StreamEvent, Usage } from '../../canonical/types.js';
import type { SseEvent } from '../sse.js';
import type { StreamDecoder } from '../types.js';
import { decodeGeminiError } from './errors.js';
import { decodeFinishReason } from './finish.js';
import { candidateParts, firstCandidate, isPromptBlocked } from './response-decode.js';
import { decodeUsage } from './usage.js';
import { isObject, randomId, str, type JsonObject } from './wire.js';

export class GeminiStreamDecoder implements StreamDecoder {
  private started = false;
  private finished = false;
  private failed = false;
  private toolIndex = 0;
  private lastUsage = '';

  push(event: SseEvent): StreamEvent[] {
    if (this.failed) return [];
    const data = event.data.trim();
    if (data === '' || data === '[' || data === ']' || data === ',') return [];
    let body: unknown;
    try {
      body = JSON.parse(data);
    } catch {
      return this.fail(502, 'The Gemini stream sent a chunk that is not valid JSON');
    }
    const out: StreamEvent[] = [];
    for (const chunk of Array.isArray(body) ? body : [body]) {
      if (isObject(chunk)) this.chunk(chunk, out);
      if (this.failed) break;
    }
    return out;
  }

  end(): StreamEvent[] {
    if (this.failed || this.finished) return [];
    return this.fail(502, 'The Gemini stream ended before the model finished (no finishReason)');
  }

  private fail(status: number, message: string): StreamEvent[] {
    this.failed = true;
    return [{ type: 'error', error: { status, type: 'upstream', message } }];
  }

  private chunk(body: JsonObject, out: StreamEvent[]): void {
    if (isObject(body.error)) {
      const code = typeof body.error.code === 'number' ? body.error.code : 500;
      this.failed = true;
      out.push({ type: 'error', error: decodeGeminiError(code, body) });
      return;
    }
    if (!this.started) {
      this.started = true;
      out.push({
        type: 'start',
        id: str(body.responseId) || randomId('gen_'),
        model: str(body.modelVersion) ?? '',
        created: Math.floor(Date.now() / 1000),
      });
    }
    const candidate = firstCandidate(body);
    for (const part of candidateParts(candidate)) if (isObject(part)) this.part(part, out);

    if (body.usageMetadata !== undefined) {
      const usage: Usage = decodeUsage(body.usageMetadata);
      const key = `${usage.input},${usage.cacheRead},${usage.output},${usage.reasoning}`;
      if (key !== this.lastUsage) {
        this.lastUsage = key;
        out.push({ type: 'usage', usage });
      }
    }
    if (this.finished) return;
    let reason: FinishReason | undefined;
    const raw = str(candidate?.finishReason);
    if (raw && raw !== 'FINISH_REASON_UNSPECIFIED') reason = decodeFinishReason(raw, this.toolIndex > 0);
    else if (!candidate && isPromptBlocked(body)) reason = 'content_filter';
    if (reason) {
      this.finished = true;
      out.push({ type: 'finish', reason });
    }
  }

  private part(part: JsonObject, out: StreamEvent[]): void {
    const signature = str(part.thoughtSignature);
    if (isObject(part.functionCall)) {
      const fc = part.functionCall;
      const index = this.toolIndex++;
      const start: StreamEvent = { type: 'tool_call_start', index, id: str(fc.id) || randomId('call_'), name: str(fc.name) ?? '' };
      if (signature) start.thoughtSignature = signature;
      out.push(start);
      out.push({ type: 'tool_call_delta', index, arguments: isObject(fc.args) ? JSON.stringify(fc.args) : '{}' });
      out.push({ type: 'tool_call_end', index });
      return;
    }
    if (part.thought === true) {
      const text = str(part.text) ?? '';
      if (text === '' && !signature) return;
      const ev: StreamEvent = { type: 'reasoning_delta', text, origin: 'gemini' };
      if (signature) ev.signature = signature;
      out.push(ev);
      return;
    }
    if (typeof part.text === 'string') {
      if (part.text === '' && !signature) return;
      out.push(signature ? { type: 'text_delta', text: part.text, thoughtSignature: signature } : { type: 'text_delta', text: part.text });
    }
  }
}
