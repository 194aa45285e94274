/**
 * Public types of the provider emulator: options, scripted replies, faults and recorded requests.
 * Everything a rule holds is plain JSON, so the same rules travel over the HTTP control routes.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The four provider wire formats the emulator speaks. */
export type ProviderName = 'openai' | 'azure' | 'anthropic' | 'gemini';

/** Models (Azure: deployment names) each provider knows. A `'*'` entry accepts any model. */
export interface EmulatorModels {
  openai?: string[];
  anthropic?: string[];
  gemini?: string[];
  azure?: string[];
}

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Accepted provider keys, for every provider. Default `['test-key']`. */
  keys?: string[];
  /** Known models per provider; a provider left out keeps its default list (see README). */
  models?: EmulatorModels;
  /** How many recorded requests are kept (oldest dropped first). Default 10 000. */
  recordLimit?: number;
  /** Seed for the random draws of `probability` rules, for reproducible runs. Default: random. */
  seed?: number;
}

/** Which requests a rule applies to. Every field given must match; none given matches all. */
export interface RuleMatch {
  provider?: ProviderName;
  /**
   * The model: the body's `model` (OpenAI, Anthropic, Azure v1), the URL's model (Gemini) or the
   * deployment (Azure). Exact, or a glob where `*` matches any run of characters.
   */
  model?: string;
  /** The request path without its query, exact or a glob, e.g. `/v1/messages` or `*:streamGenerateContent`. */
  path?: string;
  /** Only requests authenticated with this provider key. */
  key?: string;
  /** Only streaming (`true`) or only non-streaming (`false`) requests. */
  stream?: boolean;
}

/** How long a rule lives. Matching rules are tried in the order they were added (first added, first used). */
export interface RuleLimit {
  /** Number of requests the rule applies to, then it is removed. Omitted: forever (until `reset()`). */
  times?: number;
  /**
   * Chance in [0, 1] that the rule applies to a matching request (default 1). A request the draw
   * skips does not use up `times`, and the next matching rule is tried.
   */
  probability?: number;
}

export interface ScriptedToolCall {
  name: string;
  /** The call's arguments; default `{}`. */
  arguments?: Record<string, unknown>;
  /** Used verbatim by every provider format; default a generated id with the provider's prefix. */
  id?: string;
}

export interface ScriptedReasoning {
  text: string;
  /** Anthropic thinking signature, Gemini thoughtSignature, Responses encrypted_content. Default: derived from the text. */
  signature?: string;
}

/** Provider-neutral finish reasons; each format maps them (see README). */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/**
 * Token counts in OpenAI's meaning: `inputTokens` includes cached and cache-write tokens,
 * `outputTokens` includes reasoning tokens. Each format renders them in its own fields.
 */
export interface ScriptedUsage {
  inputTokens?: number;
  outputTokens?: number;
  cachedTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
}

/** What a scripted request gets instead of the default echo. */
export interface ScriptReply {
  /** Assistant text. Omitted: the echo (or nothing when `toolCalls` are given). */
  text?: string;
  /** Tool calls, after the text when both are given. Several = parallel calls. */
  toolCalls?: ScriptedToolCall[];
  /** Reasoning before the text (Anthropic thinking, Gemini thought parts, Responses reasoning item). */
  reasoning?: ScriptedReasoning;
  /** Default: `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: FinishReason;
  /** A provider-native finish value written verbatim (e.g. `refusal`, `SAFETY`), overriding the mapping. */
  rawFinishReason?: string;
  usage?: ScriptedUsage;
  /** Number of pieces each text (and tool-argument JSON) is streamed in. Default: text word by word, arguments in 3. */
  chunks?: number;
  /** Delay between stream frames, in milliseconds. */
  chunkDelayMs?: number;
}

export type ScriptRule = RuleMatch & RuleLimit & ScriptReply;

/** An error sent inside a 200 stream, in the provider's own in-band form. */
export interface InBandError {
  /** Sent after this many content frames (text, reasoning, tool name or argument pieces). Default 0: before any content. */
  afterChunks?: number;
  message?: string;
  /** OpenAI error `type`, Anthropic error type (default `overloaded_error`), Gemini `status`. */
  type?: string;
  /** OpenAI / Responses error `code`; Gemini numeric `code` (default 503). */
  code?: string | number;
  /** Responses streams: `response.failed` (default) or a bare `error` event. */
  responsesEvent?: 'response.failed' | 'error';
}

/**
 * A fault. Fields combine: the latency is waited first; then `hang`, `dropConnection` or `status`
 * end the request; otherwise the reply is sent with the stream faults applied.
 */
export interface FaultSpec {
  /** Answer with this HTTP status and an error body in the provider's shape. */
  status?: number;
  /** Error message for `status` (default: the provider's usual message for it). */
  message?: string;
  /** Error type for `status`: OpenAI `type`, Anthropic `error.type`, Gemini `status`. */
  errorType?: string;
  /** OpenAI / Azure error `code`. */
  errorCode?: string;
  /** `Retry-After` header, in seconds. */
  retryAfter?: number;
  /** `retry-after-ms` header. */
  retryAfterMs?: number;
  /** Extra response headers (sent with the error or the reply). */
  headers?: Record<string, string>;
  /** Delay before the response headers (time to first byte), in milliseconds. */
  latencyMs?: number;
  /** Added delay between stream frames, in milliseconds. */
  chunkDelayMs?: number;
  /** An error event inside a 200 stream (streams only). */
  inBandError?: InBandError;
  /** Destroy the socket after this many content frames (0: after the opening frames, before content). Non-stream replies are cut halfway through the body. */
  cutAfterChunks?: number;
  /** Destroy the socket without answering at all. */
  dropConnection?: boolean;
  /** Never answer (no headers); the request stays open until the client gives up or the emulator closes. */
  hang?: boolean;
  /** Stop sending after this many content frames, leaving the stream open (idle-timeout tests). */
  hangAfterChunks?: number;
}

export type FaultRule = RuleMatch & RuleLimit & FaultSpec;

/** Where the provider key was found. */
export type KeySource = 'authorization' | 'api-key' | 'x-api-key' | 'x-goog-api-key' | 'query';

/** One request as the emulator received it. */
export interface RecordedRequest {
  /** 1, 2, 3… since start or the last `reset()`. */
  seq: number;
  /** Epoch milliseconds at arrival. */
  time: number;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; the raw text when it is not JSON; null when empty. */
  body: unknown;
  /** The body exactly as it arrived (UTF-8 text; '' when empty). */
  bodyText: string;
  provider: ProviderName | null;
  /** e.g. `openai.chat`, `anthropic.messages`, `gemini.stream`; null for an unknown route. */
  operation: string | null;
  model: string | null;
  stream: boolean;
  /** The provider key presented, whether accepted or not. */
  key: string | null;
  keySource: KeySource | null;
  /** HTTP status sent (absent while pending, after `hang` or `dropConnection`). */
  status?: number;
  /** The client closed the connection before the response was complete. */
  clientAborted?: boolean;
  /** A fault applied to this request: which of its fields fired. */
  fault?: string[];
}

/** A rule as registered: `remaining()` is Infinity for a rule without `times`. */
export interface RuleHandle {
  readonly id: number;
  remaining(): number;
  cancel(): void;
}

export interface Emulator {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Requests received, oldest first (a live view; at most `recordLimit`). */
  readonly received: readonly RecordedRequest[];
  /** Requests received since start or the last reset, including those dropped from `received`. */
  readonly totalReceived: number;
  clearReceived(): void;
  script(rule: ScriptRule): RuleHandle;
  fault(rule: FaultRule): RuleHandle;
  /** Removes every script and fault, clears the recorded requests and restarts the id counters. */
  reset(): void;
  close(): Promise<void>;
}
