/**
 * Counts the generated text in stream bytes the passthrough relay forwards untouched, without
 * parsing them: per dialect, the JSON string values of the fields that carry model output
 * (OpenAI chat `content` / `reasoning_content` / tool `arguments`, Responses `delta`, Anthropic
 * `text` / `thinking` / `partial_json`, Gemini `text`) are found by walking the key separators
 * (`:`, a native single-byte search) and comparing the key in front of each, then measured up
 * to their closing quote. One pass for all the fields, instead of a multi-byte search per field
 * (which cost several times more on the short regions a stream is read in). The count is in bytes of the JSON-escaped text (an escape counts
 * once), which is what a token estimate needs (src/usage/estimate.ts); it is only used when the
 * upstream never reported usage (a stream cut before its usage event).
 */
import type { Dialect } from '../canonical/types.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;

const COLON = 0x3a;

const FIELDS: Record<Dialect, readonly string[]> = {
  'openai-chat': ['content', 'reasoning_content', 'arguments'],
  'openai-responses': ['delta'],
  anthropic: ['text', 'thinking', 'partial_json'],
  gemini: ['text'],
};

export type TextCounter = (region: Buffer) => number;

/** Length of the JSON string starting at `open` (the opening quote), escapes counted once. */
function stringLength(buf: Buffer, open: number): { length: number; end: number } {
  let n = 0;
  let i = open + 1;
  while (i < buf.length) {
    const c = buf[i]!;
    if (c === QUOTE) return { length: n, end: i + 1 };
    if (c === BACKSLASH) {
      // \uXXXX is one character; any other escape is two bytes for one character
      i += buf[i + 1] === 0x75 ? 6 : 2;
    } else {
      i++;
    }
    n++;
  }
  return { length: n, end: buf.length };
}

/** `"key"` written just before the colon at `colon` (an escaped quote does not count). */
function keyBefore(buf: Buffer, colon: number, key: Buffer): boolean {
  const close = colon - 1;
  const open = close - key.length - 1;
  if (open < 0 || buf[close] !== QUOTE || buf[open] !== QUOTE || buf[open - 1] === BACKSLASH) return false;
  for (let k = 0; k < key.length; k++) if (buf[open + 1 + k] !== key[k]) return false;
  return true;
}

export function textCounterFor(dialect: Dialect): TextCounter {
  const keys = FIELDS[dialect].map((f) => Buffer.from(f));
  return (region) => {
    let total = 0;
    let colon = region.indexOf(COLON);
    while (colon >= 0) {
      let next = colon + 1;
      for (const key of keys) {
        if (!keyBefore(region, colon, key)) continue;
        let i = colon + 1;
        while (region[i] === SPACE) i++;
        if (region[i] === QUOTE) {
          const s = stringLength(region, i);
          total += s.length;
          next = s.end;
        }
        break;
      }
      colon = next < region.length ? region.indexOf(COLON, next) : -1;
    }
    return total;
  };
}
