/**
 * Model resolution: from the name a client asked for to the upstream candidates that can serve
 * it. In order:
 * 1. quick mode with UPSTREAM_MODEL: every name goes to that one upstream model;
 * 2. a logical model id: its configured upstreams;
 * 3. `provider-id/model`: that provider only (aliases apply); when that provider's model list
 *    says it does not serve the model, the whole name is matched as in 4 (a model id may itself
 *    hold a slash), and the request fails with "provider does not serve" if nothing has it;
 * 4. zero-config: every provider whose model list (static or discovered) has the name or an
 *    alias for it; if none, the part after the first `/` is tried the same way, and a provider
 *    model `vendor/name` also matches `name`.
 * Disabled providers and providers without an active key are never candidates.
 */
import { GatewayError } from '../canonical/errors.js';
import type { Provider } from '../providers/types.js';
import { mayUseModel, mayUseProvider, type Principal } from '../server/principal.js';
import type { CatalogSnapshot, LogicalModel } from './catalog-loader.js';
import type { ModelDirectory } from './model-directory.js';

export interface Candidate {
  provider: Provider;
  /** the provider's model id */
  model: string;
  weight: number;
  priority: number;
}

export interface Resolution {
  /** the name the client asked for */
  requested: string;
  logicalModel: LogicalModel | null;
  /** how the name was matched */
  via: 'forced' | 'logical' | 'pinned' | 'discovered';
  candidates: Candidate[];
}

export interface ForcedModel {
  providerId: string;
  model: string;
}

export function usable(p: Provider): boolean {
  return p.enabled && p.keys.some((k) => k.status === 'active');
}

function notFound(model: string): GatewayError {
  return new GatewayError(404, 'not_found', `The model '${model}' is not served by any configured provider.`, {
    param: 'model',
    code: 'model_not_found',
  });
}

/** most model names whose discovered candidates are remembered at once */
const MEMO_NAMES = 1000;

interface DiscoveryMemo {
  snap: CatalogSnapshot | null;
  generation: number;
  until: number;
  byName: Map<string, Candidate[]>;
}

export class Catalog {
  private memo: DiscoveryMemo = { snap: null, generation: -1, until: 0, byName: new Map() };

  constructor(
    private snapshotValue: CatalogSnapshot,
    private readonly directory: ModelDirectory,
    private readonly forced: ForcedModel | null = null,
  ) {}

  get snapshot(): CatalogSnapshot {
    return this.snapshotValue;
  }

  private readonly listeners: Array<(next: CatalogSnapshot) => void> = [];

  replace(next: CatalogSnapshot): void {
    this.snapshotValue = next;
    for (const l of this.listeners) l(next);
  }

  /** Called after every reload (the key pool reconciles its dead marks with the database). */
  onReplace(listener: (next: CatalogSnapshot) => void): void {
    this.listeners.push(listener);
  }

  get models(): ModelDirectory {
    return this.directory;
  }

  /** Resolve a model name for a caller; throws 403/404/503 GatewayErrors in plain words. */
  async resolve(requested: string, principal: Principal): Promise<Resolution> {
    if (!mayUseModel(principal, requested)) {
      throw new GatewayError(403, 'permission', `This API key is not allowed to use the model '${requested}'.`, {
        param: 'model',
        code: 'model_not_allowed',
      });
    }
    const snap = this.snapshotValue;
    const allowed = (p: Provider | undefined): p is Provider => p !== undefined && usable(p) && mayUseProvider(principal, p.id);

    if (this.forced) {
      const p = snap.providers.get(this.forced.providerId);
      if (!allowed(p)) throw new GatewayError(503, 'upstream', 'The upstream provider is not available (disabled or without a key).');
      return {
        requested,
        logicalModel: null,
        via: 'forced',
        candidates: [{ provider: p, model: this.forced.model, weight: 1, priority: 0 }],
      };
    }

    const lm = snap.logicalModels.get(requested);
    if (lm && lm.enabled) {
      const candidates: Candidate[] = [];
      for (const u of lm.upstreams) {
        const p = snap.providers.get(u.providerId);
        if (allowed(p)) candidates.push({ provider: p, model: p.aliases.get(u.model) ?? u.model, weight: u.weight, priority: u.priority });
      }
      if (candidates.length === 0) {
        throw new GatewayError(503, 'upstream', `No upstream of the model '${requested}' is available right now (providers disabled, without keys, or not allowed for this key).`, {
          code: 'no_available_upstream',
        });
      }
      return { requested, logicalModel: lm, via: 'logical', candidates };
    }

    const slash = requested.indexOf('/');
    let pinnedMiss: GatewayError | null = null;
    if (slash > 0) {
      const pinned = snap.providers.get(requested.slice(0, slash));
      if (pinned) {
        const name = requested.slice(slash + 1);
        if (!mayUseProvider(principal, pinned.id)) {
          throw new GatewayError(403, 'permission', `This API key is not allowed to use the provider '${pinned.id}'.`, { param: 'model' });
        }
        if (!usable(pinned)) {
          throw new GatewayError(503, 'upstream', `The provider '${pinned.id}' is disabled or has no active key.`, { code: 'no_available_upstream' });
        }
        const model = pinned.aliases.get(name) ?? name;
        if ((await this.directory.serves(pinned, model)) !== false) {
          return { requested, logicalModel: null, via: 'pinned', candidates: [{ provider: pinned, model, weight: pinned.weight, priority: pinned.priority }] };
        }
        // the prefix names a provider that does not serve the rest: the whole name may still be
        // a model id of its own elsewhere (e.g. "openai/gpt-oss-20b" on an open-weights host)
        pinnedMiss = new GatewayError(404, 'not_found', `The provider '${pinned.id}' does not serve the model '${name}'.`, {
          param: 'model',
          code: 'model_not_found',
        });
      }
    }

    if (pinnedMiss) {
      const candidates = await this.match([...snap.providers.values()].filter(allowed), requested);
      if (candidates.length === 0) throw pinnedMiss;
      return { requested, logicalModel: null, via: 'discovered', candidates };
    }
    const found = this.remembered(snap, requested) ?? (await this.discovered(snap, requested, slash));
    let candidates = principal.allowedProviders === null ? found : found.filter((c) => mayUseProvider(principal, c.provider.id));
    if (candidates.length === 0 && principal.allowedProviders !== null && slash > 0) {
      // a key limited to some providers: one of those may serve the part after the slash even
      // though a provider it may not use serves the whole name
      const mine = [...snap.providers.values()].filter(allowed);
      candidates = await this.match(mine, requested);
      if (candidates.length === 0) candidates = await this.match(mine, requested.slice(slash + 1));
    }
    if (candidates.length === 0) throw notFound(requested);
    return { requested, logicalModel: null, via: 'discovered', candidates };
  }

  /**
   * The usable providers' candidates for a model name (the name, else the part after its first
   * `/`). Remembered while the catalog and every provider's model list stay as they were, so a
   * request for a discovered model does not walk every provider's list each time. The arrays
   * handed out are shared: read, never changed.
   */
  private remembered(snap: CatalogSnapshot, requested: string): Candidate[] | undefined {
    const m = this.memo;
    if (m.snap !== snap || m.generation !== this.directory.generation || Date.now() >= m.until) return undefined;
    return m.byName.get(requested);
  }

  private async discovered(snap: CatalogSnapshot, requested: string, slash: number): Promise<Candidate[]> {
    const now = Date.now();
    const providers = [...snap.providers.values()].filter(usable);
    let candidates = await this.match(providers, requested);
    if (candidates.length === 0 && slash > 0) candidates = await this.match(providers, requested.slice(slash + 1));

    // remember it only if every list it was read from is still cached and fresh
    const generation = this.directory.generation;
    let until = Number.POSITIVE_INFINITY;
    for (const p of providers) {
      const u = this.directory.freshUntil(p, now);
      if (u === null) return candidates;
      if (u < until) until = u;
    }
    if (this.memo.snap !== snap || this.memo.generation !== generation || now >= this.memo.until) {
      this.memo = { snap, generation, until, byName: new Map() };
    }
    if (this.memo.byName.size >= MEMO_NAMES) this.memo.byName.clear();
    this.memo.until = Math.min(this.memo.until, until);
    this.memo.byName.set(requested, candidates);
    return candidates;
  }

  private async match(providers: Provider[], name: string): Promise<Candidate[]> {
    const lists = await Promise.all(providers.map((p) => this.directory.list(p)));
    const out: Candidate[] = [];
    providers.forEach((p, i) => {
      const list = lists[i];
      const alias = p.aliases.get(name);
      let model: string | undefined;
      if (list) {
        if (list.includes(name)) model = name;
        else if (alias && list.includes(alias)) model = alias;
        else model = list.find((m) => m.endsWith(`/${name}`));
      } else if (alias) {
        model = alias;
      }
      if (model !== undefined) out.push({ provider: p, model, weight: p.weight, priority: p.priority });
    });
    return out;
  }

  /** Every model name a caller may use: logical models and what its providers serve. */
  async listModels(principal: Principal): Promise<Array<{ id: string; ownedBy: string }>> {
    const snap = this.snapshotValue;
    const seen = new Map<string, string>();
    for (const lm of snap.logicalModels.values()) {
      if (!lm.enabled || !mayUseModel(principal, lm.id)) continue;
      if (lm.upstreams.some((u) => { const p = snap.providers.get(u.providerId); return p !== undefined && usable(p) && mayUseProvider(principal, p.id); })) {
        seen.set(lm.id, 'apiproxy');
      }
    }
    const providers = [...snap.providers.values()].filter((p) => usable(p) && mayUseProvider(principal, p.id));
    const lists = await Promise.all(providers.map((p) => this.directory.list(p)));
    providers.forEach((p, i) => {
      for (const m of lists[i] ?? []) if (!seen.has(m) && mayUseModel(principal, m)) seen.set(m, p.id);
      for (const alias of p.aliases.keys()) if (!seen.has(alias) && mayUseModel(principal, alias)) seen.set(alias, p.id);
    });
    return [...seen.entries()].map(([id, ownedBy]) => ({ id, ownedBy })).sort((a, b) => a.id.localeCompare(b.id));
  }
}
