/**
 * Local token estimates, used only where the upstream gave no figure:
 * - a stream cut (or left by the client) before its usage event: output tokens from the text
 *   characters relayed (CallContext.outputChars), input tokens from the request body;
 * - a TPM reservation before the call (input estimate + the output the request allows).
 * The rule of thumb is 4 characters per token; media (data URLs, base64) is not counted as text.
 * Estimates are flagged (`request_logs.estimated = 1`); upstream figures always win.
 */
import type { Usage } from '../canonical/types.js';

const CHARS_PER_TOKEN = 4;
/** strings this long without a space are media payloads (base64), not text */
const MEDIA_RUN = 2048;

function isMediaString(s: string): boolean {
  if (s.startsWith('data:')) return true;
  return s.length >= MEDIA_RUN && s.indexOf(' ') < 0 && s.indexOf('\n') < 0;
}

/** Characters of text in a request body (strings anywhere, media payloads skipped). */
export function textCharsOf(body: unknown): number {
  let chars = 0;
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (!isMediaString(v)) chars += v.length;
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push(item);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        if (k === 'model' || k === 'stream') continue;
        stack.push(item);
      }
    }
  }
  return chars;
}

export function tokensFromChars(chars: number): number {
  return chars <= 0 ? 0 : Math.ceil(chars / CHARS_PER_TOKEN);
}

/** The input tokens a request body will probably cost (at least 1). */
export function estimateInputTokens(body: unknown): number {
  return Math.max(1, tokensFromChars(textCharsOf(body)));
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const posInt = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : null);

/** The output cap a request sets, in any dialect (null when it sets none). */
export function requestedMaxOutput(body: unknown): number | null {
  if (!isObj(body)) return null;
  const gen = isObj(body.generationConfig) ? body.generationConfig : isObj(body.generation_config) ? body.generation_config : {};
  return (
    posInt(body.max_completion_tokens) ??
    posInt(body.max_tokens) ??
    posInt(body.max_output_tokens) ??
    posInt(gen.maxOutputTokens) ??
    posInt(gen.max_output_tokens)
  );
}

export interface EstimateInput {
  usage: Usage;
  /** the call reached a provider (it answered, or a stream was committed) */
  answered: boolean;
  /** the answer was cut short: figures the upstream sent so far are not final */
  partial: boolean;
  /** characters of generated text relayed to the client */
  outputChars: number;
  requestBody: unknown;
}

/**
 * Fill buckets the upstream left empty with estimates, in place. Returns true when it did.
 * - output: when text was relayed and there is no output figure, or the answer was cut short
 *   and the figure so far is below what was relayed (Anthropic's message_start says 1);
 * - input: for a call that reached a provider and has no input figure at all.
 */
export function fillMissingUsage(x: EstimateInput): boolean {
  const u = x.usage;
  let estimated = false;
  if (x.outputChars > 0) {
    const out = tokensFromChars(x.outputChars);
    const reported = u.output + u.reasoning;
    if (reported === 0 || (x.partial && out > reported)) {
      u.output = out - u.reasoning;
      estimated = true;
    }
  }
  if (x.answered && u.input + u.cacheRead + u.cacheWrite === 0 && (estimated || u.output + u.reasoning > 0)) {
    u.input = estimateInputTokens(x.requestBody);
    estimated = true;
  }
  return estimated;
}
