/**
 * Upstream (provider) API keys. The plaintext is accepted on create (and on an edit that replaces
 * it), encrypted at once (AES-256-GCM, bound to the key's id) and never returned: responses show
 * a hint like "sk-…WXYZ". A fingerprint (HMAC) finds the same key again without decrypting, so a
 * key cannot be added twice to one provider.
 */
import { randomUUID } from 'node:crypto';
import { secretHint } from '../security/mask.js';
import type { Gateway } from '../server/gateway.js';
import type { ProviderKeyRow } from '../store/db/schema.js';
import type { NewProviderKey, ProviderKeyUpdate } from '../store/db/repositories/providers.js';
import { configChanged } from './config-change.js';
import { badRequest, conflict, notFound } from './errors.js';

export const KEY_STATUSES = ['active', 'disabled', 'dead'] as const;
export type ProviderKeyStatus = (typeof KEY_STATUSES)[number];

export interface ProviderKeyInput {
  key: string;
  label?: string | undefined;
  weight?: number | undefined;
  max_qps?: number | null | undefined;
  status?: ProviderKeyStatus | undefined;
}

export interface ProviderKeyPatch {
  key?: string | undefined;
  label?: string | undefined;
  weight?: number | undefined;
  max_qps?: number | null | undefined;
  status?: ProviderKeyStatus | undefined;
}

function cleanSecret(raw: string, field: string): string {
  const key = raw.trim();
  if (key === '') throw badRequest(`'${field}' must not be blank.`, field);
  if (/\s/.test(key)) throw badRequest(`'${field}' must not contain spaces or line breaks.`, field);
  return key;
}

/** A provider_keys row for a new key (encrypted, fingerprinted); nothing is written. */
export function newProviderKeyRow(gw: Gateway, providerId: string, input: ProviderKeyInput, label: string, id: string): NewProviderKey {
  const key = cleanSecret(input.key, 'key');
  return {
    id,
    provider_id: providerId,
    label,
    ciphertext: gw.keyring.encryptProviderKey(id, key),
    key_version: gw.keyring.box.version,
    fingerprint: gw.keyring.fingerprintProviderKey(providerId, key),
    hint: secretHint(key),
    weight: input.weight ?? 1,
    max_qps: input.max_qps ?? null,
    status: input.status ?? 'active',
    status_reason: null,
    source: 'api',
  };
}

async function provider(gw: Gateway, providerId: string): Promise<void> {
  if (!(await gw.store.providers.get(providerId))) throw notFound(`provider '${providerId}'`);
}

export async function listProviderKeys(gw: Gateway, providerId: string): Promise<ProviderKeyRow[]> {
  await provider(gw, providerId);
  return gw.store.providers.listKeys(providerId);
}

export async function getProviderKey(gw: Gateway, providerId: string, keyId: string): Promise<ProviderKeyRow> {
  await provider(gw, providerId);
  const row = await gw.store.providers.getKey(providerId, keyId);
  if (!row) throw notFound(`key '${keyId}' on provider '${providerId}'`);
  return row;
}

async function assertLabelFree(gw: Gateway, providerId: string, label: string, exceptId?: string): Promise<void> {
  const clash = (await gw.store.providers.listKeys(providerId)).find((k) => k.label === label && k.id !== exceptId);
  if (clash) throw conflict(`This provider already has a key labelled '${label}'.`, 'label');
}

async function nextLabel(gw: Gateway, providerId: string): Promise<string> {
  const taken = new Set((await gw.store.providers.listKeys(providerId)).map((k) => k.label));
  for (let i = taken.size + 1; ; i++) if (!taken.has(`key-${i}`)) return `key-${i}`;
}

export async function addProviderKey(gw: Gateway, providerId: string, input: ProviderKeyInput): Promise<ProviderKeyRow> {
  await provider(gw, providerId);
  const label = input.label?.trim() || (await nextLabel(gw, providerId));
  await assertLabelFree(gw, providerId, label);
  const row = newProviderKeyRow(gw, providerId, input, label, randomUUID());
  if (await gw.store.providers.findKeyByFingerprint(providerId, row.fingerprint)) {
    throw conflict('This key is already configured for this provider.', 'key');
  }
  await gw.store.providers.insertKey(row);
  await configChanged(gw, { providerIds: [providerId] });
  return getProviderKey(gw, providerId, row.id);
}

/** Edit label, weight, QPS cap or status (reviving a dead key: status "active"), or replace the key itself. */
export async function updateProviderKey(gw: Gateway, providerId: string, keyId: string, p: ProviderKeyPatch): Promise<ProviderKeyRow> {
  const row = await getProviderKey(gw, providerId, keyId);
  const patch: ProviderKeyUpdate = {};
  if (p.label !== undefined) {
    const label = p.label.trim();
    if (label === '') throw badRequest("'label' must not be blank.", 'label');
    if (label !== row.label) await assertLabelFree(gw, providerId, label, keyId);
    patch.label = label;
  }
  if (p.weight !== undefined) patch.weight = p.weight;
  if (p.max_qps !== undefined) patch.max_qps = p.max_qps;
  if (p.status !== undefined) {
    patch.status = p.status;
    if (p.status !== row.status) patch.status_reason = p.status === 'active' ? null : 'set through the API';
  }
  if (p.key !== undefined) {
    const key = cleanSecret(p.key, 'key');
    const fingerprint = gw.keyring.fingerprintProviderKey(providerId, key);
    const other = await gw.store.providers.findKeyByFingerprint(providerId, fingerprint);
    if (other && other.id !== keyId) throw conflict('This key is already configured for this provider.', 'key');
    patch.ciphertext = gw.keyring.encryptProviderKey(keyId, key);
    patch.key_version = gw.keyring.box.version;
    patch.fingerprint = fingerprint;
    patch.hint = secretHint(key);
  }
  await gw.store.providers.updateKey(providerId, keyId, patch);
  await configChanged(gw, { providerIds: [providerId] });
  return getProviderKey(gw, providerId, keyId);
}

export async function deleteProviderKey(gw: Gateway, providerId: string, keyId: string): Promise<void> {
  await getProviderKey(gw, providerId, keyId);
  await gw.store.providers.deleteKey(providerId, keyId);
  await configChanged(gw, { providerIds: [providerId] });
}
