/**
 * Gemini generateContent / streamGenerateContent: `GenerateContentResponse` objects, streamed as
 * SSE (`data: <json>\r\n\r\n`, no terminator) with `?alt=sse`, else as a JSON array. Usage is
 * cumulative on every chunk; function calls carry an `id`, the first one a `thoughtSignature`.
 */
import { isObject } from '../conversation.js';
import type { JsonObject } from '../conversation.js';
import { geminiErrorBody } from '../errors.js';
import { idFor, toolCallId } from '../reply.js';
import type { Reply, ReplyUsage } from '../reply.js';
import type { Frame, StreamPlan } from '../stream-writer.js';
import { signatureFor } from '../text.js';
import type { RenderContext } from './context.js';

const FINISH = { stop: 'STOP', length: 'MAX_TOKENS', tool_calls: 'STOP', content_filter: 'SAFETY' } as const;

type Part = Record<string, unknown>;

function includeThoughts(body: JsonObject): boolean {
  const config = body.generationConfig;
  const thinking = isObject(config) ? config.thinkingConfig : undefined;
  return isObject(thinking) && thinking.includeThoughts === true;
}

function usageMetadata(u: ReplyUsage, candidates: number, thoughts: number): Record<string, unknown> {
  const m: Record<string, unknown> = {
    promptTokenCount: u.input,
    candidatesTokenCount: candidates,
    totalTokenCount: u.input + candidates + thoughts,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: u.input }],
  };
  if (thoughts > 0) m.thoughtsTokenCount = thoughts;
  if (u.cached > 0) m.cachedContentTokenCount = u.cached;
  return m;
}

function callParts(r: Reply): Part[] {
  return r.toolCalls.map((c) => ({ functionCall: { id: toolCallId(r, c, ''), name: c.name, args: c.args } }));
}

/**
 * The first function call always carries a `thoughtSignature` (the reasoning's, or one derived from
 * its name); without calls, the reasoning signature rides on the first text part.
 */
function sign(r: Reply, firstText: Part | undefined, calls: Part[]): void {
  const firstCall = calls[0];
  if (firstCall !== undefined) {
    const name = isObject(firstCall.functionCall) ? String(firstCall.functionCall.name) : '';
    firstCall.thoughtSignature = r.reasoning?.signature ?? signatureFor(`functionCall:${name}`);
  } else if (r.reasoning && firstText !== undefined) {
    firstText.thoughtSignature = r.reasoning.signature;
  }
}

function chunkObject(ctx: RenderContext, parts: Part[], usage: Record<string, unknown>, finish: string | null): JsonObject {
  const candidate: Record<string, unknown> = { content: { parts, role: 'model' } };
  if (finish !== null) candidate.finishReason = finish;
  candidate.index = 0;
  return {
    candidates: [candidate],
    usageMetadata: usage,
    modelVersion: ctx.model,
    responseId: idFor('resp', ctx.reply.seq),
  };
}

function finishOf(r: Reply): string {
  return r.rawFinish ?? FINISH[r.finish];
}

export function geminiResponse(ctx: RenderContext): unknown {
  const r = ctx.reply;
  const parts: Part[] = [];
  if (r.reasoning && includeThoughts(ctx.body)) parts.push({ text: r.reasoning.text, thought: true });
  const text: Part | undefined = r.text !== '' ? { text: r.text } : undefined;
  const calls = callParts(r);
  sign(r, text, calls);
  if (text) parts.push(text);
  parts.push(...calls);
  if (parts.length === 0) parts.push({ text: '' });
  const u = r.usage;
  return chunkObject(ctx, parts, usageMetadata(u, u.output - u.reasoning, u.reasoning), finishOf(r));
}

interface Piece {
  parts: Part[];
  candidates: number;
  thoughts: number;
}

export function geminiStream(ctx: RenderContext, sse: boolean): StreamPlan {
  const r = ctx.reply;
  const u = r.usage;
  const pieces: Piece[] = [];
  if (r.reasoning && includeThoughts(ctx.body)) {
    for (const text of r.reasoning.pieces) pieces.push({ parts: [{ text, thought: true }], candidates: 0, thoughts: 1 });
  }
  const answer: Piece[] = r.textPieces.map((text) => ({ parts: [{ text }], candidates: 1, thoughts: 0 }));
  const calls = callParts(r);
  sign(r, answer[0]?.parts[0], calls);
  if (calls.length > 0) {
    const argPieces = r.toolCalls.reduce((n, c) => n + c.argPieces.length, 0);
    answer.push({ parts: calls, candidates: argPieces, thoughts: 0 });
  }
  pieces.push(...answer);
  if (pieces.length === 0) pieces.push({ parts: [{ text: '' }], candidates: 0, thoughts: 0 });

  const finalCandidates = u.output - u.reasoning;
  const frames: Frame[] = [];
  let candidates = 0;
  let thoughts = 0;
  pieces.forEach((p, i) => {
    const last = i === pieces.length - 1;
    candidates = last ? finalCandidates : Math.min(candidates + p.candidates, finalCandidates);
    thoughts = last ? u.reasoning : Math.min(thoughts + p.thoughts, u.reasoning);
    const json = JSON.stringify(chunkObject(ctx, p.parts, usageMetadata(u, candidates, thoughts), last ? finishOf(r) : null));
    const content = p.candidates > 0 || p.thoughts > 0;
    frames.push({ data: sse ? `data: ${json}\r\n\r\n` : `${i === 0 ? '[' : ',\r\n'}${json}`, content });
  });
  if (!sse) frames.push({ data: '\n]', content: false });

  return {
    contentType: sse ? 'text/event-stream' : 'application/json; charset=UTF-8',
    frames,
    errorFrame: (written, e) => {
      const code = typeof e.code === 'number' ? e.code : 503;
      const json = JSON.stringify(geminiErrorBody(code, { message: e.message, type: e.type }));
      if (sse) return `data: ${json}\r\n\r\n`;
      return written === 0 ? `[${json}]` : `,\r\n${json}\n]`;
    },
  };
}

export function geminiCountTokens(input: number): unknown {
  return { totalTokens: input, promptTokensDetails: [{ modality: 'TEXT', tokenCount: input }] };
}
