import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/canonical/errors.js';
import type { CanonicalRequest } from '../../../src/canonical/types.js';
import { openAiResponsesDialect as dialect } from '../../../src/dialects/openai-responses/index.js';
import { fixtureBody } from './helpers.js';

const encode = (req: CanonicalRequest) => dialect.encodeRequest(req, { upstreamModel: 'gpt-5-2025-08-07' });

const weatherSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

describe('openai-responses encodeRequest from another dialect', () => {
  it('builds instructions, input items, tools and parameters (golden)', () => {
    const req: CanonicalRequest = {
      model: 'smart',
      sourceDialect: 'openai-chat',
      stream: true,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
        { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris and Lyon? See the chart.' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: '' },
            { type: 'tool_call', id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { type: 'tool_call', id: 'call_b', name: 'get_weather', arguments: '{"city":"Lyon"}', thoughtSignature: 'gemini-sig' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool_result', toolCallId: 'call_a', content: [{ type: 'text', text: '18C' }] },
            {
              type: 'tool_result',
              toolCallId: 'call_b',
              content: [
                { type: 'text', text: '21C' },
                { type: 'image', source: { kind: 'url', url: 'https://example.com/radar.png' }, detail: 'low' },
              ],
            },
          ],
        },
        { role: 'system', content: [{ type: 'text', text: 'Now answer.' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Paris 18C, Lyon 21C.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
      ],
      tools: [{ name: 'get_weather', description: 'Current weather', parameters: weatherSchema }],
      toolChoice: { type: 'tool', name: 'get_weather' },
      parallelToolCalls: false,
      responseFormat: { type: 'json_schema', name: 'w', schema: { type: 'object' }, strict: true },
      maxTokens: 500,
      temperature: 0.3,
      topP: 0.8,
      topK: 40,
      stop: ['END'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      logprobs: true,
      topLogprobs: 3,
      user: 'u-1',
      metadata: { a: 'b' },
      promptCacheKey: 'pck',
      unknownFields: { logit_bias: { '50256': -100 } },
    };
    const { body, dropped } = encode(req);
    expect(body).toEqual({
      model: 'gpt-5-2025-08-07',
      instructions: 'You are terse.\n\nUse metric units.',
      input: [
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'Weather in Paris and Lyon? See the chart.' },
            { type: 'input_image', detail: 'auto', image_url: 'data:image/png;base64,iVBORw0KGgo=' },
            { type: 'input_file', file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'document.pdf' },
          ],
        },
        // the empty text block is not sent; the Gemini signature stays out of the OpenAI call id
        { type: 'function_call', call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', call_id: 'call_b', name: 'get_weather', arguments: '{"city":"Lyon"}' },
        { type: 'function_call_output', call_id: 'call_a', output: '18C' },
        {
          type: 'function_call_output',
          call_id: 'call_b',
          output: [
            { type: 'input_text', text: '21C' },
            { type: 'input_image', detail: 'low', image_url: 'https://example.com/radar.png' },
          ],
        },
        { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'Now answer.' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Paris 18C, Lyon 21C.' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Thanks' }] },
      ],
      // chat tools are not strict: say so, since Responses may default to strict
      tools: [{ type: 'function', name: 'get_weather', description: 'Current weather', parameters: weatherSchema, strict: false }],
      tool_choice: { type: 'function', name: 'get_weather' },
      parallel_tool_calls: false,
      text: { format: { type: 'json_schema', name: 'w', schema: { type: 'object' }, strict: true } },
      max_output_tokens: 500,
      temperature: 0.3,
      top_p: 0.8,
      user: 'u-1',
      metadata: { a: 'b' },
      prompt_cache_key: 'pck',
      stream: true,
    });
    expect(dropped.sort()).toEqual(
      ['frequency_penalty', 'logit_bias', 'logprobs', 'presence_penalty', 'seed', 'stop', 'top_k', 'top_logprobs'].sort(),
    );
    expect(body).not.toHaveProperty('include');
    expect(body).not.toHaveProperty('store');
  });

  it('replays OpenAI reasoning items in order before their function call and drops other vendors\' reasoning', () => {
    const req: CanonicalRequest = {
      model: 'm',
      sourceDialect: 'anthropic',
      stream: false,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'go' }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Claude thinking', origin: 'anthropic', signature: 'sig-a' },
            { type: 'reasoning', text: '', origin: 'anthropic', redactedData: 'redacted' },
            { type: 'reasoning', text: 'plain thoughts without state' },
            { type: 'reasoning', text: 'Plan A', origin: 'openai', itemId: 'rs_1', encryptedContent: 'enc-1', summary: true },
            { type: 'tool_call', id: 'call_1', name: 'f', arguments: '{}' },
            { type: 'reasoning', text: 'raw step', origin: 'openai', encryptedContent: 'enc-2', summary: false },
            { type: 'tool_call', id: 'call_2', name: 'f', arguments: '{"x":1}' },
            { type: 'opaque', dialect: 'anthropic', value: { type: 'server_tool_use' } },
          ],
        },
      ],
    };
    expect(encode(req).body.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'go' }] },
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Plan A' }], encrypted_content: 'enc-1' },
      { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{}' },
      { type: 'reasoning', summary: [], content: [{ type: 'reasoning_text', text: 'raw step' }], encrypted_content: 'enc-2' },
      { type: 'function_call', call_id: 'call_2', name: 'f', arguments: '{"x":1}' },
    ]);
  });

  it.each([
    [{ budgetTokens: 2000 }, { effort: 'low' }, []],
    [{ budgetTokens: 10000, includeThoughts: true }, { effort: 'medium', summary: 'auto' }, []],
    [{ budgetTokens: 32000 }, { effort: 'high' }, []],
    [{ effort: 'minimal', budgetTokens: 32000 }, { effort: 'minimal' }, []],
    [{ enabled: false }, undefined, ['reasoning.enabled']],
    [{ summary: 'detailed' }, { summary: 'detailed' }, []],
  ] as const)('reasoning %j -> %j', (reasoning, wire, dropped) => {
    const out = encode({ model: 'm', sourceDialect: 'gemini', stream: false, messages: [], reasoning: { ...reasoning } });
    expect(out.body.reasoning).toEqual(wire);
    expect(out.dropped).toEqual(dropped);
  });

  it('drops other dialects\' built-in tools and reports them', () => {
    const out = encode({
      model: 'm',
      sourceDialect: 'anthropic',
      stream: false,
      messages: [],
      builtinTools: [{ dialect: 'anthropic', type: 'web_search_20250305', value: { type: 'web_search_20250305', name: 'web_search' } }],
    });
    expect(out.body).not.toHaveProperty('tools');
    expect(out.dropped).toEqual(['tools.web_search_20250305']);
  });

  it('encodes allowed tools and keeps an explicit strict:true', () => {
    const out = encode({
      model: 'm',
      sourceDialect: 'openai-chat',
      stream: false,
      messages: [],
      tools: [{ name: 'a', parameters: {}, strict: true }],
      toolChoice: { type: 'allowed', names: ['a'], mode: 'required' },
    });
    expect(out.body.tools).toEqual([{ type: 'function', name: 'a', parameters: {}, strict: true }]);
    expect(out.body.tool_choice).toEqual({ type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'a' }] });
  });

  it('refuses n > 1 and audio input with a 400', () => {
    const base: CanonicalRequest = { model: 'm', sourceDialect: 'openai-chat', stream: false, messages: [] };
    expect(() => encode({ ...base, n: 2 })).toThrow(GatewayError);
    expect(() => encode({ ...base, n: 2 })).toThrow(/n must be 1/);
    expect(() =>
      encode({ ...base, messages: [{ role: 'user', content: [{ type: 'audio', data: 'AAA', format: 'wav' }] }] }),
    ).toThrow(/Audio input is not supported/);
  });
});

describe('openai-responses encodeRequest from a Responses client (Codex, translated path)', () => {
  it('gives back what Codex sent: items, tools, include/store and other unknown fields', () => {
    const wire = fixtureBody('request-codex.json');
    const { body, dropped } = encode(dialect.decodeRequest(wire));
    expect(dropped).toEqual([]);
    const input = wire.input as Array<Record<string, unknown>>;
    expect(body).toEqual({
      model: 'gpt-5-2025-08-07',
      // leading system and developer text are both instructions on the way out
      instructions: `${String(wire.instructions)}\n\n<permissions instructions>Filesystem sandboxing: workspace-write.</permissions instructions>`,
      input: [
        input[1],
        input[2],
        { type: 'reasoning', summary: [{ type: 'summary_text', text: '**Listing files**' }], encrypted_content: 'gAAAAABo-CODEX-ENCRYPTED-1==' },
        input[4],
        input[5],
      ],
      tools: wire.tools,
      tool_choice: 'auto',
      parallel_tool_calls: false,
      reasoning: { effort: 'medium', summary: 'auto' },
      prompt_cache_key: '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      stream: true,
      store: false,
      include: ['reasoning.encrypted_content'],
      text: { verbosity: 'medium' },
      client_metadata: { originator: 'codex_cli_rs' },
    });
  });

  it('keeps strict absent for Responses tools and merges text.format with text extras', () => {
    const { body } = encode(
      dialect.decodeRequest({
        model: 'm',
        input: 'x',
        tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }],
        text: { format: { type: 'json_object' }, verbosity: 'high' },
        tool_choice: { type: 'web_search_preview' },
      }),
    );
    expect(body.tools).toEqual([{ type: 'function', name: 'f', parameters: { type: 'object' } }]);
    expect(body.text).toEqual({ verbosity: 'high', format: { type: 'json_object' } });
    expect(body.tool_choice).toEqual({ type: 'web_search_preview' });
  });

  it('replays opaque built-in items verbatim in their place', () => {
    const wire = fixtureBody('request-items.json');
    const { body } = encode(dialect.decodeRequest(wire));
    const input = body.input as unknown[];
    const original = wire.input as unknown[];
    expect(input).toContainEqual(original[8]); // web_search_call
    expect(input).toContainEqual(original[10]); // item_reference
    expect(input.indexOf(original[8])).toBeLessThan(input.indexOf(original[10]));
  });
});
