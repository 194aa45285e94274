/**
 * Cost golden numbers, worked by hand from each provider's published per-million-token prices and
 * the usage of recorded (or documented) responses run through the gateway's own usage extraction.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeCost, type Prices } from '../../src/usage/cost.js';
import { usageFromAnthropic, usageFromGemini, usageFromOpenAiChat, mergeUsage, emptyUsage } from '../../src/usage/extract.js';

const prices = (input: number | null, cached: number | null, write: number | null, output: number | null): Prices => ({
  priceInput: input,
  priceCachedInput: cached,
  priceCacheWrite: write,
  priceOutput: output,
});

describe('computeCost', () => {
  it('OpenAI: cached input at the cached price, the rest at input, output at output', () => {
    // gpt-4o: $2.50 input, $1.25 cached input, $10 output per 1M tokens
    const usage = usageFromOpenAiChat({ prompt_tokens: 1000, prompt_tokens_details: { cached_tokens: 600 }, completion_tokens: 50 });
    // 400 x 2.50 + 600 x 1.25 + 50 x 10 = 1000 + 750 + 500 = 2250 micro-dollars
    expect(computeCost(usage, prices(2.5, 1.25, null, 10), 'openai')).toBe(0.00225);
  });

  it('OpenAI: reasoning tokens are priced as output (recorded chat-detailed-usage capture)', () => {
    const yaml = readFileSync(new URL('../fixtures/openai/chat-detailed-usage.yaml', import.meta.url), 'utf8');
    const m = /"usage":\s*(\{[\s\S]*?"total_tokens":\s*\d+\s*\})/.exec(yaml);
    expect(m).not.toBeNull();
    const usage = usageFromOpenAiChat(JSON.parse(m![1]!));
    expect(usage).toMatchObject({ input: 12, cacheRead: 0, output: 0, reasoning: 100 });
    // o4-mini: $1.10 input, $4.40 output: 12 x 1.10 + 100 x 4.40 = 13.2 + 440 = 453.2 micro-dollars
    expect(computeCost(usage, prices(1.1, 0.275, null, 4.4), 'openai')).toBe(0.0004532);
  });

  it('Anthropic: cache read and cache write at their own prices (documented Message usage)', () => {
    const msg = JSON.parse(readFileSync(new URL('../fixtures/anthropic/message-text.json', import.meta.url), 'utf8')) as { usage: unknown };
    const usage = mergeUsage(emptyUsage(), usageFromAnthropic(msg.usage));
    expect(usage).toEqual({ input: 2095, cacheRead: 1800, cacheWrite: 120, output: 503, reasoning: 0 });
    // Claude Sonnet 4: $3 input, $0.30 cache read, $3.75 cache write (5 min), $15 output
    // 2095 x 3 + 1800 x 0.30 + 120 x 3.75 + 503 x 15 = 6285 + 540 + 450 + 7545 = 14820 micro-dollars
    expect(computeCost(usage, prices(3, 0.3, 3.75, 15), 'anthropic')).toBe(0.01482);
  });

  it('Anthropic without cache prices: writes at 1.25 x input, reads at the input price', () => {
    const usage = { input: 2095, cacheRead: 1800, cacheWrite: 120, output: 503, reasoning: 0 };
    // 2095 x 3 + 1800 x 3 + 120 x 3.75 + 503 x 15 = 6285 + 5400 + 450 + 7545 = 19680
    expect(computeCost(usage, prices(3, null, null, 15), 'anthropic')).toBe(0.01968);
    // the 1.25 factor is Anthropic's: another kind charges cache writes at the input price
    // 6285 + 5400 + 120 x 3 + 7545 = 19590
    expect(computeCost(usage, prices(3, null, null, 15), 'openai-compatible')).toBe(0.01959);
  });

  it('Gemini: cached content at the cached price, thoughts at the output price', () => {
    const usage = usageFromGemini({ promptTokenCount: 1000, cachedContentTokenCount: 400, candidatesTokenCount: 200, thoughtsTokenCount: 300 });
    expect(usage).toEqual({ input: 600, cacheRead: 400, cacheWrite: 0, output: 200, reasoning: 300 });
    // Gemini 2.5 Flash: $0.30 input, $0.03 cached, $2.50 output (thinking included)
    // 600 x 0.30 + 400 x 0.03 + 500 x 2.50 = 180 + 12 + 1250 = 1442
    expect(computeCost(usage, prices(0.3, 0.03, null, 2.5), 'gemini')).toBe(0.001442);
  });

  it('is null for a model without prices, and counts a missing price as 0 when others exist', () => {
    const usage = { input: 100, cacheRead: 0, cacheWrite: 0, output: 10, reasoning: 0 };
    expect(computeCost(usage, undefined, 'openai')).toBeNull();
    expect(computeCost(usage, prices(null, null, null, null), 'openai')).toBeNull();
    // only an output price: 10 x 10 = 100 micro-dollars
    expect(computeCost(usage, prices(null, null, null, 10), 'openai')).toBe(0.0001);
  });
});
