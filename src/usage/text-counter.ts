/**
 * Counts the generated text in stream bytes the passthrough relay forwards untouched, without
 * parsing them: per dialect, the JSON string values of the fields that carry model output
 * (OpenAI chat `content` / `reasoning_content` / tool `arguments`, Responses `delta`, Anthropic
 * `text` / `thinking` / `partial_json`, Gemini `text`) are located by a byte search and measured
 * up to their closing quote. The count is in bytes of the JSON-escaped text (an escape counts
 * once), which is what a token estimate needs (src/usage/estimate.ts); it is only used when the
 * upstream never reported usage (a stream cut before its usage event).
 */
import type { Dialect } from '../canonical/types.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;

const FIELDS: Record<Dialect, readonly string[]> = {
  'openai-chat': ['"content":', '"reasoning_content":', '"arguments":'],
  'openai-responses': ['"delta":'],
  anthropic: ['"text":', '"thinking":', '"partial_json":'],
  gemini: ['"text":'],
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

export function textCounterFor(dialect: Dialect): TextCounter {
  const needles = FIELDS[dialect].map((f) => Buffer.from(f));
  return (region) => {
    let total = 0;
    for (const needle of needles) {
      let at = region.indexOf(needle);
      while (at >= 0) {
        let i = at + needle.length;
        while (region[i] === SPACE) i++;
        if (region[i] === QUOTE) {
          const s = stringLength(region, i);
          total += s.length;
          i = s.end;
        }
        at = region.indexOf(needle, i);
      }
    }
    return total;
  };
}
