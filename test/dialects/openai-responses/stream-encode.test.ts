import { describe, expect, it } from 'vitest';
import { packReasoning } from '../../../src/canonical/opaque.js';
import type { StreamEvent } from '../../../src/canonical/types.js';
import { encodeStream, request, wireEvents, type WireEvent } from './helpers.js';

const start: StreamEvent = { type: 'start', id: 'chatcmpl-abc', model: 'gpt-4o-2024-08-06', created: 1700000000 };

/** Invariants every encoded stream must hold (checklist §11 OR lifecycle, §13 ids). */
function checkLifecycle(raw: string): WireEvent[] {
  // every frame is `event: <type>\ndata: <json>\n\n`, nothing else (no [DONE])
  expect(raw).toMatch(/^(event: [a-z_.]+\ndata: \{[^\n]*\}\n\n)+$/);
  const events = wireEvents(raw);
  events.forEach((e, i) => {
    expect(e.event).toBe(e.payload.type);
    expect(e.payload.sequence_number).toBe(i);
  });
  expect(events[0]?.payload.type).toBe('response.created');
  expect(events[1]?.payload.type).toBe('response.in_progress');
  const responseIds = new Set(
    events.filter((e) => 'response' in e.payload).map((e) => (e.payload.response as { id: string }).id),
  );
  expect(responseIds.size).toBe(1);
  expect([...responseIds][0]).toMatch(/^resp_/);
  // each item id is announced once by output_item.added and used with the same output_index after
  const items = new Map<string, number>();
  for (const e of events) {
    const p = e.payload;
    if (p.type === 'response.output_item.added') {
      const item = p.item as { id: string };
      expect(items.has(item.id)).toBe(false);
      expect(p.output_index).toBe(items.size);
      items.set(item.id, p.output_index as number);
    } else if (typeof p.item_id === 'string') {
      expect(items.get(p.item_id)).toBe(p.output_index);
    } else if (p.type === 'response.output_item.done') {
      const item = p.item as { id: string };
      expect(items.get(item.id)).toBe(p.output_index);
    }
  }
  return events;
}

function types(events: WireEvent[]): string[] {
  return events.map((e) => e.payload.type);
}

function terminal(events: WireEvent[]): Record<string, unknown> {
  const last = events.filter((e) => 'response' in e.payload).at(-1);
  return last?.payload.response as Record<string, unknown>;
}

describe('openai-responses stream encoder: lifecycle (golden)', () => {
  it('text only', () => {
    const raw = encodeStream(
      [start, { type: 'text_delta', text: 'Hel' }, { type: 'text_delta', text: 'lo' }, { type: 'usage', usage: { input: 5, output: 2 } }, { type: 'finish', reason: 'stop' }],
      request({ temperature: 0.7, messages: [{ role: 'system', content: [{ type: 'text', text: 'Sys' }] }] }),
    );
    const events = checkLifecycle(raw);
    expect(types(events)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const created = events[0]?.payload.response as Record<string, unknown>;
    expect(created).toMatchObject({
      object: 'response',
      status: 'in_progress',
      model: 'my-model',
      created_at: 1700000000,
      output: [],
      usage: null,
      instructions: 'Sys',
      temperature: 0.7,
      tool_choice: 'auto',
      tools: [],
      text: { format: { type: 'text' } },
    });
    expect(events[2]?.payload.item).toMatchObject({ type: 'message', role: 'assistant', status: 'in_progress', content: [] });
    expect(events[6]?.payload).toMatchObject({ text: 'Hello', content_index: 0 });
    const done = events[8]?.payload.item;
    expect(done).toMatchObject({
      type: 'message',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Hello', annotations: [] }],
    });
    const final = terminal(events);
    expect(final).toMatchObject({ status: 'completed', model: 'my-model', output: [done], error: null, incomplete_details: null });
    expect(final.usage).toEqual({
      input_tokens: 5,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 7,
    });
    expect(final).not.toHaveProperty('output_text');
  });

  it('tool calls only, interleaved (parallel), usage after finish', () => {
    const raw = encodeStream(
      [
        start,
        { type: 'tool_call_start', index: 0, id: 'call_a', name: 'get_weather' },
        { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
        { type: 'tool_call_start', index: 1, id: 'call_b', name: 'get_time' },
        { type: 'tool_call_delta', index: 1, arguments: '{}' },
        { type: 'tool_call_delta', index: 0, arguments: '"Paris"}' },
        { type: 'tool_call_end', index: 0 },
        { type: 'tool_call_end', index: 1 },
        { type: 'finish', reason: 'tool_calls' },
        { type: 'usage', usage: { input: 50, cacheRead: 10, output: 20, reasoning: 0 } },
      ],
      request(),
    );
    const events = checkLifecycle(raw);
    const added = events.filter((e) => e.payload.type === 'response.output_item.added').map((e) => e.payload.item);
    expect(added).toEqual([
      { id: expect.stringMatching(/^fc_/), type: 'function_call', status: 'in_progress', arguments: '', call_id: 'call_a', name: 'get_weather' },
      { id: expect.stringMatching(/^fc_/), type: 'function_call', status: 'in_progress', arguments: '', call_id: 'call_b', name: 'get_time' },
    ]);
    const argsDone = events.filter((e) => e.payload.type === 'response.function_call_arguments.done').map((e) => e.payload);
    expect(argsDone.map((p) => [p.output_index, p.name, p.arguments])).toEqual([
      [0, 'get_weather', '{"city":"Paris"}'],
      [1, 'get_time', '{}'],
    ]);
    const final = terminal(events);
    expect(final.status).toBe('completed');
    expect((final.output as Array<Record<string, unknown>>).map((o) => [o.call_id, o.arguments, o.status])).toEqual([
      ['call_a', '{"city":"Paris"}', 'completed'],
      ['call_b', '{}', 'completed'],
    ]);
    expect(final.usage).toMatchObject({ input_tokens: 60, input_tokens_details: { cached_tokens: 10 }, total_tokens: 80 });
    // no message item in a tool-only stream
    expect(types(events)).not.toContain('response.content_part.added');
  });

  it('reasoning of another vendor, then text: summary events and a packed signature', () => {
    const raw = encodeStream(
      [
        start,
        { type: 'reasoning_delta', text: 'Let me ', origin: 'anthropic' },
        { type: 'reasoning_delta', text: 'think.', origin: 'anthropic' },
        { type: 'reasoning_delta', text: '', origin: 'anthropic', signature: 'EqQBCkYIBxgCKkB' },
        { type: 'text_delta', text: 'Answer.' },
        { type: 'finish', reason: 'stop' },
      ],
      request(),
    );
    const events = checkLifecycle(raw);
    expect(types(events).slice(2)).toEqual([
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const reasoningDone = events[8]?.payload.item;
    expect(reasoningDone).toEqual({
      id: expect.stringMatching(/^rs_/),
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'Let me think.' }],
      encrypted_content: packReasoning({ origin: 'anthropic', text: 'Let me think.', signature: 'EqQBCkYIBxgCKkB' }),
    });
    expect(events[3]?.payload).toMatchObject({ summary_index: 0, part: { type: 'summary_text', text: '' } });
  });

  it('OpenAI reasoning keeps its rs_ id and encrypted content; a new item id starts a new item', () => {
    const raw = encodeStream(
      [
        start,
        { type: 'reasoning_delta', text: 'A', origin: 'openai', itemId: 'rs_up1', summary: true },
        { type: 'reasoning_delta', text: '', origin: 'openai', itemId: 'rs_up1', encryptedContent: 'enc1', summary: true },
        { type: 'reasoning_delta', text: '', origin: 'openai', itemId: 'rs_up2', encryptedContent: 'enc2', summary: true },
        { type: 'tool_call_start', index: 0, id: 'call_1', name: 'f' },
        { type: 'tool_call_end', index: 0 },
        { type: 'finish', reason: 'tool_calls' },
      ],
      request(),
    );
    const output = terminal(checkLifecycle(raw)).output as Array<Record<string, unknown>>;
    expect(output).toEqual([
      { id: 'rs_up1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'A' }], encrypted_content: 'enc1' },
      { id: 'rs_up2', type: 'reasoning', summary: [], encrypted_content: 'enc2' },
      { id: expect.stringMatching(/^fc_/), type: 'function_call', status: 'completed', arguments: '', call_id: 'call_1', name: 'f' },
    ]);
  });

  it('text then tools closes the message before the first function call', () => {
    const events = checkLifecycle(
      encodeStream(
        [
          start,
          { type: 'text_delta', text: 'Checking.' },
          { type: 'tool_call_start', index: 0, id: 'call_1', name: 'f', thoughtSignature: 'sig' },
          { type: 'tool_call_delta', index: 0, arguments: '{}' },
          { type: 'tool_call_end', index: 0 },
          { type: 'finish', reason: 'tool_calls' },
        ],
        request(),
      ),
    );
    const t = types(events);
    expect(t.indexOf('response.content_part.done')).toBeLessThan(t.lastIndexOf('response.output_item.added'));
    const call = (terminal(events).output as Array<Record<string, unknown>>)[1];
    // the Gemini signature rides in the call id (opaque.ts)
    expect(call?.call_id).toMatch(/^call_1__ts_/);
  });

  it.each([
    ['length', 'response.incomplete', { reason: 'max_output_tokens' }],
    ['content_filter', 'response.incomplete', { reason: 'content_filter' }],
  ] as const)('finish %s ends with %s carrying usage', (reason, type, details) => {
    const events = checkLifecycle(
      encodeStream([start, { type: 'text_delta', text: 'Once' }, { type: 'usage', usage: { input: 3, output: 16 } }, { type: 'finish', reason }], request()),
    );
    expect(events.at(-1)?.payload.type).toBe(type);
    const final = terminal(events);
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details).toEqual(details);
    expect(final.usage).toMatchObject({ output_tokens: 16 });
  });
});

describe('openai-responses stream encoder: errors', () => {
  it('an error after content: response.failed with the partial output, then an error event; nothing after', () => {
    const request0 = request();
    const raw = encodeStream(
      [
        start,
        { type: 'text_delta', text: 'Partial' },
        { type: 'error', error: { status: 429, type: 'rate_limit', message: 'Rate limit reached. Please try again in 2s.', code: 'rate_limit_exceeded' } },
        { type: 'text_delta', text: ' more' },
        { type: 'finish', reason: 'stop' },
      ],
      request0,
    );
    const events = checkLifecycle(raw);
    expect(types(events).slice(-2)).toEqual(['response.failed', 'error']);
    const failed = terminal(events);
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'rate_limit_exceeded', message: 'Rate limit reached. Please try again in 2s.' },
      output: [{ type: 'message', status: 'incomplete', content: [{ type: 'output_text', text: 'Partial' }] }],
    });
    expect(events.at(-1)?.payload).toEqual({
      type: 'error',
      code: 'rate_limit_exceeded',
      message: 'Rate limit reached. Please try again in 2s.',
      param: null,
      error: { type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'Rate limit reached. Please try again in 2s.', param: null },
      sequence_number: events.length - 1,
    });
    expect(raw).not.toContain(' more');
  });

  it('an error as the first event still starts with response.created', () => {
    const events = checkLifecycle(
      encodeStream([{ type: 'error', error: { status: 502, type: 'upstream', message: 'boom' } }], request()),
    );
    expect(types(events)).toEqual(['response.created', 'response.in_progress', 'response.failed', 'error']);
    expect(terminal(events).error).toEqual({ code: 'server_error', message: 'boom' });
  });

  it('a stream that ends without finish ends as failed, not completed', () => {
    const events = checkLifecycle(encodeStream([start, { type: 'text_delta', text: 'cut' }], request()));
    expect(types(events).slice(-2)).toEqual(['response.failed', 'error']);
  });
});
