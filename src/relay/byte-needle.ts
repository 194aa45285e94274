/**
 * A fixed byte string found in a buffer by a native single-byte search (memchr) for one of its
 * rarer bytes, then a compare. `Buffer.indexOf` with a multi-byte needle builds a search table
 * and restarts at every occurrence of the needle's first byte on each call: in SSE JSON, whose
 * markers start with `"`, that is several times slower on the short regions a stream is read in.
 */

/** Bytes rare in JSON API traffic, rarest first: a needle is searched for by the first of these it holds. */
const RARE = 'QZXJKVWYUBGFHPMDLITCNROSAEqzjxkvwyg';

/** The rarest character of `text` by RARE, or undefined when it holds none of them. */
export function rareAnchor(text: string): string | undefined {
  for (const c of RARE) if (text.includes(c)) return c;
  return undefined;
}

export class ByteNeedle {
  readonly bytes: Buffer;
  private readonly anchor: number;
  private readonly anchorAt: number;

  /**
   * `anchor`: a character of `text` that is rare in the bytes searched; by default its rarest
   * character by RARE, else its last.
   */
  constructor(readonly text: string, anchor: string | undefined = rareAnchor(text)) {
    this.bytes = Buffer.from(text);
    if (this.bytes.length === 0) throw new Error('an empty needle');
    const at = anchor === undefined ? this.bytes.length - 1 : this.bytes.indexOf(Buffer.from(anchor));
    if (at < 0 || Buffer.byteLength(anchor ?? 'x') !== 1) throw new Error(`anchor ${JSON.stringify(anchor)} must be one byte of ${JSON.stringify(text)}`);
    this.anchorAt = at;
    this.anchor = this.bytes[at]!;
  }

  /** Index of the last occurrence that starts at or before `from` (default: anywhere), or -1. */
  lastIndexIn(buf: Buffer, from = buf.length): number {
    const b = this.bytes;
    const n = b.length;
    const start0 = Math.min(from, buf.length - n);
    if (start0 < 0) return -1;
    let i = buf.lastIndexOf(this.anchor, start0 + this.anchorAt);
    while (i >= 0) {
      const start = i - this.anchorAt;
      if (start < 0) return -1;
      let k = 0;
      while (k < n && buf[start + k] === b[k]) k++;
      if (k === n) return start;
      i = i > 0 ? buf.lastIndexOf(this.anchor, i - 1) : -1;
    }
    return -1;
  }

  /** Index of the first occurrence at or after `from`, or -1. */
  indexIn(buf: Buffer, from = 0): number {
    const b = this.bytes;
    const n = b.length;
    const last = buf.length - n;
    let i = buf.indexOf(this.anchor, from + this.anchorAt);
    while (i >= 0) {
      const start = i - this.anchorAt;
      if (start > last) return -1;
      let k = 0;
      while (k < n && buf[start + k] === b[k]) k++;
      if (k === n) return start;
      i = buf.indexOf(this.anchor, i + 1);
    }
    return -1;
  }
}
