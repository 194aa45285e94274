/**
 * The official openai@6 SDK as oracle for our stream encoder: its ResponseStream accumulator
 * throws on anything it does not expect (an unknown event type, a delta for a missing item or
 * content index, a first event that is not response.created), so a finalResponse() that resolves
 * to the right output proves the bytes are what a Responses client needs.
 */
import { APIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/canonical/types.js';
import { openAiResponsesDialect as dialect } from '../../../src/dialects/openai-responses/index.js';
import { decodeStream, encodeStream, fixtureBytes, replayServer, request, type ReplayServer } from './helpers.js';

const start: StreamEvent = { type: 'start', id: 'msg_01', model: 'claude-sonnet-4-5', created: 1750000000 };

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function sdkFinal(events: StreamEvent[]) {
  server = await replayServer({ contentType: 'text/event-stream', body: encodeStream(events, request()) });
  const stream = server.client.responses.stream({ model: 'my-model', input: 'hi' });
  const seen: string[] = [];
  stream.on('event', (e) => seen.push(e.type));
  const final = await stream.finalResponse();
  return { final, seen };
}

describe('openai@6 responses.stream() assembles what our encoder sends', () => {
  it('text only', async () => {
    const { final, seen } = await sdkFinal([
      start,
      { type: 'text_delta', text: 'Olá 👋, ' },
      { type: 'text_delta', text: 'world' },
      { type: 'usage', usage: { input: 12, cacheRead: 4, output: 3 } },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(final.output_text).toBe('Olá 👋, world');
    expect(final.status).toBe('completed');
    expect(final.model).toBe('my-model');
    expect(final.usage).toEqual({
      input_tokens: 16,
      input_tokens_details: { cached_tokens: 4 },
      output_tokens: 3,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 19,
    });
    expect(seen[0]).toBe('response.created');
    expect(seen.at(-1)).toBe('response.completed');
    expect(server?.requests[0]?.url).toBe('/v1/responses');
  });

  it('parallel tool calls without text, usage after finish', async () => {
    const { final } = await sdkFinal([
      start,
      { type: 'tool_call_start', index: 0, id: 'toolu_a', name: 'get_weather' },
      { type: 'tool_call_start', index: 1, id: 'toolu_b', name: 'get_weather' },
      { type: 'tool_call_delta', index: 1, arguments: '{"city":"Lyon"}' },
      { type: 'tool_call_delta', index: 0, arguments: '{"city":' },
      { type: 'tool_call_delta', index: 0, arguments: '"Paris"}' },
      { type: 'tool_call_end', index: 1 },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { input: 30, output: 25 } },
    ]);
    expect(final.output_text).toBe('');
    const calls = final.output.filter((o) => o.type === 'function_call');
    expect(calls.map((c) => [c.call_id, c.name, c.arguments, c.status])).toEqual([
      ['toolu_a', 'get_weather', '{"city":"Paris"}', 'completed'],
      ['toolu_b', 'get_weather', '{"city":"Lyon"}', 'completed'],
    ]);
    expect(final.usage?.total_tokens).toBe(55);
  });

  it('reasoning summary, then text, then a tool call', async () => {
    const { final, seen } = await sdkFinal([
      start,
      { type: 'reasoning_delta', text: 'The user wants ', origin: 'anthropic' },
      { type: 'reasoning_delta', text: 'the weather.', origin: 'anthropic' },
      { type: 'reasoning_delta', text: '', origin: 'anthropic', signature: 'sig-1' },
      { type: 'text_delta', text: 'Checking.' },
      { type: 'tool_call_start', index: 0, id: 'toolu_1', name: 'get_weather' },
      { type: 'tool_call_delta', index: 0, arguments: '{"city":"Paris"}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'usage', usage: { input: 40, output: 30, reasoning: 12 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    expect(final.output.map((o) => o.type)).toEqual(['reasoning', 'message', 'function_call']);
    const reasoning = final.output[0];
    if (reasoning?.type !== 'reasoning') throw new Error('expected a reasoning item');
    expect(reasoning.summary).toEqual([{ type: 'summary_text', text: 'The user wants the weather.' }]);
    expect(reasoning.encrypted_content).toMatch(/^apx1\.anthropic\./);
    expect(final.output_text).toBe('Checking.');
    expect(final.usage?.output_tokens_details.reasoning_tokens).toBe(12);
    expect(seen).toContain('response.reasoning_summary_text.delta');
  });

  it('Codex-style replay of the assembled output (store:false) gives the Anthropic signature back', async () => {
    const { final } = await sdkFinal([
      start,
      { type: 'reasoning_delta', text: 'Plan: call ls.', origin: 'anthropic' },
      { type: 'reasoning_delta', text: '', origin: 'anthropic', signature: 'EqQBCkYIBxgCKkB' },
      { type: 'tool_call_start', index: 0, id: 'toolu_01', name: 'shell' },
      { type: 'tool_call_delta', index: 0, arguments: '{"command":["ls"]}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    const next = dialect.decodeRequest({
      model: 'my-model',
      store: false,
      include: ['reasoning.encrypted_content'],
      input: [
        { role: 'user', content: 'list files' },
        ...final.output,
        { type: 'function_call_output', call_id: 'toolu_01', output: 'a.txt' },
      ],
    });
    expect(next.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Plan: call ls.', origin: 'anthropic', signature: 'EqQBCkYIBxgCKkB' },
        { type: 'tool_call', id: 'toolu_01', name: 'shell', arguments: '{"command":["ls"]}' },
      ],
    });
  });

  it('an OpenAI upstream stream decoded and re-encoded (stream-reasoning.sse) reaches the SDK intact', async () => {
    const { final } = await sdkFinal(decodeStream(fixtureBytes('stream-reasoning.sse'), [9]));
    const reasoning = final.output[0];
    if (reasoning?.type !== 'reasoning') throw new Error('expected a reasoning item');
    expect(reasoning.id).toBe('rs_6806bfca0b2481918a5748308061a2600d3ce51bdffd5476');
    expect(reasoning.encrypted_content).toBe('gAAAAABoCFCB-ENCRYPTED-REASONING-STATE-2==');
    expect(reasoning.summary[0]?.text).toContain('**Offering help**');
    expect(final.output_text).toBe('Hello! How can I help you today?');
    expect(final.usage).toMatchObject({ input_tokens: 1200, input_tokens_details: { cached_tokens: 1024 }, output_tokens: 300 });
  });

  it('finish length ends as incomplete with the reason', async () => {
    const { final } = await sdkFinal([start, { type: 'text_delta', text: 'Once upon' }, { type: 'finish', reason: 'length' }]);
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(final.output_text).toBe('Once upon');
  });

  it('an error mid-stream makes the SDK raise an APIError with the message', async () => {
    server = await replayServer({
      contentType: 'text/event-stream',
      body: encodeStream(
        [
          start,
          { type: 'text_delta', text: 'Par' },
          { type: 'error', error: { status: 529, type: 'overloaded', message: 'Overloaded, try later' } },
        ],
        request(),
      ),
    });
    const stream = server.client.responses.stream({ model: 'my-model', input: 'hi' });
    const failed: string[] = [];
    stream.on('response.failed', (e) => failed.push(e.response.error?.message ?? ''));
    const err = await stream.finalResponse().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).message).toContain('Overloaded, try later');
    expect(failed).toEqual(['Overloaded, try later']);
  });

  it('an error before any content also raises', async () => {
    server = await replayServer({
      contentType: 'text/event-stream',
      body: encodeStream([{ type: 'error', error: { status: 400, type: 'invalid_request', message: 'prompt too long', code: 'context_length_exceeded' } }], request()),
    });
    const err = await server.client.responses
      .stream({ model: 'my-model', input: 'hi' })
      .finalResponse()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).message).toContain('prompt too long');
    expect((err as APIError).code).toBe('context_length_exceeded');
  });

  it('responses.create({stream: true}) yields typed events with increasing sequence numbers', async () => {
    server = await replayServer({
      contentType: 'text/event-stream',
      body: encodeStream([start, { type: 'text_delta', text: 'ok' }, { type: 'finish', reason: 'stop' }], request()),
    });
    const stream = await server.client.responses.create({ model: 'my-model', input: 'hi', stream: true });
    const seq: number[] = [];
    let text = '';
    for await (const ev of stream) {
      seq.push(ev.sequence_number);
      if (ev.type === 'response.output_text.delta') text += ev.delta;
    }
    expect(seq).toEqual(seq.map((_, i) => i));
    expect(text).toBe('ok');
  });
});
