import { describe, expect, it } from 'vitest';
import { REQUEST_LOG_COLUMNS } from '../../src/store/db/repositories/request-logs.js';
import type { NewRequestLogRow } from '../../src/store/db/schema.js';
import { packRows, unpackRows, WIRE_WIDTH } from '../../src/usage/log-row-wire.js';

function row(i: number): NewRequestLogRow {
  return {
    id: `req_${i}`,
    ts: 1_700_000_000_000 + i,
    api_key_id: `key_${i}`,
    user_id: null,
    route: '/v1/chat/completions',
    model: `model-${i}`,
    provider_id: `p${i}`,
    upstream_model: `up-${i}`,
    status: 200 + i,
    latency_ms: 10 + i,
    ttfb_ms: 5 + i,
    input_tokens: 100 + i,
    cache_read_tokens: 20 + i,
    cache_write_tokens: 3 + i,
    output_tokens: 40 + i,
    reasoning_tokens: 7 + i,
    cost_usd: 0.001 * (i + 1),
    stream: i % 2,
    attempts: 1 + i,
    partial: 0,
    error: i === 1 ? 'upstream said no' : null,
    session_id: `s${i}`,
    client_ip: '10.0.0.1',
    request_body: '{"a":"日本"}',
    response_body: null,
    estimated: 1,
    attempt_records: `[{"n":${i}}]`,
  };
}

describe('request-log rows sent to the writer thread', () => {
  it('come back as the same rows', () => {
    const rows = [row(0), row(1), row(2)];
    const packed = packRows(rows);
    expect(packed).toHaveLength(3 * WIRE_WIDTH);
    expect(unpackRows(structuredClone(packed))).toEqual(rows);
  });

  it('carry each value in the column order of the SQLite insert', () => {
    // a row whose every value is its own column name shows where each field lands
    const named = Object.fromEntries(REQUEST_LOG_COLUMNS.map((c) => [c, c])) as unknown as NewRequestLogRow;
    expect(packRows([named])).toEqual([...REQUEST_LOG_COLUMNS]);
    expect(Object.keys(unpackRows(packRows([named]))[0]!).sort()).toEqual([...REQUEST_LOG_COLUMNS].sort());
  });

  it('fill the columns a rejected request has no value for (estimated 0, no attempt records)', () => {
    const bare: NewRequestLogRow = { ...row(0), api_key_id: null, model: null, ttfb_ms: null, cost_usd: null };
    delete (bare as Partial<NewRequestLogRow>).estimated;
    delete (bare as Partial<NewRequestLogRow>).attempt_records;
    const [back] = unpackRows(packRows([bare]));
    expect(back).toMatchObject({ api_key_id: null, model: null, ttfb_ms: null, cost_usd: null, estimated: 0, attempt_records: null });
  });

  it('refuse a batch that is not whole rows', () => {
    expect(() => unpackRows(packRows([row(0)]).slice(1))).toThrow(/not whole rows/);
  });
});
