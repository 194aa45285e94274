import { afterEach, describe, expect, it } from 'vitest';
import { packReasoning } from '../../../src/canonical/opaque.js';
import type { CanonicalResponse, ContentBlock } from '../../../src/canonical/types.js';
import { openAiResponsesDialect as dialect } from '../../../src/dialects/openai-responses/index.js';
import { fixtureBody, replayServer, request, type ReplayServer } from './helpers.js';

const ID = (prefix: string) => expect.stringMatching(new RegExp(`^${prefix}_[0-9a-f]{48}$`));

describe('openai-responses decodeResponse (upstream Response objects)', () => {
  it('text (response-text.json)', () => {
    expect(dialect.decodeResponse(fixtureBody('response-text.json'))).toEqual<CanonicalResponse>({
      id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
      model: 'gpt-4.1-2025-04-14',
      created: 1741476542,
      content: [
        {
          type: 'text',
          text: 'In a peaceful grove beneath a silver moon, a unicorn named Lumina discovered a hidden pool that reflected the stars.',
        },
      ],
      finishReason: 'stop',
      usage: { input: 36, cacheRead: 0, cacheWrite: 0, output: 87, reasoning: 0 },
    });
  });

  it('parallel function calls (response-function-calls.json): id is the call_id, finish tool_calls', () => {
    const res = dialect.decodeResponse(fixtureBody('response-function-calls.json'));
    expect(res.content).toEqual([
      { type: 'tool_call', id: 'call_12345xyz', name: 'get_weather', arguments: '{"location":"Paris, France"}' },
      { type: 'tool_call', id: 'call_67890abc', name: 'get_weather', arguments: '{"location":"Bogotá, Colombia"}' },
    ]);
    expect(res.finishReason).toBe('tool_calls');
  });

  it('reasoning (response-reasoning.json): summary, encrypted content, usage without cached/reasoning', () => {
    const res = dialect.decodeResponse(fixtureBody('response-reasoning.json'));
    expect(res.content).toEqual([
      {
        type: 'reasoning',
        text: '**Responding to a greeting**\n\nThe user just said, "Hello!" I\'ll greet them back.\n\n**Offering help**\n\nAsk what they need.',
        origin: 'openai',
        summary: true,
        itemId: 'rs_6806bfca0b2481918a5748308061a2600d3ce51bdffd5476',
        encryptedContent: 'gAAAAABoCFCB-ENCRYPTED-REASONING-STATE-2==',
      },
      { type: 'text', text: 'Hello! How can I help you today?' },
    ]);
    // input_tokens 1200 includes 1024 cached; output_tokens 300 includes 256 reasoning
    expect(res.usage).toEqual({ input: 176, cacheRead: 1024, cacheWrite: 0, output: 44, reasoning: 256 });
  });

  it('incomplete at max_output_tokens (response-incomplete.json) is length', () => {
    const res = dialect.decodeResponse(fixtureBody('response-incomplete.json'));
    expect(res.finishReason).toBe('length');
    expect(res.content).toEqual([{ type: 'text', text: 'Once upon a time, in a land far' }]);
    expect(res.usage.output).toBe(16);
  });

  it('a refusal part (response-refusal.json) becomes the refusal', () => {
    const res = dialect.decodeResponse(fixtureBody('response-refusal.json'));
    expect(res.refusal).toBe("I'm sorry, I can't help with that.");
    expect(res.content).toEqual([]);
    expect(res.finishReason).toBe('refusal');
  });

  it.each([
    [{ status: 'incomplete', incomplete_details: { reason: 'content_filter' } }, 'content_filter'],
    [{ status: 'failed', error: { code: 'server_error', message: 'x' } }, 'error'],
  ])('status %j -> %s', (over, reason) => {
    const res = dialect.decodeResponse({ ...fixtureBody('response-text.json'), ...over });
    expect(res.finishReason).toBe(reason);
  });

  it('keeps built-in tool items as opaque blocks', () => {
    const item = { type: 'web_search_call', id: 'ws_1', status: 'completed' };
    const res = dialect.decodeResponse({ ...fixtureBody('response-text.json'), output: [item] });
    expect(res.content).toEqual([{ type: 'opaque', dialect: 'openai-responses', value: item }]);
  });
});

const anthropicLike: CanonicalResponse = {
  id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
  model: 'claude-sonnet-4-5',
  created: 1750000000,
  content: [
    { type: 'reasoning', text: 'The user wants the weather.', origin: 'anthropic', signature: 'EqQBCkYIBxgCKkB' },
    { type: 'text', text: 'Let me check.' },
    { type: 'tool_call', id: 'toolu_01A', name: 'get_weather', arguments: '{"city":"Paris"}' },
  ],
  finishReason: 'tool_calls',
  usage: { input: 10, cacheRead: 5, cacheWrite: 3, output: 20, reasoning: 7 },
};

describe('openai-responses encodeResponse (to a Responses client)', () => {
  it('builds the Response object with items, usage and echoed parameters (golden)', () => {
    const req = request({
      stream: false,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be nice.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
      ],
      tools: [{ name: 'get_weather', parameters: { type: 'object' } }],
      builtinTools: [{ dialect: 'openai-responses', type: 'web_search', value: { type: 'web_search' } }],
      temperature: 0.5,
      maxTokens: 300,
      reasoning: { effort: 'low', summary: 'auto' },
      metadata: { k: 'v' },
      unknownFields: { store: false, text: { verbosity: 'low' } },
    });
    const body = dialect.encodeResponse(anthropicLike, { model: 'my-model', request: req });
    expect(body).toEqual({
      id: ID('resp'),
      object: 'response',
      created_at: 1750000000,
      completed_at: expect.any(Number),
      status: 'completed',
      error: null,
      incomplete_details: null,
      instructions: 'Be nice.',
      max_output_tokens: 300,
      model: 'my-model',
      output: [
        {
          // minted reasoning ids are marked (rs_apx…) so a replay never reaches OpenAI as a stored id
          id: expect.stringMatching(/^rs_apx[0-9a-f]{44}$/),
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: 'The user wants the weather.' }],
          encrypted_content: packReasoning({ origin: 'anthropic', text: 'The user wants the weather.', signature: 'EqQBCkYIBxgCKkB' }),
        },
        {
          id: ID('msg'),
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', annotations: [], logprobs: [], text: 'Let me check.' }],
        },
        {
          id: ID('fc'),
          type: 'function_call',
          status: 'completed',
          arguments: '{"city":"Paris"}',
          call_id: 'toolu_01A',
          name: 'get_weather',
        },
      ],
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: 'low', summary: 'auto' },
      store: false,
      temperature: 0.5,
      text: { verbosity: 'low', format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [
        { type: 'function', name: 'get_weather', parameters: { type: 'object' }, strict: null },
        { type: 'web_search' },
      ],
      top_p: null,
      truncation: 'disabled',
      usage: {
        input_tokens: 18,
        input_tokens_details: { cached_tokens: 5 },
        output_tokens: 27,
        output_tokens_details: { reasoning_tokens: 7 },
        total_tokens: 45,
      },
      metadata: { k: 'v' },
    });
    expect(body).not.toHaveProperty('output_text');
  });

  it('a client replaying the output (as Codex does) gives the foreign signature and the call id back', () => {
    const gemini: CanonicalResponse = {
      ...anthropicLike,
      content: [
        { type: 'reasoning', text: 'thinking', origin: 'gemini', signature: 'gem-sig-1' },
        { type: 'tool_call', id: 'call_g', name: 'f', arguments: '{}', thoughtSignature: 'gem-sig-2' },
      ],
    };
    const body = dialect.encodeResponse(gemini, { model: 'm', request: request() }) as { output: unknown[] };
    const replay = dialect.decodeRequest({
      model: 'm',
      input: [
        ...body.output,
        { type: 'function_call_output', call_id: (body.output[1] as { call_id: string }).call_id, output: 'done' },
      ],
    });
    expect(replay.messages).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'thinking', origin: 'gemini', signature: 'gem-sig-1' },
          { type: 'tool_call', id: 'call_g', name: 'f', arguments: '{}', thoughtSignature: 'gem-sig-2' },
        ],
      },
      {
        role: 'tool',
        content: [{ type: 'tool_result', toolCallId: 'call_g', name: 'f', content: [{ type: 'text', text: 'done' }] }],
      },
    ]);
  });

  it('reasoning without a signature is replayed as plain text and never sent to OpenAI as an item', () => {
    const res: CanonicalResponse = { ...anthropicLike, content: [{ type: 'reasoning', text: 'plain thought' }, { type: 'text', text: 'ok' }] };
    const body = dialect.encodeResponse(res, { model: 'm', request: request() }) as { output: Array<Record<string, unknown>> };
    expect(body.output[0]).not.toHaveProperty('encrypted_content');
    const replay = dialect.decodeRequest({ model: 'm', input: [...body.output, { role: 'user', content: 'next' }] });
    expect(replay.messages[0]?.content[0]).toEqual({ type: 'reasoning', text: 'plain thought', summary: true });
    const upstream = dialect.encodeRequest(replay, { upstreamModel: 'gpt-5' }).body.input as Array<Record<string, unknown>>;
    expect(upstream.map((i) => i.type)).toEqual(['message', 'message']);
  });

  it.each([
    ['length', 'incomplete', { reason: 'max_output_tokens' }],
    ['content_filter', 'incomplete', { reason: 'content_filter' }],
    ['stop', 'completed', null],
    ['stop_sequence', 'completed', null],
    ['refusal', 'completed', null],
  ] as const)('finish %s -> status %s', (finishReason, status, details) => {
    const body = dialect.encodeResponse(
      { ...anthropicLike, content: [{ type: 'text', text: 'x' }], finishReason },
      { model: 'm', request: request() },
    ) as Record<string, unknown>;
    expect(body.status).toBe(status);
    expect(body.incomplete_details).toEqual(details);
  });

  it('a refusal becomes a refusal content part', () => {
    const body = dialect.encodeResponse(
      { ...anthropicLike, content: [], refusal: 'No.', finishReason: 'refusal' },
      { model: 'm', request: request() },
    ) as { output: Array<{ content: unknown }> };
    expect(body.output).toHaveLength(1);
    expect(body.output[0]?.content).toEqual([{ type: 'refusal', refusal: 'No.' }]);
  });
});

describe('openai-responses encodeResponse: the openai@6 SDK as oracle (responses.create, stream:false)', () => {
  let server: ReplayServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('the SDK parses our body and computes output_text itself', async () => {
    const content: ContentBlock[] = [
      { type: 'reasoning', text: 'Thinking about it.', origin: 'openai', itemId: 'rs_up', encryptedContent: 'enc', summary: true },
      { type: 'text', text: 'Paris is ' },
      { type: 'text', text: 'sunny.' },
      { type: 'tool_call', id: 'call_1', name: 'a', arguments: '{"x":1}' },
      { type: 'tool_call', id: 'call_2', name: 'b', arguments: '{}' },
    ];
    const body = dialect.encodeResponse({ ...anthropicLike, content }, { model: 'my-model', request: request({ stream: false }) });
    server = await replayServer({ contentType: 'application/json', body: JSON.stringify(body) });
    const res = await server.client.responses.create({ model: 'my-model', input: 'hi', stream: false });
    expect(res.output_text).toBe('Paris is sunny.');
    expect(res.model).toBe('my-model');
    expect(res.status).toBe('completed');
    expect(res.output.map((o) => o.type)).toEqual(['reasoning', 'message', 'function_call', 'function_call']);
    const calls = res.output.filter((o) => o.type === 'function_call');
    expect(calls.map((c) => [c.call_id, c.name, c.arguments])).toEqual([
      ['call_1', 'a', '{"x":1}'],
      ['call_2', 'b', '{}'],
    ]);
    const reasoning = res.output[0];
    expect(reasoning?.type === 'reasoning' && reasoning.id).toBe('rs_up');
    expect(reasoning?.type === 'reasoning' && reasoning.encrypted_content).toBe('enc');
    expect(res.usage).toEqual({
      input_tokens: 18,
      input_tokens_details: { cached_tokens: 5 },
      output_tokens: 27,
      output_tokens_details: { reasoning_tokens: 7 },
      total_tokens: 45,
    });
  });
});
