/**
 * Continue mode (`on_stream_failure: continue` on a logical model): when a committed, text-only
 * stream breaks, the next upstream is asked to finish the same answer, and its text is spliced
 * into the client's stream as if nothing happened. The request replays the conversation with
 * the partial answer as an assistant prefix, expressed per upstream dialect:
 *
 * - Anthropic: native prefill. The conversation ends with an assistant turn holding the partial
 *   text and the model continues it token for token. Anthropic refuses a final assistant turn
 *   that ends in whitespace, so trailing whitespace is cut from the prefix, and leading
 *   whitespace of the continuation is dropped (the client already has it). Exact.
 * - OpenAI chat, OpenAI Responses, Gemini: no reliable prefill, so the partial answer goes in as
 *   an assistant turn followed by a user turn asking to continue exactly where it stopped. The
 *   model usually complies; it may still repeat a few words or rephrase the joint — a limit of
 *   the upstream, not something the gateway can check. Prefer an Anthropic upstream as the
 *   fallback of a continue-mode model when exactness matters.
 *
 * The continuation asks for no reasoning (it would come before the continued text), keeps the
 * tools (the history may refer to them), and is always a stream.
 */
import type { CanonicalMessage, CanonicalRequest, Dialect } from '../canonical/types.js';

export const CONTINUE_INSTRUCTION =
  'Your previous reply was cut off. Continue it exactly where it stopped: write only the rest of it, ' +
  'starting with the very next character, without repeating anything already written and without any preamble.';

export interface Continuation {
  request: CanonicalRequest;
  /** the prefix was right-trimmed: drop leading whitespace of the continued text */
  trimLeading: boolean;
}

export function continuationRequest(base: CanonicalRequest, partial: string, upstream: Dialect): Continuation {
  const { reasoning: _reasoning, ...rest } = base;
  const messages: CanonicalMessage[] = [...base.messages];
  let trimLeading = false;
  if (upstream === 'anthropic') {
    const trimmed = partial.replace(/\s+$/u, '');
    trimLeading = trimmed.length !== partial.length;
    if (trimmed.length > 0) messages.push({ role: 'assistant', content: [{ type: 'text', text: trimmed }] });
  } else {
    messages.push(
      { role: 'assistant', content: [{ type: 'text', text: partial }] },
      { role: 'user', content: [{ type: 'text', text: CONTINUE_INSTRUCTION }] },
    );
  }
  return { request: { ...rest, messages, stream: true }, trimLeading };
}
