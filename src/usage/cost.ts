/**
 * What a call cost, from the provider model's price table (USD per million tokens) and the usage
 * in the five buckets:
 *
 *   input        x price_input
 *   cache read   x price_cached_input   (no price: price_input)
 *   cache write  x price_cache_write    (no price: price_input x 1.25 on Anthropic providers,
 *                                        Anthropic's documented 5-minute cache-write rate; price_input elsewhere)
 *   output       x price_output
 *   reasoning    x price_output         (reasoning tokens are billed as output by every provider)
 *
 * A model without any price gives null (unknown, not free). A model with some prices counts a
 * missing one as its fallback above, or 0 when there is none (e.g. only an output price).
 * The buckets never overlap (src/usage/extract.ts normalises each dialect), so cached tokens are
 * never charged twice.
 */
import type { Usage } from '../canonical/types.js';
import type { ModelInfo, ProviderKind } from '../providers/types.js';

export type Prices = Pick<ModelInfo, 'priceInput' | 'priceCachedInput' | 'priceCacheWrite' | 'priceOutput'>;

/** Anthropic's 5-minute cache write costs 1.25x the base input price. */
export const ANTHROPIC_CACHE_WRITE_FACTOR = 1.25;

export function hasPrices(p: Prices | undefined | null): p is Prices {
  return !!p && (p.priceInput !== null || p.priceCachedInput !== null || p.priceCacheWrite !== null || p.priceOutput !== null);
}

/** Cost in USD, or null when the model has no prices. */
export function computeCost(usage: Usage, prices: Prices | undefined | null, kind: ProviderKind): number | null {
  if (!hasPrices(prices)) return null;
  const input = prices.priceInput ?? 0;
  const cached = prices.priceCachedInput ?? input;
  const write = prices.priceCacheWrite ?? (kind === 'anthropic' ? input * ANTHROPIC_CACHE_WRITE_FACTOR : input);
  const output = prices.priceOutput ?? 0;
  const micro =
    usage.input * input + usage.cacheRead * cached + usage.cacheWrite * write + (usage.output + usage.reasoning) * output;
  // round to a billionth of a dollar: sums of many rows stay clean
  return Math.round(micro * 1000) / 1e9;
}
