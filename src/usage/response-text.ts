/**
 * The answer of a call as text, read back from what the client was sent (its own dialect): the
 * JSON answer, or the captured stream (decoded with the dialect's stream decoder). Used off the
 * hot path, after the call, by the context store.
 */
import type { Dialect, StreamEvent } from '../canonical/types.js';
import { dialectModule } from '../dialects/registry.js';
import { SseParser } from '../dialects/sse.js';

export interface AnswerText {
  text: string;
  tool_calls?: Array<{ name: string; arguments: string }>;
  /** an error the client was sent (a stream that ended with an error event) */
  error?: string;
}

function fromEvents(events: Iterable<StreamEvent>, into: AnswerText, calls: Map<number, { name: string; arguments: string }>): void {
  for (const ev of events) {
    if (ev.type === 'text_delta') into.text += ev.text;
    else if (ev.type === 'tool_call_start') calls.set(ev.index, { name: ev.name, arguments: '' });
    else if (ev.type === 'tool_call_delta') {
      const c = calls.get(ev.index);
      if (c) c.arguments += ev.arguments;
    } else if (ev.type === 'error') into.error = ev.error.message;
  }
}

/** Text of a non-stream answer body (null when it cannot be read). */
export function answerOfJson(dialect: Dialect, body: Buffer): AnswerText | null {
  try {
    const res = dialectModule(dialect).decodeResponse(JSON.parse(body.toString('utf8')));
    const out: AnswerText = { text: '' };
    const calls: Array<{ name: string; arguments: string }> = [];
    for (const b of res.content) {
      if (b.type === 'text') out.text += b.text;
      else if (b.type === 'tool_call') calls.push({ name: b.name, arguments: b.arguments });
    }
    if (calls.length > 0) out.tool_calls = calls;
    return out;
  } catch {
    return null;
  }
}

/** Text of a streamed answer (SSE bytes as the client got them; null when unreadable). */
export function answerOfStream(dialect: Dialect, bytes: Buffer): AnswerText | null {
  try {
    const parser = new SseParser();
    const decoder = dialectModule(dialect).createStreamDecoder();
    const out: AnswerText = { text: '' };
    const calls = new Map<number, { name: string; arguments: string }>();
    const events = [...parser.push(bytes), ...parser.end()];
    for (const e of events) fromEvents(decoder.push(e), out, calls);
    fromEvents(decoder.end(), out, calls);
    if (calls.size > 0) out.tool_calls = [...calls.values()];
    return out;
  } catch {
    return null;
  }
}
