import { describe, expect, it } from 'vitest';
import { SseFramer, eventAround, lastEventEnd, parseEventBytes, parseEventText, splitEvents } from '../../src/relay/sse-framer.js';

const STREAM = 'data: {"a":1}\n\nevent: x\ndata: {"b":"é"}\n\ndata: [DONE]\n\n';

describe('byte-level SSE framing', () => {
  it('finds the end of the last whole event', () => {
    expect(lastEventEnd(Buffer.from('data: 1\n\ndata: 2'))).toBe(9);
    expect(lastEventEnd(Buffer.from('data: 1\r\n\r\ndata: 2\r\n\r\n'))).toBe(22);
    expect(lastEventEnd(Buffer.from('data: 1\n'))).toBe(0);
  });

  it('reassembles events split at every possible byte boundary, inside UTF-8 too', () => {
    const bytes = Buffer.from(STREAM);
    for (let cut = 1; cut < bytes.length; cut++) {
      const framer = new SseFramer();
      const regions = [framer.push(bytes.subarray(0, cut)), framer.push(bytes.subarray(cut))];
      expect(framer.rest()).toBeNull();
      const joined = Buffer.concat(regions);
      expect(joined.toString()).toBe(STREAM);
      const events = splitEvents(joined).map((e) => parseEventBytes(e));
      expect(events).toEqual([{ data: '{"a":1}' }, { event: 'x', data: '{"b":"é"}' }, { data: '[DONE]' }]);
    }
  });

  it('splits CRLF-framed events (Gemini) and keeps a trailing partial event for the end', () => {
    const framer = new SseFramer();
    const region = framer.push(Buffer.from('data: {"x":1}\r\n\r\ndata: {"y":2}\r\n\r\ndata: {"z"'));
    expect(splitEvents(region).map((e) => parseEventBytes(e).data)).toEqual(['{"x":1}', '{"y":2}']);
    expect(framer.rest()?.toString()).toBe('data: {"z"');
  });

  it('finds the whole event around any byte, LF and CRLF framing alike', () => {
    for (const sep of ['\n\n', '\r\n\r\n']) {
      const events = ['data: {"a":1}', 'event: x\ndata: {"b":2}', 'data: [DONE]'].map((e) => e.replaceAll('\n', sep === '\n\n' ? '\n' : '\r\n') + sep);
      const region = Buffer.from(events.join(''));
      let offset = 0;
      for (const ev of events) {
        for (let pos = offset; pos < offset + ev.length; pos++) {
          const [start, end] = eventAround(region, pos);
          expect(region.subarray(start, end).toString()).toBe(ev);
        }
        offset += ev.length;
      }
    }
  });

  it('joins multi-line data and ignores comments', () => {
    expect(parseEventBytes(Buffer.from(': keep-alive\ndata: a\ndata: b\n\n'))).toEqual({ data: 'a\nb' });
  });

  it('reads fields from bytes exactly as from text, whatever the line ends and spacing', () => {
    const lines = [
      'data: {"a":1}',
      'data:{"a":1}',
      'data:',
      'data: ',
      'data',
      'event: message_start',
      'event:error',
      'event:',
      ': a comment',
      'id: 7',
      'retry: 10',
      'data: "日本語 é"',
      'datum: not data',
      'eventual: not an event',
      'data: [DONE]',
    ];
    const seen = new Set<string>();
    // every pair and triple of lines, with each line ending an SSE server may use
    for (const a of lines) {
      for (const b of lines) {
        for (const c of ['', ...lines.slice(0, 4)]) {
          for (const eol of ['\n', '\r\n', '\r']) {
            const text = [a, b, c].filter((l) => l !== '').join(eol) + eol + eol;
            const fromBytes = parseEventBytes(Buffer.from(text));
            expect(fromBytes, JSON.stringify(text)).toEqual(parseEventText(text));
            seen.add(JSON.stringify(fromBytes));
          }
        }
      }
    }
    // the cases above are not all alike: names, several data lines and empty data all occur
    expect(parseEventBytes(Buffer.from('event: x\ndata: 1\ndata:\ndata: 3\n\n'))).toEqual({ event: 'x', data: '1\n\n3' });
    expect(parseEventBytes(Buffer.from('data: 1'))).toEqual({ data: '1' });
    expect(seen.size).toBeGreaterThan(50);
  });
});
