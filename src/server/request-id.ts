/**
 * Request ids: `req_` and 32 hex digits, ordered by time (like a UUIDv7): 12 digits of the
 * millisecond clock, 8 random digits chosen once per process, 12 digits of a counter that starts
 * at a random value. Unique across instances (the random part) and within one (the counter), and
 * sorted by arrival, so the request-log table's primary key grows at its end instead of at a
 * random page for every row. Cheaper than a random UUID per request, too.
 */
import { randomBytes } from 'node:crypto';

const HALF = 2 ** 24;

export interface RequestIdSource {
  (): string;
}

/**
 * The 48-bit counter is kept as two 24-bit halves: small integers, whose hex form is made
 * several times faster than a 48-bit number's (which V8 formats as a double); the high half's
 * digits are made only when it changes.
 */
export function requestIdSource(now: () => number = Date.now, counterStart?: number): RequestIdSource {
  const seed = randomBytes(10);
  const processPart = seed.toString('hex', 0, 4);
  const start = counterStart ?? seed.readUIntBE(4, 6);
  let high = Math.floor(start / HALF) % HALF;
  let low = start % HALF;
  let highHex = high.toString(16).padStart(6, '0');
  let lastMs = -1;
  let prefix = '';
  return () => {
    const ms = now();
    if (ms !== lastMs) {
      lastMs = ms;
      prefix = `req_${ms.toString(16).padStart(12, '0')}${processPart}`;
    }
    low++;
    if (low === HALF) {
      low = 0;
      high = high + 1 === HALF ? 0 : high + 1;
      highHex = high.toString(16).padStart(6, '0');
    }
    return prefix + highHex + low.toString(16).padStart(6, '0');
  };
}
