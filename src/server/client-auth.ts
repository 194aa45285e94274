/**
 * Client API-key authentication for the inference routes. The presented token is hashed (HMAC,
 * the plaintext is never stored) and looked up in a small in-memory cache, then the database.
 * Any change to a key (created, edited, revoked) is announced on the `apikeys` channel of
 * SharedState, and every instance drops its cache at once, so a revoked key stops working
 * everywhere within a moment. Expiry is checked on every request.
 *
 * Accepted forms: `Authorization: Bearer <key>`, `Authorization: Bearer <base64 of key>` (the
 * original system's form), `X-API-Key: <key>`, and on the Gemini routes `x-goog-api-key` or
 * `?key=`. The ADMIN_API_KEY, when set, is accepted too (a superuser token).
 */
import { timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../canonical/errors.js';
import type { Keyring } from '../security/keyring.js';
import { parseJson } from '../store/db/json.js';
import type { ApiKeyRow } from '../store/db/schema.js';
import type { Store } from '../store/db/store.js';
import type { SharedState } from '../store/shared/shared-state.js';
import type { Principal } from './principal.js';

export const APIKEYS_CHANNEL = 'apikeys';

interface CacheEntry {
  row: ApiKeyRow | null;
  principal: Principal | null;
  ownerEnabled: boolean;
  at: number;
}

const POSITIVE_TTL_MS = 60_000;
const NEGATIVE_TTL_MS = 5_000;
const MAX_ENTRIES = 50_000;

export interface TokenSources {
  authorization?: string | undefined;
  xApiKey?: string | undefined;
  /** Gemini routes: x-goog-api-key header or ?key= */
  googKey?: string | undefined;
}

function unauthorized(message: string): GatewayError {
  return new GatewayError(401, 'authentication', message, { code: 'invalid_api_key' });
}

export function presentedToken(src: TokenSources): string | null {
  if (src.authorization !== undefined) {
    const m = /^Bearer\s+(.+)$/i.exec(src.authorization.trim());
    if (!m) throw unauthorized("Invalid Authorization header: expected 'Bearer <api key>'.");
    return m[1]!.trim();
  }
  if (src.xApiKey) return src.xApiKey.trim();
  if (src.googKey) return src.googKey.trim();
  return null;
}

/** The key inside a `Bearer <base64 of key>` value, when it looks like one. */
export function base64Candidate(token: string): string | null {
  if (token.length < 8 || token.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return null;
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  if (!/^[\x21-\x7e]+$/.test(decoded) || Buffer.from(decoded, 'utf8').toString('base64') !== token) return null;
  return decoded;
}

export class ClientAuth {
  private readonly cache = new Map<string, CacheEntry>();
  private generation = 0;
  private readonly adminToken: Buffer | null;
  private touched = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly keyring: Keyring,
    adminApiKey: string | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.adminToken = adminApiKey ? Buffer.from(adminApiKey, 'utf8') : null;
  }

  /** Listen for key changes from every instance. */
  async listen(shared: SharedState): Promise<() => Promise<void>> {
    return shared.subscribe(APIKEYS_CHANNEL, () => this.invalidate());
  }

  invalidate(): void {
    this.generation++;
    this.cache.clear();
  }

  /** Key ids used since the last call (for batched last_used_at stamps). */
  takeTouched(): Set<string> {
    const t = this.touched;
    this.touched = new Set();
    return t;
  }

  /**
   * The caller's principal when the answer needs no database read (the admin token, or a key
   * seen recently); throws the same errors as `authenticate`; undefined when the store must be asked.
   */
  cached(src: TokenSources): Principal | undefined {
    const token = presentedToken(src);
    if (token === null || token === '') return undefined;
    // a cached key with a row is never the admin token: that one is answered before any lookup
    const hit = this.cache.get(token);
    if (!hit || !hit.row || this.now() - hit.at >= POSITIVE_TTL_MS) return undefined;
    return this.admit(hit);
  }

  async authenticate(src: TokenSources): Promise<Principal> {
    const token = presentedToken(src);
    if (token === null || token === '') {
      throw unauthorized('Missing API key: send it as "Authorization: Bearer <key>" or "X-API-Key: <key>".');
    }
    if (this.adminToken && this.isAdminToken(token)) return adminPrincipal();

    let found = await this.lookup(token);
    if (!found.row) {
      const decoded = base64Candidate(token);
      if (decoded !== null) {
        if (this.adminToken && this.isAdminToken(decoded)) return adminPrincipal();
        const alt = await this.lookup(decoded);
        if (alt.row) found = alt;
      }
    }
    return this.admit(found);
  }

  /** The checks on a key's row once it was found. */
  private admit(found: CacheEntry): Principal {
    const row = found.row;
    if (!row) throw unauthorized('Invalid API key.');
    if (row.revoked_at !== null) throw unauthorized('This API key has been revoked.');
    if (row.enabled !== 1) throw new GatewayError(403, 'permission', 'This API key is disabled.', { code: 'api_key_disabled' });
    if (row.expires_at !== null && row.expires_at <= this.now()) throw unauthorized('This API key has expired.');
    if (!found.ownerEnabled) throw new GatewayError(403, 'permission', 'The owner of this API key is disabled.', { code: 'owner_disabled' });
    this.touched.add(row.id);
    return found.principal!;
  }

  private isAdminToken(token: string): boolean {
    const t = Buffer.from(token, 'utf8');
    return t.length === this.adminToken!.length && timingSafeEqual(t, this.adminToken!);
  }

  private async lookup(token: string): Promise<CacheEntry> {
    // the cache is keyed by the presented token itself (it only lives in this process's memory,
    // where the token is anyway while a request runs): a hit needs no HMAC
    const t = this.now();
    const cached = this.cache.get(token);
    if (cached && t - cached.at < (cached.row ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS)) return cached;
    const hash = this.keyring.hashClientKey(token);
    const gen = this.generation;
    const row = (await this.store.apiKeys.findByHash(hash)) ?? null;
    let ownerEnabled = true;
    if (row?.user_id) {
      const owner = await this.store.users.get(row.user_id);
      ownerEnabled = owner !== undefined && owner.enabled === 1;
    }
    const entry: CacheEntry = { row, principal: row ? principalOf(row) : null, ownerEnabled, at: t };
    // a change announced while we were reading must not be overwritten by stale data
    if (gen === this.generation) {
      if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
      this.cache.set(token, entry);
    }
    return entry;
  }
}

function adminPrincipal(): Principal {
  return {
    kind: 'admin-token',
    keyId: null,
    userId: null,
    name: 'ADMIN_API_KEY',
    allowedProviders: null,
    allowedModels: null,
    rpmLimit: null,
    tpmLimit: null,
    budgetUsd: null,
    budgetPeriod: null,
  };
}

export function principalOf(row: ApiKeyRow): Principal {
  const providers = parseJson<string[] | null>(row.allowed_providers, null);
  const models = parseJson<string[] | null>(row.allowed_models, null);
  const period = row.budget_period;
  return {
    kind: 'client-key',
    keyId: row.id,
    userId: row.user_id,
    name: row.name,
    allowedProviders: providers && providers.length > 0 ? new Set(providers) : null,
    allowedModels: models && models.length > 0 ? new Set(models) : null,
    rpmLimit: row.rpm_limit,
    tpmLimit: row.tpm_limit,
    budgetUsd: row.budget_usd,
    budgetPeriod: period === 'total' || period === 'day' || period === 'month' ? period : null,
  };
}
