/** Client API keys: request and response shapes. */
import Type, { type Static } from 'typebox';
import { keyStatus, listOf } from '../../../admin/api-keys.js';
import type { ApiKeyRow } from '../../../store/db/schema.js';
import { iso, Nullable, NullableTimestamp, PageQuery, Slug, Timestamp } from './common.js';

const BudgetPeriod = Type.Enum(['total', 'day', 'month'], { description: 'total: for the key\'s lifetime; day / month: calendar periods (UTC)' });

export const ApiKey = Type.Object({
  id: Type.String(),
  user_id: Nullable(Type.String({ description: 'the owner; null for keys from the config file or quick mode' })),
  name: Type.String(),
  prefix: Type.String({ description: 'the first characters of the token, to recognise it' }),
  status: Type.Enum(['active', 'disabled', 'expired', 'revoked']),
  enabled: Type.Boolean(),
  expires_at: NullableTimestamp,
  revoked_at: NullableTimestamp,
  allowed_providers: Nullable(Type.Array(Type.String(), { description: 'null: every provider' })),
  allowed_models: Nullable(Type.Array(Type.String(), { description: 'null: every model' })),
  rpm_limit: Nullable(Type.Integer({ description: 'requests per minute' })),
  tpm_limit: Nullable(Type.Integer({ description: 'tokens per minute' })),
  budget_usd: Nullable(Type.Number()),
  budget_period: Nullable(BudgetPeriod),
  source: Type.String({ description: "'api', 'config' (the YAML file) or 'generated' (quick mode)" }),
  last_used_at: NullableTimestamp,
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type ApiKeyJson = Static<typeof ApiKey>;

export function presentApiKey(row: ApiKeyRow, now = Date.now()): ApiKeyJson {
  const period = row.budget_period;
  return {
    id: row.id,
    user_id: row.user_id,
    name: row.name,
    prefix: row.prefix,
    status: keyStatus(row, now),
    enabled: row.enabled === 1,
    expires_at: iso(row.expires_at),
    revoked_at: iso(row.revoked_at),
    allowed_providers: listOf(row.allowed_providers),
    allowed_models: listOf(row.allowed_models),
    rpm_limit: row.rpm_limit,
    tpm_limit: row.tpm_limit,
    budget_usd: row.budget_usd,
    budget_period: period === 'total' || period === 'day' || period === 'month' ? period : null,
    source: row.source,
    last_used_at: iso(row.last_used_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export const CreatedApiKey = Type.Object({
  ...ApiKey.properties,
  token: Type.String({ description: 'the key itself (sk-apx-…): shown only in this answer, store it now' }),
});

const keyFields = {
  name: Type.String({ minLength: 1, maxLength: 128, description: "unique among the owner's keys that are not revoked" }),
  expiry: Type.String({
    description: 'week | month | year | never (case-insensitive), counted from now',
    examples: ['month'],
  }),
  expires_at: Nullable(Type.String({ format: 'date-time', description: 'alternative to expiry: an exact time; null = never' })),
  enabled: Type.Boolean({ description: 'false pauses the key without revoking it' }),
  allowed_providers: Nullable(Type.Array(Slug, { description: 'provider ids the key may use; null or [] = all' })),
  allowed_models: Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { description: 'model names the key may ask for; null or [] = all' })),
  rpm_limit: Nullable(Type.Integer({ minimum: 1, description: 'requests per minute; null = no limit' })),
  tpm_limit: Nullable(Type.Integer({ minimum: 1, description: 'tokens per minute; null = no limit' })),
  budget_usd: Nullable(Type.Number({ exclusiveMinimum: 0, description: 'spending cap in USD; null = none' })),
  budget_period: Nullable(BudgetPeriod),
};

export const CreateApiKeyBody = Type.Object(
  {
    name: keyFields.name,
    expiry: Type.Optional(keyFields.expiry),
    expires_at: Type.Optional(keyFields.expires_at),
    enabled: Type.Optional(keyFields.enabled),
    allowed_providers: Type.Optional(keyFields.allowed_providers),
    allowed_models: Type.Optional(keyFields.allowed_models),
    rpm_limit: Type.Optional(keyFields.rpm_limit),
    tpm_limit: Type.Optional(keyFields.tpm_limit),
    budget_usd: Type.Optional(keyFields.budget_usd),
    budget_period: Type.Optional(keyFields.budget_period),
  },
  { additionalProperties: false },
);

export const AdminCreateApiKeyBody = Type.Object(
  {
    ...CreateApiKeyBody.properties,
    user_id: Type.Optional(Nullable(Type.String({ minLength: 1, description: 'the owner; omitted or null: a key without an owner' }))),
  },
  { additionalProperties: false },
);

export const UpdateApiKeyBody = Type.Object(
  {
    name: Type.Optional(keyFields.name),
    expiry: Type.Optional(keyFields.expiry),
    expires_at: Type.Optional(keyFields.expires_at),
    enabled: Type.Optional(keyFields.enabled),
    allowed_providers: Type.Optional(keyFields.allowed_providers),
    allowed_models: Type.Optional(keyFields.allowed_models),
    rpm_limit: Type.Optional(keyFields.rpm_limit),
    tpm_limit: Type.Optional(keyFields.tpm_limit),
    budget_usd: Type.Optional(keyFields.budget_usd),
    budget_period: Type.Optional(keyFields.budget_period),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ApiKeyListQuery = Type.Object({
  ...PageQuery.properties,
  include_revoked: Type.Optional(Type.Boolean({ default: true, description: 'false: only keys that are not revoked' })),
});

export const AdminApiKeyListQuery = Type.Object({
  ...ApiKeyListQuery.properties,
  user_id: Type.Optional(Type.String({ description: "only this user's keys" })),
  unowned: Type.Optional(Type.Boolean({ description: 'true: only keys without an owner (config file, quick mode)' })),
  source: Type.Optional(Type.Enum(['api', 'config', 'generated'])),
});

export const UserKeyParams = Type.Object({ id: Type.String({ minLength: 1 }), keyId: Type.String({ minLength: 1 }) });
export const KeyParams = Type.Object({ keyId: Type.String({ minLength: 1 }) });
