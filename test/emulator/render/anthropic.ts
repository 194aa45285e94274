/**
 * Anthropic Messages: the `message` object and the SSE stream (`event:` line on every frame):
 * message_start, content_block_start, ping, content_block_delta, content_block_stop,
 * message_delta, message_stop, as the SDK's recorded fixtures show.
 */
import { idFor, toolCallId } from '../reply.js';
import type { Reply, ReplyUsage } from '../reply.js';
import type { Frame, StreamPlan } from '../stream-writer.js';
import type { RenderContext } from './context.js';
import { sseEvent } from './context.js';

const STOP_REASON = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use', content_filter: 'refusal' } as const;

function stopReason(r: Reply): string {
  return r.rawFinish ?? STOP_REASON[r.finish];
}

/** Anthropic's `input_tokens` excludes cache reads and writes. */
function usage(u: ReplyUsage, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: Math.max(0, u.input - u.cached - u.cacheWrite),
    cache_creation_input_tokens: u.cacheWrite,
    cache_read_input_tokens: u.cached,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function contentBlocks(r: Reply): unknown[] {
  const blocks: unknown[] = [];
  if (r.reasoning) blocks.push({ type: 'thinking', thinking: r.reasoning.text, signature: r.reasoning.signature });
  if (r.text !== '') blocks.push({ type: 'text', text: r.text });
  for (const c of r.toolCalls) blocks.push({ type: 'tool_use', id: toolCallId(r, c, 'toolu_'), name: c.name, input: c.args });
  return blocks;
}

export function anthropicMessage(ctx: RenderContext): unknown {
  const r = ctx.reply;
  return {
    id: idFor('msg_', r.seq),
    type: 'message',
    role: 'assistant',
    model: ctx.model,
    content: contentBlocks(r),
    stop_reason: stopReason(r),
    stop_sequence: null,
    usage: usage(r.usage, r.usage.output),
  };
}

export function anthropicStream(ctx: RenderContext): StreamPlan {
  const r = ctx.reply;
  const frames: Frame[] = [];
  const ev = (type: string, payload: Record<string, unknown>, content = false): void => {
    frames.push({ data: sseEvent(type, { type, ...payload }), content });
  };
  let index = 0;
  let pinged = false;
  const start = (block: unknown, content = false): void => {
    ev('content_block_start', { index, content_block: block }, content);
    if (!pinged) {
      frames.push({ data: 'event: ping\ndata: {"type": "ping"}\n\n', content: false });
      pinged = true;
    }
  };
  const delta = (d: unknown, content = true): void => ev('content_block_delta', { index, delta: d }, content);
  const stop = (): void => {
    ev('content_block_stop', { index });
    index += 1;
  };

  ev('message_start', {
    message: {
      id: idFor('msg_', r.seq),
      type: 'message',
      role: 'assistant',
      model: ctx.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usage(r.usage, 1),
    },
  });
  if (r.reasoning) {
    start({ type: 'thinking', thinking: '', signature: '' });
    for (const thinking of r.reasoning.pieces) delta({ type: 'thinking_delta', thinking });
    delta({ type: 'signature_delta', signature: r.reasoning.signature }, false);
    stop();
  }
  if (r.text !== '') {
    start({ type: 'text', text: '' });
    for (const text of r.textPieces) delta({ type: 'text_delta', text });
    stop();
  }
  for (const call of r.toolCalls) {
    start({ type: 'tool_use', id: toolCallId(r, call, 'toolu_'), name: call.name, input: {} }, true);
    delta({ type: 'input_json_delta', partial_json: '' }, false);
    for (const partial_json of call.argPieces) delta({ type: 'input_json_delta', partial_json });
    stop();
  }
  if (!pinged) frames.push({ data: 'event: ping\ndata: {"type": "ping"}\n\n', content: false });
  ev('message_delta', {
    delta: { stop_reason: stopReason(r), stop_sequence: null },
    usage: { output_tokens: r.usage.output },
  });
  ev('message_stop', {});
  return {
    contentType: 'text/event-stream; charset=utf-8',
    frames,
    errorFrame: (_written, e) =>
      sseEvent('error', {
        type: 'error',
        error: { type: e.type ?? 'overloaded_error', message: e.message ?? 'Overloaded' },
      }),
  };
}
