/**
 * After any write to providers, keys, models or logical models: reload this instance's catalog
 * now, and tell every other instance (SharedState channel `config`), so the change is live
 * everywhere within a moment, without a restart.
 */
import type { Gateway } from '../server/gateway.js';

/**
 * The ModelDirectory's SharedState key for a provider's discovered model list. Kept in step with
 * src/routing/model-directory.ts (sharedKey); dropped when a provider changes so no instance
 * keeps serving the old list for MODELS_CACHE_TTL.
 */
export function discoveredModelsKey(providerId: string): string {
  return `models:provider:${providerId}`;
}

export async function configChanged(gw: Gateway, opts: { providerIds?: string[] } = {}): Promise<void> {
  for (const id of opts.providerIds ?? []) {
    await gw.shared.delete(discoveredModelsKey(id)).catch(() => undefined);
  }
  await gw.reloadCatalog();
  await gw.announceConfigChange();
}
