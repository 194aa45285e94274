import { describe, expect, it } from 'vitest';
import { SseFramer, lastEventEnd, parseEventBytes, splitEvents } from '../../src/relay/sse-framer.js';

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

  it('joins multi-line data and ignores comments', () => {
    expect(parseEventBytes(Buffer.from(': keep-alive\ndata: a\ndata: b\n\n'))).toEqual({ data: 'a\nb' });
  });
});
