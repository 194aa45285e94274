/**
 * Request-body limits the HTTP server applies before any route runs:
 * - size: MAX_BODY_MB (Fastify's bodyLimit) -> 413;
 * - nesting: MAX_JSON_DEPTH -> 400, checked on the raw text before JSON.parse, so a body such
 *   as 100 000 `[` never reaches a recursive walker (which would overflow the stack: a 500).
 * The scan jumps over string contents with indexOf (native speed); only structural characters
 * are looked at one by one. The same scan counts the top-level object's keys: when no key is
 * repeated (a repeat may be spelled differently, `"model"` and `"mod\u0065l"`, and parsers
 * disagree on which one wins), the text is remembered with the parsed body, so an upstream
 * that gets the body unchanged can be sent the client's own bytes (src/routing/attempt-plan.ts).
 */
import { GatewayError, invalidRequest } from '../canonical/errors.js';

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const COLON = 58;

/** True when objects/arrays in `text` nest deeper than `max`. Tolerant of invalid JSON (JSON.parse judges that). */
export function jsonDepthExceeds(text: string, max: number): boolean {
  return scanJson(text, max) < 0;
}

/**
 * -1 when objects/arrays nest deeper than `max`; otherwise the number of key separators (`:`)
 * directly inside the outermost object or array: for an object, how many keys it was written with.
 */
function scanJson(text: string, max: number): number {
  let depth = 0;
  let topKeys = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // skip to the closing quote (one not escaped by an odd run of backslashes)
      let j = text.indexOf('"', i + 1);
      while (j > 0) {
        let k = j - 1;
        while (text.charCodeAt(k) === BACKSLASH) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (j < 0) return topKeys;
      i = j;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return -1;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (c === COLON && depth === 1) {
      topKeys++;
    }
  }
  return topKeys;
}

/** The text of each parsed request body whose top-level keys are all different */
const rawTexts = new WeakMap<object, string>();

/** The client's own text of a body parsed by parseJsonBody, when forwarding it as is says the same. */
export function rawTextOf(body: object): string | undefined {
  return rawTexts.get(body);
}

/** Parse a request body: undefined when blank, a 400 GatewayError when too deep or not JSON. */
export function parseJsonBody(text: string, maxDepth: number): unknown {
  if (text.trim() === '') return undefined;
  const topKeys = scanJson(text, maxDepth);
  if (topKeys < 0) {
    throw invalidRequest(`The request body nests objects and arrays more than ${maxDepth} levels deep; flatten it (limit: MAX_JSON_DEPTH).`, undefined, 'body_too_deep');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidRequest('The request body is not valid JSON.', undefined, 'invalid_json');
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && Object.keys(parsed).length === topKeys) rawTexts.set(parsed, text);
  return parsed;
}

/** The 413 for a body over MAX_BODY_MB. */
export function bodyTooLarge(limitBytes: number): GatewayError {
  const mb = limitBytes / (1024 * 1024);
  const shown = Number.isInteger(mb) ? `${mb} MB` : `${limitBytes} bytes`;
  return new GatewayError(413, 'invalid_request', `The request body is too large: over the ${shown} limit (MAX_BODY_MB); send less, or raise the limit.`, {
    code: 'request_too_large',
  });
}
