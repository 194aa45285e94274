// @vitest-environment happy-dom
/** Creating an API key: the token is shown once, can be copied, and is gone when the dialog closes. */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKeysPage } from '../src/pages/keys/ApiKeysPage.js';
import { ADMIN, ME_ADMIN, fakeGateway, renderWith, signedInClient } from './harness.js';

const TOKEN = 'sk-apx-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd';

function key(over: Record<string, unknown> = {}) {
  return {
    id: 'k1',
    user_id: ADMIN.id,
    name: 'billing',
    prefix: 'sk-apx-AbCdE',
    status: 'active',
    enabled: true,
    expires_at: '2026-01-01T00:00:00.000Z',
    revoked_at: null,
    allowed_providers: null,
    allowed_models: null,
    rpm_limit: null,
    tpm_limit: null,
    budget_usd: null,
    budget_period: null,
    source: 'api',
    last_used_at: null,
    created_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

beforeEach(() => {
  window.location.hash = '#/keys';
  Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t: string) => void (copied = t) }, configurable: true });
});
afterEach(cleanup);
let copied = '';

describe('API keys', () => {
  it('creates a key with its limits and shows the token once, with a copy button', async () => {
    let keys: unknown[] = [];
    const gw = fakeGateway([
      ['GET', /^\/auth\/me$/, () => ({ json: ME_ADMIN })],
      ['GET', /^\/api-keys$/, () => ({ json: { data: keys, total: keys.length, limit: 500, offset: 0 } })],
      ['GET', /^\/usage$/, () => ({ json: { from: '', to: '', group_by: ['key'], data: [], totals: {} } })],
      ['GET', /^\/users$/, () => ({ json: { data: [ADMIN], total: 1, limit: 500, offset: 0 } })],
      ['GET', /^\/providers$/, () => ({ json: { data: [], total: 0 } })],
      [
        'POST',
        /^\/api-keys$/,
        (c) => {
          keys = [key({ name: 'billing', rpm_limit: 60, budget_usd: 25, budget_period: 'month' })];
          return { status: 201, json: { ...key({ ...(c.body as object) }), token: TOKEN } };
        },
      ],
    ]);
    renderWith(<ApiKeysPage />, await signedInClient(gw.fetch));
    await screen.findByText('No API key yet');
    fireEvent.click(screen.getAllByRole('button', { name: 'Create API key' })[0]!);
    const dialog = await screen.findByRole('dialog', { name: 'Create an API key' });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'billing' } });
    fireEvent.click(within(dialog).getByRole('radio', { name: 'A year' }));
    fireEvent.change(within(dialog).getByLabelText(/Requests \/ minute/), { target: { value: '60' } });
    fireEvent.change(within(dialog).getByLabelText(/Budget \(USD\)/), { target: { value: '25' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create key' }));

    const reveal = await screen.findByRole('dialog', { name: 'Your new key "billing"' });
    expect(within(reveal).getByText(TOKEN)).toBeTruthy();
    expect(gw.calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'billing',
      expiry: 'year',
      allowed_providers: null,
      allowed_models: null,
      rpm_limit: 60,
      tpm_limit: null,
      budget_usd: 25,
      budget_period: 'month',
      user_id: ADMIN.id,
    });
    fireEvent.click(within(reveal).getByRole('button', { name: 'Copy' }));
    await waitFor(() => expect(copied).toBe(TOKEN));
    await within(reveal).findByRole('button', { name: 'Copied' });

    fireEvent.click(within(reveal).getByRole('button', { name: "I've saved it" }));
    await screen.findByText('60 req/min');
    expect(document.body.textContent).not.toContain(TOKEN);
  });

  it('asks before revoking, then revokes', async () => {
    let keys: unknown[] = [key()];
    const gw = fakeGateway([
      ['GET', /^\/auth\/me$/, () => ({ json: ME_ADMIN })],
      ['GET', /^\/api-keys$/, (c) => ({ json: { data: c.query.get('include_revoked') === 'false' ? keys.filter((k) => (k as { status: string }).status !== 'revoked') : keys, total: 1, limit: 500, offset: 0 } })],
      ['GET', /^\/usage$/, () => ({ json: { from: '', to: '', group_by: ['key'], data: [{ key_id: 'k1', requests: 12, total_tokens: 3400, cost_usd: 0.5 }], totals: {} } })],
      ['GET', /^\/users$/, () => ({ json: { data: [ADMIN], total: 1, limit: 500, offset: 0 } })],
      [
        'DELETE',
        /^\/api-keys\/k1$/,
        () => {
          keys = [key({ status: 'revoked', revoked_at: '2025-01-02T00:00:00.000Z' })];
          return { json: keys[0] };
        },
      ],
    ]);
    renderWith(<ApiKeysPage />, await signedInClient(gw.fetch));
    await screen.findByText('12 requests');
    fireEvent.click(screen.getByRole('button', { name: 'Revoke billing' }));
    const confirm = await screen.findByRole('dialog', { name: 'Revoke billing?' });
    expect(gw.calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(within(confirm).getByRole('button', { name: 'Revoke' }));
    await screen.findByText('No API key yet');
    expect(gw.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/api-keys/k1']);
  });
});
