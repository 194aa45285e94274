/**
 * The provider-neutral reply every format renders: the default echo, or what a script asked for,
 * already cut into the pieces a stream sends, with its usage.
 */
import type { Conversation } from './conversation.js';
import { signatureFor, splitInto, splitText, tokensForChars } from './text.js';
import type { FinishReason, ScriptReply } from './types.js';

export interface ReplyToolCall {
  /** The scripted id, or null: each format then makes one from `seq` and `index`. */
  id: string | null;
  index: number;
  name: string;
  args: Record<string, unknown>;
  argsJson: string;
  argPieces: string[];
}

export interface ReplyReasoning {
  text: string;
  pieces: string[];
  signature: string;
}

export interface ReplyUsage {
  /** Total input, cached and cache-write included. */
  input: number;
  /** Total output, reasoning included. */
  output: number;
  cached: number;
  cacheWrite: number;
  reasoning: number;
}

export interface Reply {
  /** Request number, used to build ids. */
  seq: number;
  text: string;
  textPieces: string[];
  reasoning: ReplyReasoning | null;
  toolCalls: ReplyToolCall[];
  finish: FinishReason;
  rawFinish: string | null;
  usage: ReplyUsage;
  chunkDelayMs: number;
}

const DEFAULT_ARG_PIECES = 3;

/** The default answer to a request: `Echo: <text of the last user turn>`. */
export function echoText(conv: Conversation): string {
  return conv.lastUserText === '' ? 'Echo:' : `Echo: ${conv.lastUserText}`;
}

/** The default reasoning, when the request asks to see reasoning and no script gives any. */
export function defaultReasoningText(conv: Conversation): string {
  return `Thinking about: ${conv.lastUserText}`;
}

export function buildReply(seq: number, conv: Conversation, script: ScriptReply | undefined): Reply {
  const s = script ?? {};
  const toolCalls: ReplyToolCall[] = (s.toolCalls ?? []).map((call, index) => {
    const args = call.arguments ?? {};
    const argsJson = JSON.stringify(args);
    return {
      id: call.id ?? null,
      index,
      name: call.name,
      args,
      argsJson,
      argPieces: splitInto(argsJson, s.chunks ?? DEFAULT_ARG_PIECES),
    };
  });
  const text = s.text ?? (toolCalls.length > 0 ? '' : echoText(conv));
  const textPieces = splitText(text, s.chunks);
  const reasoningText = s.reasoning?.text ?? (conv.thinking ? defaultReasoningText(conv) : null);
  const reasoning: ReplyReasoning | null =
    reasoningText === null
      ? null
      : {
          text: reasoningText,
          pieces: splitText(reasoningText, s.chunks),
          signature: s.reasoning?.signature ?? signatureFor(reasoningText),
        };

  const reasoningDefault = reasoning?.pieces.length ?? 0;
  const argDefault = toolCalls.reduce((n, c) => n + c.argPieces.length, 0);
  const outputDefault = Math.max(1, textPieces.length + reasoningDefault + argDefault);
  const u = s.usage ?? {};
  const output = u.outputTokens ?? outputDefault;
  const usage: ReplyUsage = {
    input: u.inputTokens ?? tokensForChars(conv.chars),
    output,
    cached: u.cachedTokens ?? 0,
    cacheWrite: u.cacheWriteTokens ?? 0,
    reasoning: u.reasoningTokens ?? Math.min(reasoningDefault, output),
  };
  return {
    seq,
    text,
    textPieces,
    reasoning,
    toolCalls,
    finish: s.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    rawFinish: s.rawFinishReason ?? null,
    usage,
    chunkDelayMs: s.chunkDelayMs ?? 0,
  };
}

/** Id of a tool call: the scripted one, or `<prefix>emu<seq>x<index>`. */
export function toolCallId(reply: Reply, call: ReplyToolCall, prefix: string): string {
  return call.id ?? `${prefix}emu${reply.seq}x${call.index}`;
}

/** Zero-padded request number for response ids. */
export function idFor(prefix: string, seq: number): string {
  return `${prefix}emu${String(seq).padStart(6, '0')}`;
}
