/**
 * Request ids: `req_` and 32 hex digits, ordered by time (like a UUIDv7): 12 digits of the
 * millisecond clock, 8 random digits chosen once per process, 12 digits of a counter that starts
 * at a random value. Unique across instances (the random part) and within one (the counter), and
 * sorted by arrival, so the request-log table's primary key grows at its end instead of at a
 * random page for every row. Cheaper than a random UUID per request, too.
 */
import { randomBytes } from 'node:crypto';

const COUNTER_SPAN = 2 ** 48;

export interface RequestIdSource {
  (): string;
}

export function requestIdSource(now: () => number = Date.now): RequestIdSource {
  const seed = randomBytes(10);
  const processPart = seed.toString('hex', 0, 4);
  let counter = seed.readUIntBE(4, 6);
  let lastMs = -1;
  let prefix = '';
  return () => {
    const ms = now();
    if (ms !== lastMs) {
      lastMs = ms;
      prefix = `req_${ms.toString(16).padStart(12, '0')}${processPart}`;
    }
    counter = counter + 1 === COUNTER_SPAN ? 0 : counter + 1;
    return prefix + counter.toString(16).padStart(12, '0');
  };
}
