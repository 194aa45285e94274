import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/canonical/errors.js';
import type { CanonicalMessage } from '../../../src/canonical/types.js';
import { anthropicDialect } from '../../../src/dialects/anthropic/index.js';
import { toAnthropicId } from '../../../src/dialects/anthropic/ids.js';
import { fixtureJson } from './helpers.js';

const decode = anthropicDialect.decodeRequest;

function decodeError(body: unknown): GatewayError {
  try {
    decode(body);
  } catch (e) {
    if (e instanceof GatewayError) return e;
    throw e;
  }
  throw new Error('expected a GatewayError');
}

const minimal = { model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };

describe('anthropic decodeRequest: the Claude Code request', () => {
  const req = decode(fixtureJson('request-claude-code.json'));

  it('keeps model, max_tokens, stream, temperature and marks the source dialect', () => {
    expect(req.model).toBe('claude-opus-4-6');
    expect(req.maxTokens).toBe(32000);
    expect(req.stream).toBe(true);
    expect(req.temperature).toBe(1);
    expect(req.sourceDialect).toBe('anthropic');
  });

  it('turns the system blocks into one leading system message, cache_control per block', () => {
    expect(req.messages[0]).toEqual({
      role: 'system',
      content: [
        { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." },
        {
          type: 'text',
          text: 'You are an interactive CLI tool that helps users with software engineering tasks.',
          cacheControl: { type: 'ephemeral' },
        },
      ],
    });
  });

  it('keeps every message in place, splitting tool results out of the user turn', () => {
    expect(req.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user', 'system', 'assistant', 'user']);
  });

  it('decodes the assistant turn: signed thinking, text, tool_use with input as JSON text', () => {
    expect(req.messages[2]).toEqual({
      role: 'assistant',
      content: [
        {
          type: 'reasoning',
          text: 'I should read the build log first.',
          origin: 'anthropic',
          signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds',
        },
        { type: 'text', text: 'Let me look at the build output.' },
        {
          type: 'tool_call',
          id: 'toolu_01D7FLrfh4GYq7yT1ULFeyMV',
          name: 'Bash',
          arguments: '{"command":"npm run build","description":"Run the build"}',
        },
        { type: 'tool_call', id: 'toolu_01Xg2bZ8d3Jk5pQeR9sT4uVw', name: 'Read', arguments: '{"file_path":"/repo/tsconfig.json"}' },
      ],
    });
  });

  it('decodes tool results (string, blocks with an image, is_error, cache_control) with the tool name from history', () => {
    expect(req.messages[3]).toEqual({
      role: 'tool',
      content: [
        {
          type: 'tool_result',
          toolCallId: 'toolu_01D7FLrfh4GYq7yT1ULFeyMV',
          name: 'Bash',
          content: [{ type: 'text', text: "src/a.ts(3,1): error TS2304: Cannot find name 'x'." }],
          isError: true,
        },
        {
          type: 'tool_result',
          toolCallId: 'toolu_01Xg2bZ8d3Jk5pQeR9sT4uVw',
          name: 'Read',
          content: [
            { type: 'text', text: '{ "compilerOptions": { "strict": true } }' },
            {
              type: 'image',
              source: {
                kind: 'base64',
                mediaType: 'image/png',
                data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
              },
            },
          ],
          cacheControl: { type: 'ephemeral' },
        },
      ],
    });
    expect(req.messages[4]).toEqual({ role: 'user', content: [{ type: 'text', text: 'Also check the tests.' }] });
  });

  it('keeps a mid-conversation role:"system" message as a system message in place', () => {
    expect(req.messages[5]).toEqual({ role: 'system', content: [{ type: 'text', text: 'The user switched to plan mode.' }] });
  });

  it('keeps redacted thinking and server tool blocks (opaque, verbatim)', () => {
    const m = req.messages[6] as CanonicalMessage;
    expect(m.content[0]).toEqual({
      type: 'reasoning',
      text: '',
      origin: 'anthropic',
      redactedData: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIw',
    });
    expect(m.content[1]).toEqual({
      type: 'opaque',
      dialect: 'anthropic',
      value: {
        type: 'server_tool_use',
        id: 'srvtoolu_01WYG3ziw53XMcoyKL4XcZmE',
        name: 'web_search',
        input: { query: 'TS2304 cannot find name' },
      },
    });
    expect(m.content[2]).toMatchObject({ type: 'opaque', dialect: 'anthropic', value: { type: 'web_search_tool_result' } });
    expect(m.content[3]).toEqual({ type: 'text', text: '`x` is never declared in src/a.ts.' });
  });

  it('splits custom tools from server tools', () => {
    expect(req.tools?.map((t) => t.name)).toEqual(['Bash', 'Read']);
    expect(req.tools?.[1]).toEqual({
      name: 'Read',
      description: 'Reads a file from the local filesystem.',
      parameters: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] },
      cacheControl: { type: 'ephemeral' },
    });
    expect(req.builtinTools).toEqual([
      { dialect: 'anthropic', type: 'web_search_20250305', value: { type: 'web_search_20250305', name: 'web_search', max_uses: 5 } },
    ]);
  });

  it('maps tool_choice, adaptive thinking + effort, and metadata.user_id', () => {
    expect(req.toolChoice).toEqual({ type: 'auto' });
    expect(req.parallelToolCalls).toBeUndefined();
    expect(req.reasoning).toEqual({ enabled: true, effort: 'high' });
    expect(req.user).toBe('user_2f6c8d_account_9a1b_session_77e0');
  });

  it('puts context_management into unknownFields', () => {
    expect(req.unknownFields).toEqual({
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    });
  });
});

describe('anthropic decodeRequest: media, sampling, structured output', () => {
  const req = decode(fixtureJson('request-media.json'));
  const user = req.messages[1] as CanonicalMessage;

  it('decodes a string system prompt', () => {
    expect(req.messages[0]).toEqual({ role: 'system', content: [{ type: 'text', text: 'Describe what you are given.' }] });
  });

  it('decodes images (base64, url) and documents (base64 pdf, url, text source)', () => {
    expect(user.content).toEqual([
      { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQSkZJRgABAQAAAQABAAD/2w==' } },
      {
        type: 'image',
        source: { kind: 'url', url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg' },
      },
      {
        type: 'file',
        source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0xLjQKJcOkw7zDtsOfCg==' },
        filename: 'report.pdf',
        cacheControl: { type: 'ephemeral', ttl: '1h' },
      },
      {
        type: 'file',
        source: {
          kind: 'url',
          url: 'https://assets.anthropic.com/m/1cd9d098ac3e6467/original/Claude-3-Model-Card-October-Addendum.pdf',
        },
      },
      {
        type: 'file',
        source: {
          kind: 'base64',
          mediaType: 'text/plain',
          data: Buffer.from('The grass is green. The sky is blue.').toString('base64'),
        },
        filename: 'My Document',
      },
      { type: 'text', text: 'What do these have in common?' },
    ]);
  });

  it('maps sampling parameters, stop_sequences, thinking budget + display, json_schema output', () => {
    expect(req.stop).toEqual(['\n\nHuman:', 'END']);
    expect(req.topP).toBe(0.9);
    expect(req.topK).toBe(40);
    expect(req.temperature).toBe(0.3);
    expect(req.stream).toBe(false);
    expect(req.reasoning).toEqual({ enabled: true, budgetTokens: 2048, includeThoughts: true });
    expect(req.responseFormat).toEqual({
      type: 'json_schema',
      name: 'output',
      schema: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'], additionalProperties: false },
    });
    expect(req.toolChoice).toEqual({ type: 'none' });
  });

  it('keeps service_tier, mcp_servers and container as unknownFields', () => {
    expect(Object.keys(req.unknownFields ?? {}).sort()).toEqual(['container', 'mcp_servers', 'service_tier']);
    expect(req.unknownFields?.service_tier).toBe('standard_only');
  });
});

describe('anthropic decodeRequest: edge cases', () => {
  it('tool_choice any / tool / disable_parallel_tool_use', () => {
    const tools = [{ name: 'f', input_schema: { type: 'object' } }];
    expect(decode({ ...minimal, tools, tool_choice: { type: 'any' } }).toolChoice).toEqual({ type: 'required' });
    const r = decode({ ...minimal, tools, tool_choice: { type: 'tool', name: 'f', disable_parallel_tool_use: true } });
    expect(r.toolChoice).toEqual({ type: 'tool', name: 'f' });
    expect(r.parallelToolCalls).toBe(false);
  });

  it('thinking disabled and output_config.effort "max"', () => {
    expect(decode({ ...minimal, thinking: { type: 'disabled' } }).reasoning).toEqual({ enabled: false });
    const r = decode({ ...minimal, output_config: { effort: 'max' } });
    expect(r.reasoning).toEqual({ effort: 'xhigh' });
    expect(r.unknownFields).toEqual({ output_config: { effort: 'max' } });
  });

  it('a user message with text before and after tool results keeps run order', () => {
    const r = decode({
      ...minimal,
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'before' },
            { type: 'tool_result', tool_use_id: 'toolu_1' },
            { type: 'text', text: 'after' },
          ],
        },
      ],
    });
    expect(r.messages.map((m) => m.role)).toEqual(['assistant', 'user', 'tool', 'user']);
    expect(r.messages[2]?.content).toEqual([{ type: 'tool_result', toolCallId: 'toolu_1', name: 'f', content: [] }]);
  });

  it('maps gateway-made tool ids back to the original id (and recovers a Gemini signature)', () => {
    const original = 'call:abc/1';
    const withSig = `fc_1__ts_${Buffer.from('sig-bytes').toString('base64url')}`;
    const r = decode({
      ...minimal,
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: toAnthropicId(original), name: 'f', input: { a: 1 } },
            { type: 'tool_use', id: withSig, name: 'g', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: toAnthropicId(original), content: 'ok' },
            { type: 'tool_result', tool_use_id: withSig, content: 'ok' },
          ],
        },
      ],
    });
    expect(r.messages[0]?.content).toEqual([
      { type: 'tool_call', id: original, name: 'f', arguments: '{"a":1}' },
      { type: 'tool_call', id: 'fc_1', name: 'g', arguments: '{}', thoughtSignature: 'sig-bytes' },
    ]);
    expect(r.messages[1]?.content.map((b) => (b.type === 'tool_result' ? b.toolCallId : ''))).toEqual([original, 'fc_1']);
  });

  it('a thinking block with an empty signature is not treated as Anthropic reasoning', () => {
    const r = decode({
      ...minimal,
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'from elsewhere', signature: '' }, { type: 'text', text: 'a' }] },
        { role: 'user', content: 'q2' },
      ],
    });
    expect(r.messages[1]?.content[0]).toEqual({ type: 'reasoning', text: 'from elsewhere' });
  });

  it('metadata keys other than user_id are kept as unknownFields', () => {
    const r = decode({ ...minimal, metadata: { user_id: 'u1', other: 'x' } });
    expect(r.user).toBe('u1');
    expect(r.unknownFields).toEqual({ metadata: { other: 'x' } });
  });

  it.each([
    ['a non-object body', 'hello', undefined],
    ['missing model', { max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }, 'model'],
    ['missing max_tokens (required by Anthropic)', { model: 'm', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens'],
    ['max_tokens not an integer', { ...minimal, max_tokens: 1.5 }, 'max_tokens'],
    ['messages missing', { model: 'm', max_tokens: 1 }, 'messages'],
    ['messages empty', { model: 'm', max_tokens: 1, messages: [] }, 'messages'],
    ['a bad role', { ...minimal, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].role'],
    ['content of the wrong type', { ...minimal, messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    ['an image without source', { ...minimal, messages: [{ role: 'user', content: [{ type: 'image' }] }] }, 'messages[0].content[0].source'],
    ['tool_use without id', { ...minimal, messages: [{ role: 'assistant', content: [{ type: 'tool_use', name: 'f', input: {} }] }] }, 'messages[0].content[0].id'],
    ['a tool without input_schema', { ...minimal, tools: [{ name: 'f' }] }, 'tools[0].input_schema'],
    ['an unknown tool_choice type', { ...minimal, tool_choice: { type: 'sometimes' } }, 'tool_choice.type'],
    ['thinking enabled without budget', { ...minimal, thinking: { type: 'enabled' } }, 'thinking.budget_tokens'],
    ['temperature as a string', { ...minimal, temperature: 'hot' }, 'temperature'],
    ['stop_sequences not strings', { ...minimal, stop_sequences: [1] }, 'stop_sequences'],
    ['an unknown effort', { ...minimal, output_config: { effort: 'extreme' } }, 'output_config.effort'],
  ])('rejects %s with a 400 naming the parameter', (_name, body, param) => {
    const err = decodeError(body);
    expect(err.status).toBe(400);
    expect(err.type).toBe('invalid_request');
    expect(err.param).toBe(param);
  });
});
