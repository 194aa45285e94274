/**
 * OpenAI Chat Completions (and Azure's variant): the `chat.completion` object and the
 * `chat.completion.chunk` SSE stream, as the recorded captures show them.
 */
import { idFor, toolCallId } from '../reply.js';
import type { ReplyUsage } from '../reply.js';
import type { Frame, StreamPlan } from '../stream-writer.js';
import type { RenderContext } from './context.js';
import { openAiInBandError, sseData, totalTokens } from './context.js';

function usage(u: ReplyUsage): unknown {
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: totalTokens(u),
    prompt_tokens_details: { cached_tokens: u.cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function finishReason(ctx: RenderContext): string {
  return ctx.reply.rawFinish ?? ctx.reply.finish;
}

/** Azure's opening chunk: no choices, the prompt's content-filter results. */
const AZURE_PROMPT_FILTER_CHUNK = {
  choices: [],
  created: 0,
  id: '',
  model: '',
  object: '',
  prompt_filter_results: [
    {
      prompt_index: 0,
      content_filter_results: {
        hate: { filtered: false, severity: 'safe' },
        jailbreak: { filtered: false, detected: false },
        self_harm: { filtered: false, severity: 'safe' },
        sexual: { filtered: false, severity: 'safe' },
        violence: { filtered: false, severity: 'safe' },
      },
    },
  ],
};

export function chatCompletion(ctx: RenderContext, azure: boolean): unknown {
  const r = ctx.reply;
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: r.text !== '' || r.toolCalls.length === 0 ? r.text : null,
    refusal: null,
    annotations: [],
  };
  if (r.toolCalls.length > 0) {
    message.tool_calls = r.toolCalls.map((c) => ({
      id: toolCallId(r, c, 'call_'),
      type: 'function',
      function: { name: c.name, arguments: c.argsJson },
    }));
  }
  const choice: Record<string, unknown> = { index: 0, message, finish_reason: finishReason(ctx) };
  const out: Record<string, unknown> = {
    id: idFor('chatcmpl-', r.seq),
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices: [choice],
    usage: usage(r.usage),
    system_fingerprint: null,
  };
  if (azure) {
    choice.content_filter_results = {};
    choice.logprobs = null;
    out.prompt_filter_results = [{ prompt_index: 0, content_filter_results: {} }];
  } else {
    out.service_tier = 'default';
  }
  return out;
}

export function chatStream(ctx: RenderContext, azure: boolean, includeUsage: boolean): StreamPlan {
  const r = ctx.reply;
  const id = idFor('chatcmpl-', r.seq);
  const frames: Frame[] = [];
  const chunk = (delta: unknown, finish: string | null, content: boolean): void => {
    const choice: Record<string, unknown> = { index: 0, delta, finish_reason: finish };
    if (azure) {
      choice.content_filter_results = {};
      choice.logprobs = null;
    }
    const c: Record<string, unknown> = { id, object: 'chat.completion.chunk', created: ctx.created, model: ctx.model };
    if (!azure) c.service_tier = 'default';
    c.system_fingerprint = null;
    c.choices = [choice];
    if (includeUsage) c.usage = null;
    frames.push({ data: sseData(c), content });
  };

  if (azure) frames.push({ data: sseData(AZURE_PROMPT_FILTER_CHUNK), content: false });
  const toolOnly = r.text === '' && r.toolCalls.length > 0;
  chunk({ role: 'assistant', content: toolOnly ? null : '', refusal: null }, null, false);
  for (const piece of r.textPieces) chunk({ content: piece }, null, true);
  for (const call of r.toolCalls) {
    const index = call.index;
    chunk(
      {
        tool_calls: [
          { index, id: toolCallId(r, call, 'call_'), type: 'function', function: { name: call.name, arguments: '' } },
        ],
      },
      null,
      true,
    );
    for (const piece of call.argPieces) chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null, true);
  }
  chunk({}, finishReason(ctx), false);
  if (includeUsage) {
    const last: Record<string, unknown> = { id, object: 'chat.completion.chunk', created: ctx.created, model: ctx.model };
    if (!azure) last.service_tier = 'default';
    last.system_fingerprint = null;
    last.choices = [];
    last.usage = usage(r.usage);
    frames.push({ data: sseData(last), content: false });
  }
  frames.push({ data: 'data: [DONE]\n\n', content: false });
  return {
    contentType: 'text/event-stream; charset=utf-8',
    frames,
    errorFrame: (_written, e) => sseData({ error: openAiInBandError(e) }),
  };
}
