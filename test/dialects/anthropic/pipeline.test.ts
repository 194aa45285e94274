import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../src/canonical/types.js';
import { anthropicDialect } from '../../../src/dialects/anthropic/index.js';
import { baseRequest, fixtureText, parseSse, serveSse } from './helpers.js';

/**
 * Recorded Anthropic stream -> our decoder -> canonical -> our encoder -> the SDK, compared with
 * what the SDK assembles from the recorded stream itself.
 */
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

async function sdkFinal(text: string): Promise<Anthropic.Message> {
  const server = await serveSse(text);
  closers.push(server.close);
  const client = new Anthropic({ apiKey: 'k', baseURL: server.url, maxRetries: 0 });
  return client.messages.stream({ model: 'claude-opus-4-8', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
}

function reencode(text: string): string {
  const decoder = anthropicDialect.createStreamDecoder();
  const events: StreamEvent[] = [];
  for (const ev of parseSse(text)) events.push(...decoder.push(ev));
  events.push(...decoder.end());
  const enc = anthropicDialect.createStreamEncoder({ model: 'claude-opus-4-8', request: baseRequest({ sourceDialect: 'anthropic', maxTokens: 100 }) });
  return events.map((e) => enc.write(e)).join('') + enc.end();
}

describe('anthropic stream: recorded upstream -> canonical -> Anthropic client', () => {
  it.each(['basic_response.sse', 'tool_use_response.sse', 'incomplete_partial_json_response.sse'])(
    '%s assembles to the same message as the original',
    async (name) => {
      const original = await sdkFinal(fixtureText(name));
      const ours = await sdkFinal(reencode(fixtureText(name)));
      expect(ours.id).toBe(original.id);
      expect(ours.content).toEqual(original.content);
      expect(ours.stop_reason).toBe(original.stop_reason);
      expect(ours.stop_sequence).toBe(original.stop_sequence);
      expect(ours.usage.input_tokens).toBe(original.usage.input_tokens);
      expect(ours.usage.output_tokens).toBe(original.usage.output_tokens);
    },
  );

  it('the refusal stream keeps its text, stop_reason and usage (server tool blocks are not carried)', async () => {
    const ours = await sdkFinal(reencode(fixtureText('stream-a-toolrefusal.sse')));
    expect(ours.content).toEqual([{ type: 'text', text: "Here's a summary of this year's solar eclipses and how" }]);
    expect(ours.stop_reason).toBe('refusal');
    expect(ours.usage.input_tokens).toBe(28);
    expect(ours.usage.output_tokens).toBe(106);
  });
});
