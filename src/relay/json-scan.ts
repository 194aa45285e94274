/**
 * Reading one small object out of a large JSON response without parsing the whole of it: find
 * the last occurrence of `"key":` and parse the balanced object that follows. Used to take the
 * usage from a forwarded response body (usage sits at the end).
 */

import { ByteNeedle } from './byte-needle.js';

const needles = new Map<string, ByteNeedle>();

/** Parse the JSON object value of the last `"key"` in `buf`, or undefined. */
export function lastObjectValue(buf: Buffer, key: string): unknown {
  let needle = needles.get(key);
  if (!needle) {
    needle = new ByteNeedle(`"${key}"`);
    needles.set(key, needle);
  }
  const len = needle.bytes.length;
  let at = needle.lastIndexIn(buf);
  while (at >= 0) {
    let i = at + len;
    while (i < buf.length && (buf[i] === 32 || buf[i] === 9 || buf[i] === 10 || buf[i] === 13)) i++;
    if (buf[i] === 58 /* : */) {
      i++;
      while (i < buf.length && (buf[i] === 32 || buf[i] === 9 || buf[i] === 10 || buf[i] === 13)) i++;
      if (buf[i] === 123 /* { */) {
        const end = matchBrace(buf, i);
        if (end > 0) {
          try {
            return JSON.parse(buf.subarray(i, end).toString('utf8'));
          } catch {
            return undefined;
          }
        }
      }
      return undefined;
    }
    at = at > 0 ? needle.lastIndexIn(buf, at - 1) : -1;
  }
  return undefined;
}

/** Index just past the `}` matching the `{` at `start`, or -1. */
function matchBrace(buf: Buffer, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123) depth++;
    else if (c === 125) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
