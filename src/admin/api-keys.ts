/**
 * Client API keys through the management API. A key's token (`sk-apx-` + 43 random characters,
 * 256 bits) is generated here, returned once by `createKey`, and stored only as an HMAC hash with
 * a short display prefix. "Deleting" a key revokes it (revoked_at): the row stays for the request
 * log, and its name can be used again. After every change all instances drop their auth cache.
 */
import { randomUUID } from 'node:crypto';
import { randomToken } from '../security/crypto.js';
import { APIKEYS_CHANNEL } from '../server/client-auth.js';
import type { Gateway } from '../server/gateway.js';
import { parseJson, toJson } from '../store/db/json.js';
import type { ApiKeyRow } from '../store/db/schema.js';
import type { ApiKeyUpdate } from '../store/db/repositories/api-keys.js';
import { badRequest, conflict, isUniqueViolation, notFound } from './errors.js';

export const KEY_PREFIX = 'sk-apx-';
export const DISPLAY_PREFIX_LENGTH = 12;

export const EXPIRIES = ['week', 'month', 'year', 'never'] as const;
export type Expiry = (typeof EXPIRIES)[number];
const EXPIRY_DAYS: Record<Expiry, number | null> = { week: 7, month: 30, year: 365, never: null };

export const BUDGET_PERIODS = ['total', 'day', 'month'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export type KeyStatus = 'active' | 'disabled' | 'expired' | 'revoked';

/** "MONTH", " month " -> 'month' (the original README wrote upper case). */
export function parseExpiry(raw: string): Expiry {
  const v = raw.trim().toLowerCase();
  if ((EXPIRIES as readonly string[]).includes(v)) return v as Expiry;
  throw badRequest(`'expiry' must be one of week, month, year, never (got '${raw.slice(0, 40)}').`, 'expiry');
}

export function expiryTime(expiry: Expiry, now: number): number | null {
  const days = EXPIRY_DAYS[expiry];
  return days === null ? null : now + days * 24 * 3600_000;
}

export function keyStatus(row: ApiKeyRow, now = Date.now()): KeyStatus {
  if (row.revoked_at !== null) return 'revoked';
  if (row.expires_at !== null && row.expires_at <= now) return 'expired';
  if (row.enabled !== 1) return 'disabled';
  return 'active';
}

export interface KeyFields {
  name?: string | undefined;
  expiry?: string | undefined;
  /** ISO 8601 time (alternative to `expiry`); null = never */
  expires_at?: string | null | undefined;
  enabled?: boolean | undefined;
  allowed_providers?: string[] | null | undefined;
  allowed_models?: string[] | null | undefined;
  rpm_limit?: number | null | undefined;
  tpm_limit?: number | null | undefined;
  budget_usd?: number | null | undefined;
  budget_period?: BudgetPeriod | null | undefined;
}

function cleanName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw badRequest("'name' must not be blank.", 'name');
  return name;
}

function expiresAtOf(f: KeyFields, now: number): number | null | undefined {
  if (f.expiry !== undefined && f.expires_at !== undefined) {
    throw badRequest("Give either 'expiry' (week, month, year, never) or 'expires_at', not both.", 'expires_at');
  }
  if (f.expiry !== undefined) return expiryTime(parseExpiry(f.expiry), now);
  if (f.expires_at === null) return null;
  if (f.expires_at !== undefined) {
    const t = Date.parse(f.expires_at);
    if (Number.isNaN(t)) throw badRequest("'expires_at' must be an ISO 8601 time, e.g. 2030-01-31T00:00:00Z.", 'expires_at');
    if (t <= now) throw badRequest("'expires_at' must be in the future.", 'expires_at');
    return t;
  }
  return undefined;
}

function uniqueList(list: string[] | null | undefined, field: string): string[] | null | undefined {
  if (list === undefined || list === null) return list;
  const out = [...new Set(list.map((v) => v.trim()))];
  if (out.some((v) => v === '')) throw badRequest(`'${field}' must not contain blank names.`, field);
  // an empty list means "no restriction", the same as null
  return out.length === 0 ? null : out;
}

async function checkProviders(gw: Gateway, ids: string[] | null | undefined): Promise<void> {
  if (!ids) return;
  const known = new Set((await gw.store.providers.list()).map((p) => p.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) {
    throw badRequest(`'allowed_providers' names unknown providers: ${missing.join(', ')}.`, 'allowed_providers', 'unknown_provider');
  }
}

/** The columns a create or edit sets (undefined = leave alone). */
async function columns(gw: Gateway, f: KeyFields, current: ApiKeyRow | null, now: number): Promise<ApiKeyUpdate> {
  const out: ApiKeyUpdate = {};
  if (f.name !== undefined) out.name = cleanName(f.name);
  const expires = expiresAtOf(f, now);
  if (expires !== undefined) out.expires_at = expires;
  if (f.enabled !== undefined) out.enabled = f.enabled ? 1 : 0;
  const providers = uniqueList(f.allowed_providers, 'allowed_providers');
  await checkProviders(gw, providers);
  if (providers !== undefined) out.allowed_providers = toJson(providers);
  const models = uniqueList(f.allowed_models, 'allowed_models');
  if (models !== undefined) out.allowed_models = toJson(models);
  if (f.rpm_limit !== undefined) out.rpm_limit = f.rpm_limit;
  if (f.tpm_limit !== undefined) out.tpm_limit = f.tpm_limit;
  if (f.budget_usd !== undefined || f.budget_period !== undefined) {
    // a budget needs a period ("total" unless one is given); no budget, no period
    const budget = f.budget_usd !== undefined ? f.budget_usd : (current?.budget_usd ?? null);
    let period = f.budget_period !== undefined ? f.budget_period : ((current?.budget_period ?? null) as BudgetPeriod | null);
    if (budget === null) {
      if (f.budget_period !== undefined && f.budget_period !== null) throw badRequest("'budget_period' needs 'budget_usd'.", 'budget_period');
      period = null;
    } else if (period === null) {
      period = 'total';
    }
    out.budget_usd = budget;
    out.budget_period = period;
  }
  return out;
}

async function announce(gw: Gateway, keyId: string): Promise<void> {
  gw.auth.invalidate();
  await gw.shared.publish(APIKEYS_CHANNEL, keyId);
}

export interface CreatedKey {
  row: ApiKeyRow;
  /** the token, shown once */
  token: string;
}

/** Create a key for `userId` (null = a key without an owner; administrators only). */
export async function createKey(gw: Gateway, userId: string | null, f: KeyFields & { name: string }): Promise<CreatedKey> {
  if (userId !== null && !(await gw.store.users.get(userId))) throw notFound(`user '${userId}'`);
  const now = Date.now();
  const cols = await columns(gw, f, null, now);
  const name = cols.name ?? cleanName(f.name);
  if (userId !== null && (await gw.store.apiKeys.findLiveByName(userId, name))) {
    throw conflict(`You already have a key named '${name}'; choose another name or revoke that key first.`, 'name');
  }
  const token = `${KEY_PREFIX}${randomToken(32)}`;
  const id = randomUUID();
  try {
    await gw.store.apiKeys.insert({
      id,
      user_id: userId,
      name,
      key_hash: gw.keyring.hashClientKey(token),
      prefix: token.slice(0, DISPLAY_PREFIX_LENGTH),
      expires_at: cols.expires_at ?? null,
      revoked_at: null,
      enabled: cols.enabled ?? 1,
      allowed_providers: cols.allowed_providers ?? null,
      allowed_models: cols.allowed_models ?? null,
      rpm_limit: cols.rpm_limit ?? null,
      tpm_limit: cols.tpm_limit ?? null,
      budget_usd: cols.budget_usd ?? null,
      budget_period: cols.budget_period ?? null,
      source: 'api',
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`You already have a key named '${name}'.`, 'name');
    throw err;
  }
  await announce(gw, id);
  const row = await gw.store.apiKeys.get(id);
  if (!row) throw new Error('api key vanished after insert');
  return { row, token };
}

/**
 * A key by id, as seen by its owner (`ownerId`) or by an administrator (`ownerId` undefined).
 * Another user's key is "not found" (404, not 403): ids of other users' keys are not confirmed.
 */
export async function getKey(gw: Gateway, keyId: string, ownerId?: string | null): Promise<ApiKeyRow> {
  const row = await gw.store.apiKeys.get(keyId);
  if (!row || (ownerId !== undefined && row.user_id !== ownerId)) throw notFound(`API key '${keyId}'`);
  return row;
}

export async function updateKey(gw: Gateway, keyId: string, ownerId: string | null | undefined, f: KeyFields): Promise<ApiKeyRow> {
  const row = await getKey(gw, keyId, ownerId);
  if (row.revoked_at !== null) throw conflict('This key has been revoked and can no longer be changed; create a new one.');
  const cols = await columns(gw, f, row, Date.now());
  if (cols.name !== undefined && cols.name !== row.name && row.user_id !== null) {
    const other = await gw.store.apiKeys.findLiveByName(row.user_id, cols.name);
    if (other && other.id !== row.id) throw conflict(`There is already a key named '${cols.name}'.`, 'name');
  }
  try {
    await gw.store.apiKeys.update(row.id, cols);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`There is already a key named '${cols.name ?? row.name}'.`, 'name');
    throw err;
  }
  await announce(gw, row.id);
  return getKey(gw, row.id);
}

/** Revoke (the key is refused from now on, by every instance). Revoking twice is harmless. */
export async function revokeKey(gw: Gateway, keyId: string, ownerId: string | null | undefined): Promise<ApiKeyRow> {
  const row = await getKey(gw, keyId, ownerId);
  if (row.revoked_at === null) {
    await gw.store.apiKeys.update(row.id, { revoked_at: Date.now() });
    await announce(gw, row.id);
  }
  return getKey(gw, row.id);
}

export function listOf(json: string | null): string[] | null {
  const v = parseJson<unknown>(json, null);
  return Array.isArray(v) && v.length > 0 ? v.map(String) : null;
}
