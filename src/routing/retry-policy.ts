/**
 * What a failed attempt means for the request:
 * - retryable (try the next candidate): no answer at all (connection refused or reset, a
 *   timeout), 429, any 5xx, and a provider's own `retryable_status_codes`;
 * - credential (try the next candidate, and take that provider key out of use): 401, 402, 403 —
 *   our provider key is wrong or out of credit, which is never the client's fault;
 * - final (answer the client now, with the upstream's status and message): any other 4xx, such
 *   as 400 for a request the model cannot take.
 */
import type { Provider } from '../providers/types.js';

export type FailureClass = 'retryable' | 'credential' | 'final';

export function classifyStatus(status: number, provider: Pick<Provider, 'retryableStatusCodes'>): FailureClass {
  if (status === 401 || status === 402 || status === 403) return 'credential';
  if (status === 429 || status >= 500) return 'retryable';
  if (provider.retryableStatusCodes?.has(status)) return 'retryable';
  return 'final';
}

/** Retry-After (seconds or HTTP date) or retry-after-ms, in milliseconds. */
export function retryAfterMs(headers: Record<string, string | string[] | undefined>, now = Date.now()): number | undefined {
  const ms = headers['retry-after-ms'];
  const msText = Array.isArray(ms) ? ms[0] : ms;
  if (msText !== undefined && /^\d+(\.\d+)?$/.test(msText.trim())) return Math.ceil(Number(msText));
  const ra = headers['retry-after'];
  const text = Array.isArray(ra) ? ra[0] : ra;
  if (text === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Math.ceil(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
