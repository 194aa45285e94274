import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../src/canonical/types.js';
import { estimateInputTokens, IMAGE_TOKENS, MESSAGE_OVERHEAD_TOKENS } from '../../src/usage/estimate-tokens.js';

function baseRequest(over: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return {
    model: 'client-model',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    stream: false,
    sourceDialect: 'openai-chat',
    ...over,
  };
}

describe('estimateInputTokens', () => {
  it('counts about four characters per token plus a per-message overhead', () => {
    const req = baseRequest({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'x'.repeat(40) }] },
        { role: 'user', content: [{ type: 'text', text: 'y'.repeat(401) }] },
      ],
    });
    expect(estimateInputTokens(req)).toBe(10 + 101 + 2 * MESSAGE_OVERHEAD_TOKENS);
  });

  it('adds a fixed cost per image and counts tool schemas as their JSON text', () => {
    const parameters = { type: 'object', properties: { city: { type: 'string' } } };
    const plain = baseRequest({ messages: [{ role: 'user', content: [{ type: 'text', text: 'abcd' }] }] });
    const withImage = baseRequest({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'abcd' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } },
          ],
        },
      ],
    });
    expect(estimateInputTokens(withImage) - estimateInputTokens(plain)).toBe(IMAGE_TOKENS);
    const withTool = { ...plain, tools: [{ name: 'weather', description: 'Get it', parameters }] };
    const json = JSON.stringify({ name: 'weather', description: 'Get it', input_schema: parameters });
    expect(estimateInputTokens(withTool) - estimateInputTokens(plain)).toBe(Math.ceil(json.length / 4));
  });

  it('counts tool calls, tool results and plain-text documents', () => {
    const req = baseRequest({
      messages: [
        { role: 'assistant', content: [{ type: 'tool_call', id: 'c', name: 'abcd', arguments: '{"a":"bcdefgh"}' }] },
        { role: 'tool', content: [{ type: 'tool_result', toolCallId: 'c', content: [{ type: 'text', text: '12345678' }] }] },
        {
          role: 'user',
          content: [{ type: 'file', source: { kind: 'base64', mediaType: 'text/plain', data: Buffer.from('x'.repeat(12)).toString('base64') } }],
        },
      ],
    });
    expect(estimateInputTokens(req)).toBe(1 + 4 + 2 + 3 + 3 * MESSAGE_OVERHEAD_TOKENS);
  });
});
