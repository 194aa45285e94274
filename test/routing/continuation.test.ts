/**
 * The continuation request of continue mode, per upstream dialect, checked through each
 * dialect's own request encoder (what the provider would receive).
 */
import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../src/canonical/types.js';
import { dialectModule } from '../../src/dialects/registry.js';
import { CONTINUE_INSTRUCTION, continuationRequest } from '../../src/routing/continuation.js';

const base: CanonicalRequest = {
  model: 'story',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
    { role: 'user', content: [{ type: 'text', text: 'Tell me a story.' }] },
  ],
  reasoning: { enabled: true, budgetTokens: 2048 },
  maxTokens: 4096,
  stream: true,
  sourceDialect: 'openai-chat',
};

type Obj = Record<string, unknown>;

describe('continuationRequest', () => {
  it('Anthropic: the partial answer becomes a prefill (last assistant turn), without thinking', () => {
    const c = continuationRequest(base, 'Once upon a time', 'anthropic');
    expect(c.trimLeading).toBe(false);
    const body = dialectModule('anthropic').encodeRequest(c.request, { upstreamModel: 'claude-haiku-4-5' }).body;
    const messages = body.messages as Obj[];
    const last = messages[messages.length - 1]!;
    expect(last.role).toBe('assistant');
    const text = typeof last.content === 'string' ? last.content : (last.content as Obj[]).map((b) => b.text).join('');
    expect(text).toBe('Once upon a time');
    expect(body.thinking).toBeUndefined();
    expect(body.stream).toBe(true);
    expect(body.system).toBeDefined();
  });

  it('Anthropic: trailing whitespace is cut from the prefill (the API refuses it) and flagged', () => {
    const c = continuationRequest(base, 'Once upon a time, \n', 'anthropic');
    expect(c.trimLeading).toBe(true);
    const last = c.request.messages[c.request.messages.length - 1]!;
    expect(last.content).toEqual([{ type: 'text', text: 'Once upon a time,' }]);
  });

  it('Anthropic: a whitespace-only partial sends no empty prefill', () => {
    const c = continuationRequest(base, '  ', 'anthropic');
    expect(c.request.messages).toHaveLength(2);
    expect(c.trimLeading).toBe(true);
  });

  it('OpenAI chat: the partial answer, then a user turn asking to continue exactly', () => {
    const c = continuationRequest(base, 'Once upon a time', 'openai-chat');
    const body = dialectModule('openai-chat').encodeRequest(c.request, { upstreamModel: 'gpt-4o' }).body;
    const messages = body.messages as Obj[];
    expect(messages.slice(-2)).toEqual([
      { role: 'assistant', content: 'Once upon a time' },
      { role: 'user', content: CONTINUE_INSTRUCTION },
    ]);
    expect(body.stream).toBe(true);
  });

  it('leaves the original request untouched', () => {
    continuationRequest(base, 'x', 'gemini');
    expect(base.messages).toHaveLength(2);
    expect(base.reasoning).toBeDefined();
  });
});
