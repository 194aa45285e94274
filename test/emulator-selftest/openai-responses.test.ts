import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { KEY, parseSse, post, useEmulator } from './helpers.js';

const emulator = useEmulator();
const client = (): OpenAI => new OpenAI({ apiKey: KEY, baseURL: `${emulator().url}/v1`, maxRetries: 0 });

describe('OpenAI Responses', () => {
  it('answers a non-stream request with a response object', async () => {
    const res = await client().responses.create({ model: 'gpt-4o', input: 'Say hi', instructions: 'Be kind.' });
    expect(res.object).toBe('response');
    expect(res.status).toBe('completed');
    expect(res.output_text).toBe('Echo: Say hi');
    expect(res.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
    expect(res.instructions).toBe('Be kind.');
    // ceil((6 + 8) / 4) input tokens, 3 word pieces out
    expect(res.usage).toMatchObject({ input_tokens: 4, output_tokens: 3, total_tokens: 7 });
  });

  it('streams the full typed event lifecycle with sequence numbers', async () => {
    const res = await post(
      `${emulator().url}/v1/responses`,
      { model: 'gpt-4o', input: [{ role: 'user', content: [{ type: 'input_text', text: 'one two' }] }], stream: true },
      { authorization: `Bearer ${KEY}` },
    );
    const frames = parseSse(res.text);
    const events = frames.map((f) => JSON.parse(f.data) as { type: string; sequence_number: number });
    expect(frames.every((f, i) => f.event === events[i]?.type)).toBe(true);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  });

  it('the SDK stream helper assembles the final response', async () => {
    const stream = client().responses.stream({ model: 'gpt-4o', input: 'stream me please' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();
    expect(deltas).toEqual(['Echo:', ' stream', ' me', ' please']);
    expect(final.output_text).toBe('Echo: stream me please');
    expect(final.status).toBe('completed');
    expect(final.usage?.output_tokens).toBe(4);
  });

  it('streams reasoning and function calls that the SDK assembles', async () => {
    emulator().script({
      reasoning: { text: 'Need the weather tool.', signature: 'sig-123' },
      toolCalls: [
        { name: 'get_weather', arguments: { city: 'Paris' } },
        { name: 'get_weather', arguments: { city: 'Rome' } },
      ],
    });
    const stream = client().responses.stream({
      model: 'gpt-4o',
      input: 'weather in Paris and Rome',
      reasoning: { effort: 'low', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
      tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: {} }, strict: false }],
    });
    const argDeltas: string[] = [];
    stream.on('response.function_call_arguments.delta', (e) => argDeltas.push(e.delta));
    const final = await stream.finalResponse();
    expect(final.output.map((o) => o.type)).toEqual(['reasoning', 'function_call', 'function_call']);
    const [reasoning, first, second] = final.output;
    expect(reasoning).toMatchObject({ summary: [{ type: 'summary_text', text: 'Need the weather tool.' }], encrypted_content: 'sig-123' });
    if (first?.type !== 'function_call' || second?.type !== 'function_call') throw new Error('expected function calls');
    expect([first.name, JSON.parse(first.arguments)]).toEqual(['get_weather', { city: 'Paris' }]);
    expect([second.name, JSON.parse(second.arguments)]).toEqual(['get_weather', { city: 'Rome' }]);
    expect(first.call_id).not.toBe(second.call_id);
    expect(argDeltas.join('')).toBe('{"city":"Paris"}{"city":"Rome"}');
    expect(argDeltas.length).toBeGreaterThan(2);
  });

  it('reports a max-tokens finish as response.incomplete', async () => {
    emulator().script({ text: 'partial answer', finishReason: 'length' });
    const res = await post(`${emulator().url}/v1/responses`, { model: 'gpt-4o', input: 'x', stream: true }, { authorization: `Bearer ${KEY}` });
    const last = parseSse(res.text).at(-1);
    expect(last?.event).toBe('response.incomplete');
    expect(JSON.parse(last?.data ?? '{}')).toMatchObject({
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    });
  });

  it('echoes a function_call_output given as the last input item', async () => {
    const res = await client().responses.create({
      model: 'gpt-4o',
      input: [
        { role: 'user', content: 'weather?' },
        { type: 'function_call', call_id: 'call_1', name: 'w', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
      ],
    });
    expect(res.output_text).toBe('Echo: sunny');
  });
});
