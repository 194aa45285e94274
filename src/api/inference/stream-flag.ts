/**
 * Stream or not: `"stream": true` streams; `"stream": false` never streams whatever the Accept
 * header says; without a `stream` field, `Accept: text/event-stream` asks for a stream (and the
 * upstream is then asked to stream too).
 */
import { invalidRequest } from '../../canonical/errors.js';

export function streamFlag(value: unknown, accept: string | undefined): boolean {
  if (value === true) return true;
  if (value === false) return false;
  if (value !== undefined && value !== null) throw invalidRequest("'stream' must be true or false.", 'stream');
  return accept !== undefined && accept.toLowerCase().includes('text/event-stream');
}
