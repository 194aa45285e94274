/**
 * Byte-level SSE framing for the passthrough path: splits a byte stream into whole events
 * without decoding text (events are Buffer views, no copies unless an event spans two chunks).
 * An event ends at a blank line: "\n\n" or "\r\n\r\n" (what every LLM provider sends).
 */

const LF = 10;
const CR = 13;

/** Index just past the end of the last complete event in `buf`, or 0 if there is none. */
export function lastEventEnd(buf: Buffer): number {
  for (let i = buf.length - 1; i >= 1; i--) {
    const c = buf[i];
    if (c !== LF) continue;
    if (buf[i - 1] === LF) return i + 1;
    if (buf[i - 1] === CR && i >= 3 && buf[i - 2] === LF && buf[i - 3] === CR) return i + 1;
  }
  return 0;
}

/**
 * The whole event around byte `pos` of a region made of whole events: [start, end), the end
 * including its blank line. Jumps from line feed to line feed (native searches) over that event
 * only, so a tap that found a marker does not have to split the whole region.
 */
export function eventAround(region: Buffer, pos: number): [number, number] {
  // an event starts just after "\n\n" or "\n\r\n": look back for a line feed that ends a blank line
  let start = 0;
  let lf = pos > 0 ? region.lastIndexOf(LF, pos - 1) : -1;
  while (lf >= 0) {
    if (region[lf - 1] === LF || (region[lf - 1] === CR && region[lf - 2] === LF)) {
      start = lf + 1;
      break;
    }
    lf = lf > 0 ? region.lastIndexOf(LF, lf - 1) : -1;
  }
  let i = region.indexOf(LF, start);
  while (i >= 0) {
    if (region[i + 1] === LF) return [start, i + 2];
    if (region[i + 1] === CR && region[i + 2] === LF) return [start, i + 3];
    i = region.indexOf(LF, i + 1);
  }
  return [start, region.length];
}

/** Split a region made of whole events into the events (each including its terminator). */
export function splitEvents(region: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  // jump from line feed to line feed (a native search) rather than looking at every byte
  let i = region.indexOf(LF);
  while (i >= 0) {
    if (region[i + 1] === LF) {
      out.push(region.subarray(start, i + 2));
      start = i + 2;
      i = region.indexOf(LF, start);
    } else if (region[i + 1] === CR && region[i + 2] === LF) {
      out.push(region.subarray(start, i + 3));
      start = i + 3;
      i = region.indexOf(LF, start);
    } else {
      i = region.indexOf(LF, i + 1);
    }
  }
  if (start < region.length) out.push(region.subarray(start));
  return out;
}

export interface SseEventText {
  event?: string;
  data: string;
}

const D = 100; // d
const E = 101; // e
const SPACE = 32;
const COLON = 58;

/** `data:` at `at` */
function isDataField(b: Buffer, at: number): boolean {
  return b[at] === D && b[at + 1] === 97 && b[at + 2] === 116 && b[at + 3] === 97 && b[at + 4] === COLON;
}

/** `event:` at `at` */
function isEventField(b: Buffer, at: number): boolean {
  return b[at] === E && b[at + 1] === 118 && b[at + 2] === E && b[at + 3] === 110 && b[at + 4] === 116 && b[at + 5] === COLON;
}

/**
 * The `data:` payload of one event (lines joined by "\n"), and its `event:` name. Lines are
 * found by byte and only the field values are decoded; an event holding a carriage return (CRLF
 * or CR line ends) goes through the text path.
 */
export function parseEventBytes(ev: Buffer): SseEventText {
  if (ev.indexOf(CR) >= 0) return parseEventText(ev.toString('utf8'));
  let event: string | undefined;
  let data: string | undefined;
  let more: string[] | null = null;
  const n = ev.length;
  let at = 0;
  while (at < n) {
    let end = ev.indexOf(LF, at);
    if (end < 0) end = n;
    if (isDataField(ev, at)) {
      const from = ev[at + 5] === SPACE ? at + 6 : at + 5;
      const value = from >= end ? '' : ev.toString('utf8', from, end);
      if (data === undefined) data = value;
      else (more ??= [data]).push(value);
    } else if (isEventField(ev, at)) {
      const from = ev[at + 6] === SPACE ? at + 7 : at + 6;
      event = from >= end ? '' : ev.toString('utf8', from, end);
    }
    at = end + 1;
  }
  const joined = more !== null ? more.join('\n') : (data ?? '');
  return event === undefined ? { data: joined } : { event, data: joined };
}

/** The same as parseEventBytes, from decoded text (any line ending). */
export function parseEventText(text: string): SseEventText {
  let event: string | undefined;
  const data: string[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    if (raw.startsWith('data:')) data.push(raw.charCodeAt(5) === 32 ? raw.slice(6) : raw.slice(5));
    else if (raw.startsWith('event:')) event = raw.slice(raw.charCodeAt(6) === 32 ? 7 : 6);
  }
  return event === undefined ? { data: data.join('\n') } : { event, data: data.join('\n') };
}

/** Carries partial events between chunks; yields regions of whole events. */
export class SseFramer {
  private carry: Buffer | null = null;

  /** Returns the whole events completed by this chunk as one region (possibly empty). */
  push(chunk: Buffer): Buffer {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const end = lastEventEnd(data);
    if (end === data.length) {
      this.carry = null;
      return data;
    }
    this.carry = end === 0 ? data : data.subarray(end);
    return data.subarray(0, end);
  }

  /** Bytes left at the end of the stream (an event without its blank line). */
  rest(): Buffer | null {
    const r = this.carry;
    this.carry = null;
    return r && r.length > 0 ? r : null;
  }
}
