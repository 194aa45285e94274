/**
 * What a client reads when a management request is invalid: a 400 whose message and `param` name
 * the field, in plain words, for the real schemas of the API.
 */
import type { TSchema } from 'typebox';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/canonical/errors.js';
import { fieldName, typeboxValidatorCompiler } from '../../src/api/admin/validation.js';
import { CreateApiKeyBody, ApiKeyListQuery } from '../../src/api/admin/schemas/api-keys.js';
import { CreateProviderBody } from '../../src/api/admin/schemas/providers.js';
import { ReplaceUpstreamsBody } from '../../src/api/admin/schemas/logical-models.js';
import { LogoutBody } from '../../src/api/admin/schemas/users.js';

function check(schema: TSchema, data: unknown, httpPart = 'body'): { value?: unknown; error?: GatewayError } {
  const validate = typeboxValidatorCompiler({ schema, method: 'POST', url: '/x', httpPart }) as (d: unknown) => { value?: unknown; error?: GatewayError };
  return validate(data);
}

function failure(schema: TSchema, data: unknown, httpPart = 'body'): { message: string; param: string | undefined; status: number } {
  const r = check(schema, data, httpPart);
  expect(r.error, JSON.stringify(data)).toBeInstanceOf(GatewayError);
  return { message: r.error!.message, param: r.error!.param, status: r.error!.status };
}

describe('validation messages', () => {
  it('names an unknown field and lists the known ones', () => {
    const f = failure(CreateApiKeyBody, { name: 'k', colour: 'blue' });
    expect(f.status).toBe(400);
    expect(f.param).toBe('colour');
    expect(f.message).toBe(
      "Invalid request body: 'colour' is not a known field. Known fields: name, expiry, expires_at, enabled, allowed_providers, allowed_models, rpm_limit, tpm_limit, budget_usd, budget_period.",
    );
  });

  it('names a missing field', () => {
    expect(failure(CreateApiKeyBody, {})).toMatchObject({ param: 'name', message: "Invalid request body: 'name' is required." });
  });

  it('says what a field accepts', () => {
    expect(failure(CreateApiKeyBody, { name: 'k', rpm_limit: 0 })).toMatchObject({
      param: 'rpm_limit',
      message: "Invalid request body: 'rpm_limit' must be >= 1.",
    });
    expect(failure(CreateApiKeyBody, { name: 'k', rpm_limit: 'ten' })).toMatchObject({
      param: 'rpm_limit',
      message: "Invalid request body: 'rpm_limit' must be a whole number or null.",
    });
    expect(failure(CreateApiKeyBody, { name: 'k', budget_period: 'week' })).toMatchObject({
      param: 'budget_period',
      message: "Invalid request body: 'budget_period' must be one of total, day, month.",
    });
    expect(failure(CreateApiKeyBody, { name: '' })).toMatchObject({ param: 'name', message: "Invalid request body: 'name' must not be empty." });
    expect(failure(CreateProviderBody, { id: 'x', kind: 'klingon' })).toMatchObject({
      param: 'kind',
      message: "Invalid request body: 'kind' must be one of openai, openai-compatible, azure-openai, anthropic, gemini.",
    });
  });

  it('names fields inside arrays and objects', () => {
    expect(failure(CreateApiKeyBody, { name: 'k', allowed_providers: ['Not A Slug'] })).toMatchObject({
      param: 'allowed_providers[0]',
      message: expect.stringContaining("'allowed_providers[0]' must be a slug"),
    });
    expect(failure(ReplaceUpstreamsBody, { upstreams: [{ provider_id: 'a', model: 'm' }, { provider_id: 'b', model: 'm', weight: -1 }] })).toMatchObject({
      param: 'upstreams[1].weight',
      message: "Invalid request body: 'upstreams[1].weight' must be >= 0.",
    });
    expect(failure(CreateProviderBody, { id: 'x', kind: 'openai', timeouts: { ttfb: 5 } })).toMatchObject({ param: 'timeouts.ttfb' });
    expect(failure(CreateProviderBody, { id: 'x', kind: 'openai', headers: { 'X-Count': 5 } })).toMatchObject({ param: 'headers.X-Count' });
  });

  it('asks for a JSON object when the body is something else', () => {
    for (const body of [null, 'text', [1, 2], 42]) {
      expect(failure(CreateApiKeyBody, body)).toMatchObject({ param: undefined, message: 'The request body must be a JSON object.' });
    }
  });

  it('accepts a missing body where the body is optional', () => {
    expect(check(LogoutBody, null).error).toBeUndefined();
    expect(check(LogoutBody, { all: true }).value).toEqual({ all: true });
  });

  it('converts query parameters from text, and names the bad one', () => {
    expect(check(ApiKeyListQuery, { limit: '20', include_revoked: 'false' }, 'querystring').value).toEqual({ limit: 20, include_revoked: false });
    expect(failure(ApiKeyListQuery, { limit: 'lots' }, 'querystring')).toMatchObject({
      param: 'limit',
      message: "Invalid query parameter: 'limit' must be a whole number.",
    });
    expect(failure(ApiKeyListQuery, { limit: '501' }, 'querystring')).toMatchObject({ param: 'limit', message: "Invalid query parameter: 'limit' must be <= 500." });
  });

  it('takes bodies as sent (no type coercion)', () => {
    expect(failure(CreateApiKeyBody, { name: 'k', rpm_limit: '60' }).param).toBe('rpm_limit');
    expect(failure(CreateApiKeyBody, { name: 'k', enabled: 'true' }).param).toBe('enabled');
  });

  it('writes JSON pointers as field paths', () => {
    expect(fieldName('/upstreams/0/provider_id')).toBe('upstreams[0].provider_id');
    expect(fieldName('')).toBe('');
    expect(fieldName('/headers/a~1b', 'c')).toBe('headers.a/b.c');
  });
});
