/**
 * OpenAI Responses: the `response` object and its typed SSE event lifecycle
 * (response.created … response.completed), every event with its `sequence_number`.
 */
import { isObject } from '../conversation.js';
import { idFor, toolCallId } from '../reply.js';
import type { Reply, ReplyUsage } from '../reply.js';
import type { Frame, StreamPlan } from '../stream-writer.js';
import type { InBandError } from '../types.js';
import type { RenderContext } from './context.js';
import { DEFAULT_SERVER_ERROR, sseEvent, totalTokens } from './context.js';

type Status = 'in_progress' | 'completed' | 'incomplete' | 'failed';

function usage(u: ReplyUsage): unknown {
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cached },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning },
    total_tokens: totalTokens(u),
  };
}

function finalStatus(r: Reply): { status: Status; incomplete: { reason: string } | null } {
  if (r.finish === 'length') return { status: 'incomplete', incomplete: { reason: 'max_output_tokens' } };
  if (r.finish === 'content_filter') return { status: 'incomplete', incomplete: { reason: 'content_filter' } };
  return { status: 'completed', incomplete: null };
}

function responseObject(
  ctx: RenderContext,
  status: Status,
  output: unknown[],
  incomplete: { reason: string } | null,
  error: { code: string; message: string } | null,
  withUsage: boolean,
): Record<string, unknown> {
  const b = ctx.body;
  const reasoning = isObject(b.reasoning) ? b.reasoning : {};
  return {
    id: idFor('resp_', ctx.reply.seq),
    object: 'response',
    created_at: ctx.created,
    status,
    background: false,
    error,
    incomplete_details: incomplete,
    instructions: b.instructions ?? null,
    max_output_tokens: b.max_output_tokens ?? null,
    model: ctx.model,
    output,
    parallel_tool_calls: b.parallel_tool_calls ?? true,
    previous_response_id: b.previous_response_id ?? null,
    reasoning: { effort: reasoning.effort ?? null, summary: reasoning.summary ?? null },
    service_tier: 'default',
    store: b.store ?? true,
    temperature: b.temperature ?? 1,
    text: b.text ?? { format: { type: 'text' } },
    tool_choice: b.tool_choice ?? 'auto',
    tools: b.tools ?? [],
    top_p: b.top_p ?? 1,
    truncation: b.truncation ?? 'disabled',
    usage: withUsage ? usage(ctx.reply.usage) : null,
    user: null,
    metadata: b.metadata ?? {},
  };
}

function wantsEncryptedReasoning(body: Record<string, unknown>): boolean {
  return Array.isArray(body.include) && body.include.includes('reasoning.encrypted_content');
}

interface Items {
  reasoning: Record<string, unknown> | null;
  message: Record<string, unknown> | null;
  calls: Record<string, unknown>[];
}

/** The finished output items, in output order: reasoning, message, function calls. */
function outputItems(ctx: RenderContext, itemStatus: 'completed' | 'incomplete'): Items {
  const r = ctx.reply;
  let reasoning: Record<string, unknown> | null = null;
  if (r.reasoning) {
    reasoning = {
      id: idFor('rs_', r.seq),
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: r.reasoning.text }],
    };
    if (wantsEncryptedReasoning(ctx.body)) reasoning.encrypted_content = r.reasoning.signature;
  }
  const message =
    r.text === ''
      ? null
      : {
          id: idFor('msg_', r.seq),
          type: 'message',
          status: itemStatus,
          role: 'assistant',
          content: [{ type: 'output_text', annotations: [], logprobs: [], text: r.text }],
        };
  const calls = r.toolCalls.map((c) => ({
    id: toolCallId(r, c, 'fc_'),
    type: 'function_call',
    status: itemStatus,
    arguments: c.argsJson,
    call_id: toolCallId(r, c, 'call_'),
    name: c.name,
  }));
  return { reasoning, message, calls };
}

function list(items: Items): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (items.reasoning) out.push(items.reasoning);
  if (items.message) out.push(items.message);
  out.push(...items.calls);
  return out;
}

export function responsesResponse(ctx: RenderContext): unknown {
  const { status, incomplete } = finalStatus(ctx.reply);
  const items = outputItems(ctx, status === 'completed' ? 'completed' : 'incomplete');
  return responseObject(ctx, status, list(items), incomplete, null, true);
}

export function responsesStream(ctx: RenderContext): StreamPlan {
  const r = ctx.reply;
  const { status, incomplete } = finalStatus(r);
  const items = outputItems(ctx, status === 'completed' ? 'completed' : 'incomplete');
  const frames: Frame[] = [];
  const ev = (type: string, payload: Record<string, unknown>, content = false): void => {
    frames.push({ data: sseEvent(type, { type, sequence_number: frames.length, ...payload }), content });
  };
  const opening = responseObject(ctx, 'in_progress', [], null, null, false);
  ev('response.created', { response: opening });
  ev('response.in_progress', { response: opening });

  let outputIndex = 0;
  if (items.reasoning && r.reasoning) {
    const item_id = items.reasoning.id;
    const output_index = outputIndex++;
    const head = { item_id, output_index, summary_index: 0 };
    ev('response.output_item.added', { output_index, item: { id: item_id, type: 'reasoning', summary: [] } });
    ev('response.reasoning_summary_part.added', { ...head, part: { type: 'summary_text', text: '' } });
    for (const delta of r.reasoning.pieces) ev('response.reasoning_summary_text.delta', { ...head, delta }, true);
    ev('response.reasoning_summary_text.done', { ...head, text: r.reasoning.text });
    ev('response.reasoning_summary_part.done', { ...head, part: { type: 'summary_text', text: r.reasoning.text } });
    ev('response.output_item.done', { output_index, item: items.reasoning });
  }
  if (items.message) {
    const item_id = items.message.id;
    const output_index = outputIndex++;
    const head = { item_id, output_index, content_index: 0 };
    const added = { id: item_id, type: 'message', status: 'in_progress', content: [], role: 'assistant' };
    ev('response.output_item.added', { output_index, item: added });
    ev('response.content_part.added', { ...head, part: { type: 'output_text', annotations: [], logprobs: [], text: '' } });
    for (const delta of r.textPieces) ev('response.output_text.delta', { ...head, delta, logprobs: [] }, true);
    ev('response.output_text.done', { ...head, text: r.text, logprobs: [] });
    ev('response.content_part.done', { ...head, part: { type: 'output_text', annotations: [], logprobs: [], text: r.text } });
    ev('response.output_item.done', { output_index, item: items.message });
  }
  for (const [i, call] of r.toolCalls.entries()) {
    const done = items.calls[i] ?? {};
    const item_id = done.id;
    const output_index = outputIndex++;
    const added = { ...done, status: 'in_progress', arguments: '' };
    ev('response.output_item.added', { output_index, item: added }, true);
    for (const delta of call.argPieces) ev('response.function_call_arguments.delta', { item_id, output_index, delta }, true);
    ev('response.function_call_arguments.done', { item_id, output_index, name: call.name, arguments: call.argsJson });
    ev('response.output_item.done', { output_index, item: done });
  }
  const final = responseObject(ctx, status, list(items), incomplete, null, true);
  ev(status === 'completed' ? 'response.completed' : 'response.incomplete', { response: final });

  return {
    contentType: 'text/event-stream; charset=utf-8',
    frames,
    errorFrame: (written: number, e: InBandError) => {
      const message = e.message ?? DEFAULT_SERVER_ERROR;
      const code = e.code === undefined ? 'server_error' : String(e.code);
      if (e.responsesEvent === 'error') {
        return sseEvent('error', { type: 'error', sequence_number: written, code, message, param: null });
      }
      const failed = responseObject(ctx, 'failed', [], null, { code, message }, false);
      return sseEvent('response.failed', { type: 'response.failed', sequence_number: written, response: failed });
    },
  };
}
