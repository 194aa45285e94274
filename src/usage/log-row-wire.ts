/**
 * Request-log rows as they cross to the writer thread (src/usage/log-writer-thread.ts): the
 * values of every row one after the other, in REQUEST_LOG_COLUMNS order, in one flat array.
 * Structured cloning copies every key of every object and the thread has to look each one up
 * again; the values alone cost about a third to send, and nothing to re-key.
 */
import { REQUEST_LOG_COLUMNS } from '../store/db/repositories/request-logs.js';
import type { NewRequestLogRow } from '../store/db/schema.js';

export type WireValue = string | number | null;

export const WIRE_WIDTH = REQUEST_LOG_COLUMNS.length;

/** Written out field by field (one shape, no keyed lookups); test/usage/log-row-wire.test.ts checks the order. */
export function packRows(rows: readonly NewRequestLogRow[]): WireValue[] {
  const out: WireValue[] = [];
  for (const r of rows) {
    out.push(
      r.id, r.ts, r.api_key_id ?? null, r.user_id ?? null, r.route, r.model ?? null, r.provider_id ?? null, r.upstream_model ?? null,
      r.status, r.latency_ms, r.ttfb_ms ?? null, r.input_tokens, r.cache_read_tokens, r.cache_write_tokens, r.output_tokens,
      r.reasoning_tokens, r.cost_usd ?? null, r.stream, r.attempts, r.partial, r.error ?? null, r.session_id ?? null,
      r.client_ip ?? null, r.request_body ?? null, r.response_body ?? null, r.estimated ?? 0, r.attempt_records ?? null,
    );
  }
  return out;
}

const s = (v: WireValue | undefined): string => v as string;
const n = (v: WireValue | undefined): number => v as number;
const sn = (v: WireValue | undefined): string | null => (v ?? null) as string | null;
const nn = (v: WireValue | undefined): number | null => (v ?? null) as number | null;

export function unpackRows(values: readonly WireValue[]): NewRequestLogRow[] {
  if (values.length % WIRE_WIDTH !== 0) throw new Error(`a packed batch of ${values.length} values is not whole rows of ${WIRE_WIDTH}`);
  const rows: NewRequestLogRow[] = [];
  for (let o = 0; o < values.length; o += WIRE_WIDTH) {
    const v = values;
    rows.push({
      id: s(v[o]), ts: n(v[o + 1]), api_key_id: sn(v[o + 2]), user_id: sn(v[o + 3]), route: s(v[o + 4]), model: sn(v[o + 5]),
      provider_id: sn(v[o + 6]), upstream_model: sn(v[o + 7]), status: n(v[o + 8]), latency_ms: n(v[o + 9]), ttfb_ms: nn(v[o + 10]),
      input_tokens: n(v[o + 11]), cache_read_tokens: n(v[o + 12]), cache_write_tokens: n(v[o + 13]), output_tokens: n(v[o + 14]),
      reasoning_tokens: n(v[o + 15]), cost_usd: nn(v[o + 16]), stream: n(v[o + 17]), attempts: n(v[o + 18]), partial: n(v[o + 19]),
      error: sn(v[o + 20]), session_id: sn(v[o + 21]), client_ip: sn(v[o + 22]), request_body: sn(v[o + 23]), response_body: sn(v[o + 24]),
      estimated: n(v[o + 25]), attempt_records: sn(v[o + 26]),
    });
  }
  return rows;
}
