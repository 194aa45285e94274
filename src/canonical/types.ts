/**
 * The canonical form: a superset of the four wire dialects (OpenAI Chat Completions, OpenAI
 * Responses, Anthropic Messages, Gemini generateContent). Dialect modules decode their wire
 * format into these types and encode these types back into their wire format. Nothing here does
 * I/O.
 *
 * Conventions
 * - Every message keeps its position: system / developer instructions are messages too (a
 *   dialect's top-level `system`, `instructions` or `systemInstruction` decodes to leading
 *   system messages; encoders hoist leading system messages back into the top-level field and
 *   deal with mid-conversation ones as their target requires).
 * - Tool results are blocks in a message of role `tool` (one message may carry several results,
 *   in order). Anthropic's user-turn `tool_result` blocks and Gemini's `functionResponse` parts
 *   decode to such a message; encoders merge or split as the target requires.
 * - Tool-call arguments are kept as the raw JSON text the model produced (never re-serialised
 *   unless a dialect demands an object).
 * - Provider-opaque state (Anthropic thinking signatures, Gemini thought signatures, OpenAI
 *   encrypted reasoning) is kept with the `origin` provider family it belongs to, so an encoder
 *   for a different family can strip it instead of sending something the target will reject.
 */

export type Dialect = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini';

/** Which vendor's opaque state a signature belongs to. */
export type OpaqueOrigin = 'anthropic' | 'gemini' | 'openai';

/** Anthropic prompt-cache hint, kept verbatim (`{type: "ephemeral", ttl?: "5m" | "1h"}`). */
export interface CacheControl {
  type: 'ephemeral';
  ttl?: string;
}

export interface TextBlock {
  type: 'text';
  text: string;
  cacheControl?: CacheControl;
  /** Gemini 3 may sign a text part; only meaningful when sent back to Gemini. */
  thoughtSignature?: string;
}

export type MediaSource =
  | { kind: 'url'; url: string }
  | { kind: 'base64'; mediaType: string; data: string }
  /** A provider-side file reference (OpenAI file id, Gemini fileData URI). */
  | { kind: 'file'; fileId: string; mediaType?: string };

export interface ImageBlock {
  type: 'image';
  source: MediaSource;
  /** OpenAI's `detail`; dropped for targets without it. */
  detail?: 'low' | 'high' | 'auto';
  cacheControl?: CacheControl;
}

/** Documents (PDF and other files). */
export interface FileBlock {
  type: 'file';
  source: MediaSource;
  filename?: string;
  cacheControl?: CacheControl;
}

export interface AudioBlock {
  type: 'audio';
  /** base64 audio data */
  data: string;
  /** e.g. "wav", "mp3" */
  format: string;
}

export interface ToolCallBlock {
  type: 'tool_call';
  /** The id the client sees and sends back with the result. */
  id: string;
  name: string;
  /** Raw JSON text of the arguments ("{}" when empty). */
  arguments: string;
  /** Gemini thought signature attached to this functionCall part. */
  thoughtSignature?: string;
  cacheControl?: CacheControl;
}

export interface ToolResultBlock {
  type: 'tool_result';
  toolCallId: string;
  /** The function name (Gemini needs it; decoders fill it from the history when they can). */
  name?: string;
  content: Array<TextBlock | ImageBlock | FileBlock>;
  isError?: boolean;
  cacheControl?: CacheControl;
}

/**
 * Reasoning / thinking output. `text` is the readable thought (or summary). `signature` and
 * `redactedData` are opaque and only valid for `origin`.
 */
export interface ReasoningBlock {
  type: 'reasoning';
  text: string;
  origin?: OpaqueOrigin;
  /** Anthropic `thinking.signature`, Gemini `thoughtSignature` of a thought part. */
  signature?: string;
  /** Anthropic `redacted_thinking.data`. */
  redactedData?: string;
  /** OpenAI Responses reasoning item id (`rs_…`) and its `encrypted_content`. */
  itemId?: string;
  encryptedContent?: string;
  /** true when `text` is a summary (OpenAI Responses reasoning summary). */
  summary?: boolean;
}

/** A provider built-in tool call/result item we cannot translate (kept for same-dialect replay). */
export interface OpaqueBlock {
  type: 'opaque';
  dialect: Dialect;
  value: unknown;
}

export type ContentBlock =
  | TextBlock
  | ImageBlock
  | FileBlock
  | AudioBlock
  | ToolCallBlock
  | ToolResultBlock
  | ReasoningBlock
  | OpaqueBlock;

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface CanonicalMessage {
  role: Role;
  content: ContentBlock[];
  /** OpenAI's `name` on a message; dropped for targets without it. */
  name?: string;
}

/** A function tool. `parameters` is JSON Schema (lower-case type names). */
export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
  strict?: boolean;
  cacheControl?: CacheControl;
}

/** A provider built-in tool (web_search, code_execution, …): only sent to its own dialect. */
export interface BuiltinTool {
  dialect: Dialect;
  type: string;
  value: Record<string, unknown>;
}

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string }
  /** Responses `allowed_tools` / Gemini `allowedFunctionNames` */
  | { type: 'allowed'; names: string[]; mode: 'auto' | 'required' };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      name: string;
      schema: Record<string, unknown>;
      strict?: boolean;
      description?: string;
    };

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

export interface ReasoningConfig {
  /** false = explicitly disabled */
  enabled?: boolean;
  effort?: ReasoningEffort;
  /** Token budget (Anthropic budget_tokens, Gemini thinkingBudget). */
  budgetTokens?: number;
  /** Ask the provider to return thought text / summaries. */
  includeThoughts?: boolean;
  /** Responses `reasoning.summary` */
  summary?: 'auto' | 'concise' | 'detailed';
}

export interface CanonicalRequest {
  /** The model name the client asked for (routing replaces it with the upstream's id). */
  model: string;
  messages: CanonicalMessage[];
  tools?: ToolDefinition[];
  builtinTools?: BuiltinTool[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** Number of choices; the translated path supports 1 only (encoders refuse more with a 400). */
  n?: number;
  logprobs?: boolean;
  topLogprobs?: number;
  reasoning?: ReasoningConfig;
  /** End-user id (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  metadata?: Record<string, string>;
  /** OpenAI `prompt_cache_key` (also an affinity hint). */
  promptCacheKey?: string;
  stream: boolean;
  /** The client asked for usage in the stream (OpenAI `stream_options.include_usage`). */
  streamIncludeUsage?: boolean;
  /**
   * Fields of the source body that no canonical field carries. Encoders of the same dialect
   * may copy them; others report them as dropped.
   */
  unknownFields?: Record<string, unknown>;
  /** The dialect the request was decoded from. */
  sourceDialect: Dialect;
}

/**
 * Usage in five buckets. `input` excludes cache reads and writes; `output` excludes reasoning.
 * Totals: input + cacheRead + cacheWrite, and output + reasoning.
 */
export interface Usage {
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
}

export type FinishReason =
  | 'stop'
  | 'stop_sequence'
  | 'length'
  | 'tool_calls'
  | 'content_filter'
  | 'refusal'
  | 'pause_turn'
  | 'error';

export interface CanonicalResponse {
  id: string;
  /** The model name to show the client (the name it asked for). */
  model: string;
  /** unix seconds */
  created: number;
  /** Assistant output in order: reasoning, text, tool calls. */
  content: ContentBlock[];
  finishReason: FinishReason;
  /** The stop sequence that matched, when the provider says. */
  stopSequence?: string;
  /** Refusal text (OpenAI `message.refusal`, Responses refusal part). */
  refusal?: string;
  usage: Usage;
}

/** An error, already classified, in canonical form. */
export interface CanonicalError {
  /** HTTP status to report. */
  status: number;
  type: ErrorType;
  message: string;
  /** OpenAI `param` */
  param?: string;
  /** OpenAI `code` */
  code?: string;
}

export type ErrorType =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'rate_limit'
  | 'overloaded'
  | 'timeout'
  | 'upstream'
  | 'internal';

/**
 * The stream vocabulary. A stream is: start, then any of the deltas, then (usage)*, finish,
 * and it ends; or an error at any point.
 * Blocks are implicit: consecutive text_delta events form one text block; a reasoning_delta
 * after other content opens a new reasoning block; each tool call is its own block, opened by
 * tool_call_start and closed by tool_call_end.
 */
export type StreamEvent =
  | { type: 'start'; id: string; model: string; created: number; usage?: Partial<Usage> }
  | { type: 'text_delta'; text: string; thoughtSignature?: string }
  | {
      type: 'reasoning_delta';
      text: string;
      origin?: OpaqueOrigin;
      /** A signature arriving for the current reasoning block (Anthropic signature_delta). */
      signature?: string;
      redactedData?: string;
      itemId?: string;
      encryptedContent?: string;
      summary?: boolean;
    }
  | { type: 'tool_call_start'; index: number; id: string; name: string; thoughtSignature?: string }
  | { type: 'tool_call_delta'; index: number; arguments: string }
  | { type: 'tool_call_end'; index: number }
  /** Cumulative usage known so far (later events supersede earlier ones bucket by bucket). */
  | { type: 'usage'; usage: Partial<Usage> }
  | { type: 'finish'; reason: FinishReason; stopSequence?: string }
  | { type: 'error'; error: CanonicalError };

export const ZERO_USAGE: Readonly<Usage> = Object.freeze({
  input: 0,
  cacheRead: 0,
  cacheWrite: 0,
  output: 0,
  reasoning: 0,
});
