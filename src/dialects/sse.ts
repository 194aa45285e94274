/**
 * Server-sent events: an incremental parser (bytes in any split, `\n` / `\r\n` / `\r` line
 * endings, comments, multi-line data) and a formatter.
 */

export interface SseEvent {
  /** The `event:` field, when present. */
  event?: string;
  /** The `data:` lines joined by "\n". */
  data: string;
}

export class SseParser {
  private buffer = '';
  private event: string | undefined;
  private data: string[] = [];
  private readonly decoder = new TextDecoder('utf-8');

  /** Feed bytes or text; returns every event completed by it. */
  push(chunk: Uint8Array | string): SseEvent[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const nl = this.findLineEnd(start);
      if (nl < 0) break;
      const line = this.buffer.slice(start, nl);
      // a "\r\n" pair counts as one line ending
      start = this.buffer.charCodeAt(nl) === 13 && this.buffer.charCodeAt(nl + 1) === 10 ? nl + 2 : nl + 1;
      this.line(line, out);
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** Call at end of input: a final event without its blank line is still delivered. */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    const rest = this.buffer + this.decoder.decode();
    this.buffer = '';
    if (rest.length > 0) this.line(rest, out);
    this.dispatch(out);
    return out;
  }

  private findLineEnd(from: number): number {
    const n = this.buffer.indexOf('\n', from);
    const r = this.buffer.indexOf('\r', from);
    if (r < 0) return n;
    // a lone "\r" at the very end may be the first half of "\r\n": wait for more
    if (r === this.buffer.length - 1) return n >= 0 && n < r ? n : -1;
    if (n < 0) return r;
    return Math.min(n, r);
  }

  private line(line: string, out: SseEvent[]): void {
    if (line.length === 0) {
      this.dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) return; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    // id and retry are not used by any LLM dialect
  }

  private dispatch(out: SseEvent[]): void {
    if (this.data.length > 0 || this.event !== undefined) {
      const ev: SseEvent = { data: this.data.join('\n') };
      if (this.event !== undefined) ev.event = this.event;
      out.push(ev);
    }
    this.data = [];
    this.event = undefined;
  }
}

/** One SSE frame: `event: name\n` (when given) and `data: …\n\n`. */
export function sseFrame(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}
