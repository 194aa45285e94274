/**
 * Response-header values made of names someone else chose: a model id (`模型-1` is a valid one),
 * a parameter name from the client's body. A header carries only Latin-1, and writing anything
 * else throws once the answer is ready; so printable ASCII stays as it is and any other character
 * is percent-encoded as UTF-8 (a lone surrogate as U+FFFD), the way `decodeURIComponent` reads it.
 */

const PRINTABLE = /^[\x20-\x7e]*$/;
/** printable ASCII but ',' (a list's separator) and '%' (the escape) */
const LIST_ITEM = /^[\x20-\x24\x26-\x2b\x2d-\x7e]*$/;

export interface HeaderValueOptions {
  /** an item of a comma-separated list: ',' and '%' are encoded too */
  listItem?: boolean;
  /** cut to this many characters, never inside an escape */
  maxChars?: number;
}

function percentUtf8(ch: string): string {
  let out = '';
  for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

export function headerValue(v: string, opts: HeaderValueOptions = {}): string {
  const max = opts.maxChars ?? Number.POSITIVE_INFINITY;
  if ((opts.listItem ? LIST_ITEM : PRINTABLE).test(v) && v.length <= max) return v;
  let out = '';
  for (const ch of v) {
    const c = ch.charCodeAt(0);
    const plain = c >= 0x20 && c <= 0x7e && !(opts.listItem === true && (ch === ',' || ch === '%'));
    const piece = plain ? ch : percentUtf8(ch);
    if (out.length + piece.length > max) break;
    out += piece;
  }
  return out;
}
