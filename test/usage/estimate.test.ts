import { describe, expect, it } from 'vitest';
import { estimateInputTokens, fillMissingUsage, requestedMaxOutput, textCharsOf } from '../../src/usage/estimate.js';
import { emptyUsage } from '../../src/usage/extract.js';

describe('request estimates', () => {
  it('counts the text of a body, not the model name nor media payloads', () => {
    const body = {
      model: 'a-very-long-model-name',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'abcdefgh' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(10_000)}` } }] },
        { role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'Q'.repeat(5000) } }] },
      ],
    };
    // 'user' x2, 'text', 'abcdefgh', 'image_url', 'image', 'base64', 'image/png' are text; the two payloads are not
    expect(textCharsOf(body)).toBe(4 + 4 + 4 + 8 + 9 + 5 + 6 + 9);
    expect(estimateInputTokens(body)).toBe(Math.ceil(49 / 4));
  });

  it('reads the output cap of every dialect', () => {
    expect(requestedMaxOutput({ max_tokens: 300 })).toBe(300);
    expect(requestedMaxOutput({ max_completion_tokens: 200, max_tokens: 900 })).toBe(200);
    expect(requestedMaxOutput({ max_output_tokens: 50 })).toBe(50);
    expect(requestedMaxOutput({ generationConfig: { maxOutputTokens: 70 } })).toBe(70);
    expect(requestedMaxOutput({ messages: [] })).toBeNull();
  });
});

describe('fillMissingUsage', () => {
  it('estimates output from relayed characters and input from the body when the upstream gave nothing', () => {
    const usage = emptyUsage();
    const estimated = fillMissingUsage({ usage, answered: true, partial: false, outputChars: 41, requestBody: { messages: [{ role: 'user', content: 'x'.repeat(36) }] } });
    expect(estimated).toBe(true);
    expect(usage.output).toBe(11);
    expect(usage.input).toBe(Math.ceil((4 + 36) / 4));
  });

  it('keeps upstream figures and only fills the empty side', () => {
    const usage = { ...emptyUsage(), input: 120 };
    expect(fillMissingUsage({ usage, answered: true, partial: false, outputChars: 8, requestBody: {} })).toBe(true);
    expect(usage).toMatchObject({ input: 120, output: 2 });
    const full = { ...emptyUsage(), input: 5, output: 7 };
    expect(fillMissingUsage({ usage: full, answered: true, partial: false, outputChars: 400, requestBody: {} })).toBe(false);
    expect(full).toMatchObject({ input: 5, output: 7 });
  });

  it('raises a cut stream\'s output above the running figure it had so far', () => {
    // Anthropic's message_start says output_tokens 1; 40 characters were relayed before the cut
    const usage = { ...emptyUsage(), input: 90, output: 1 };
    expect(fillMissingUsage({ usage, answered: true, partial: true, outputChars: 40, requestBody: {} })).toBe(true);
    expect(usage).toMatchObject({ input: 90, output: 10 });
    const done = { ...emptyUsage(), input: 90, output: 1 };
    expect(fillMissingUsage({ usage: done, answered: true, partial: false, outputChars: 40, requestBody: {} })).toBe(false);
    expect(done.output).toBe(1);
  });

  it('estimates nothing for a call that produced nothing', () => {
    const usage = emptyUsage();
    expect(fillMissingUsage({ usage, answered: false, partial: false, outputChars: 0, requestBody: { messages: ['hi'] } })).toBe(false);
    expect(usage).toEqual(emptyUsage());
  });
});
