/**
 * The passthrough text counter against recorded streams: what it counts must equal the generated
 * text the stream carries (worked out here by parsing every event independently).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { textCounterFor } from '../../src/usage/text-counter.js';

function events(sse: string): Array<Record<string, unknown>> {
  return sse
    .split(/\r?\n\r?\n/)
    .map((block) => block.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n'))
    .filter((d) => d !== '' && d !== '[DONE]')
    .map((d) => JSON.parse(d) as Record<string, unknown>);
}

describe('textCounterFor', () => {
  it('anthropic: counts text, thinking and tool-input deltas of a recorded stream', () => {
    for (const file of ['basic_response.sse', 'tool_use_response.sse']) {
      const sse = readFileSync(new URL(`../fixtures/anthropic/${file}`, import.meta.url), 'utf8');
      let expected = 0;
      for (const e of events(sse)) {
        const d = e.delta as Record<string, unknown> | undefined;
        if (e.type === 'content_block_delta' && d) {
          for (const k of ['text', 'thinking', 'partial_json']) if (typeof d[k] === 'string') expected += (d[k] as string).length;
        }
      }
      expect(expected).toBeGreaterThan(0);
      expect(textCounterFor('anthropic')(Buffer.from(sse))).toBe(expected);
    }
  });

  it('openai chat: counts content and tool-argument fragments, not nulls or ids', () => {
    const chunks = [
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] },
      { choices: [{ index: 0, delta: { content: 'Hello "you"' } }] },
      { choices: [{ index: 0, delta: { content: null, tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{"a":' } }] } }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '1}' } }] } }] },
      // field names inside generated text are text, counted once with it
      { id: 'x:"content":', choices: [{ index: 0, delta: { content: 'say "content": "no"', reasoning_content: 'a:b' } }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: '{"content":"hi"}' } }] } }] },
      { choices: [], usage: { prompt_tokens: 3, completion_tokens: 5 } },
    ];
    const sse = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n';
    // 'Hello "you"' is 11 characters, '{"a":' 5, '1}' 2, 'say "content": "no"' 19, 'a:b' 3, '{"content":"hi"}' 16
    expect(textCounterFor('openai-chat')(Buffer.from(sse))).toBe(11 + 5 + 2 + 19 + 3 + 16);
    // spaces after the colon, as some servers write
    expect(textCounterFor('openai-chat')(Buffer.from('data: {"delta": {"content":  "abc"}}\n\n'))).toBe(3);
  });

  it('gemini: counts the text parts of a recorded stream', () => {
    const recorded = JSON.parse(readFileSync(new URL('../fixtures/gemini/text_stream.json', import.meta.url), 'utf8')) as unknown;
    // the capture holds the parsed chunks: render them as the SSE the API sends
    const chunks: unknown[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        if ('candidates' in v) chunks.push(v);
        else Object.values(v).forEach(walk);
      }
    };
    walk(recorded);
    expect(chunks.length).toBeGreaterThan(0);
    let expected = 0;
    for (const c of chunks) {
      for (const cand of (c as { candidates: Array<{ content?: { parts?: Array<{ text?: string }> } }> }).candidates) {
        for (const p of cand.content?.parts ?? []) expected += p.text?.length ?? 0;
      }
    }
    const sse = chunks.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`).join('');
    expect(textCounterFor('gemini')(Buffer.from(sse))).toBe(expected);
  });
});
