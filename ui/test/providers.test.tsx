// @vitest-environment happy-dom
/** Adding a provider from a preset: errors next to the fields, the request sent, the connection check. */
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProvidersPage } from '../src/pages/providers/ProvidersPage.js';
import { ME_ADMIN, fakeGateway, renderWith, signedInClient } from './harness.js';

const created = {
  id: 'local-llm',
  name: 'Local LLM',
  kind: 'openai-compatible',
  base_url: 'http://10.0.0.5:8000/v1',
  api_version: null,
  weight: 1,
  priority: 0,
  enabled: true,
  retryable_status_codes: null,
  headers: {},
  dialects: null,
  timeouts: { connect_ms: null, ttfb_ms: null, idle_ms: null, total_ms: null },
  probe: { enabled: false, interval_seconds: null, model: null },
  models: null,
  key_count: 1,
  active_key_count: 1,
  source: 'api',
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
};

beforeEach(() => {
  window.location.hash = '#/providers?add=1';
});
afterEach(cleanup);

describe('add a provider', () => {
  it('asks for what the kind needs, sends the provider with its key, then checks the connection', async () => {
    let list: unknown[] = [];
    const gw = fakeGateway([
      ['GET', /^\/auth\/me$/, () => ({ json: ME_ADMIN })],
      ['GET', /^\/providers$/, () => ({ json: { data: list, total: list.length } })],
      [
        'POST',
        /^\/providers$/,
        () => {
          list = [created];
          return { status: 201, json: created };
        },
      ],
      ['GET', /^\/providers\/local-llm\/metrics$/, () => ({ json: { provider: 'local-llm', enabled: true, window_s: 60, upstreams: [], keys: [], last_probe: null } })],
      [
        'GET',
        /^\/providers\/local-llm\/health$/,
        () => ({
          json: {
            provider: 'local-llm',
            status: 'up',
            ok: true,
            method: 'models',
            model: null,
            http_status: 200,
            latency_ms: 42,
            error: null,
            checked_at: '2025-01-01T00:00:00.000Z',
            keys: [{ id: 'k1', label: 'key-1', ok: true, http_status: 200, error: null, revived: false }],
            breakers: [],
          },
        }),
      ],
    ]);
    renderWith(<ProvidersPage />, await signedInClient(gw.fetch));
    const dialog = await screen.findByRole('dialog', { name: 'Add a provider' });
    fireEvent.click(within(dialog).getByText('OpenAI-compatible'));
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Local LLM' } });
    expect((within(dialog).getByLabelText('ID') as HTMLInputElement).value).toBe('local-llm');

    // an OpenAI-compatible server has no public address: the base URL is required
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add provider' }));
    const url = within(dialog).getByLabelText(/^Base URL/);
    await waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'));
    expect(within(dialog).getByText('Required.')).toBeTruthy();
    expect(gw.calls.some((c) => c.method === 'POST')).toBe(false);

    fireEvent.change(url, { target: { value: 'http://10.0.0.5:8000/v1' } });
    fireEvent.change(within(dialog).getByLabelText(/^API key/), { target: { value: 'sk-local-1234567890' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add provider' }));
    await screen.findByRole('dialog', { name: 'Local LLM is added' });
    const post = gw.calls.find((c) => c.method === 'POST' && c.path === '/providers');
    expect(post?.body).toMatchObject({
      id: 'local-llm',
      kind: 'openai-compatible',
      name: 'Local LLM',
      base_url: 'http://10.0.0.5:8000/v1',
      keys: [{ key: 'sk-local-1234567890' }],
    });
    await screen.findByText('Connection works.');
    expect(screen.getByText(/Model list: HTTP 200 in 42 ms/)).toBeTruthy();
  });

  it('shows the server refusal next to the field it names', async () => {
    const gw = fakeGateway([
      ['GET', /^\/auth\/me$/, () => ({ json: ME_ADMIN })],
      ['GET', /^\/providers$/, () => ({ json: { data: [], total: 0 } })],
      [
        'POST',
        /^\/providers$/,
        () => ({
          status: 400,
          json: { error: { message: "'base_url' points to a private address; set ALLOW_PRIVATE_UPSTREAMS=true to allow it.", type: 'invalid_request_error', param: 'base_url', code: 'invalid_value' } },
        }),
      ],
    ]);
    renderWith(<ProvidersPage />, await signedInClient(gw.fetch));
    const dialog = await screen.findByRole('dialog', { name: 'Add a provider' });
    fireEvent.change(within(dialog).getByLabelText(/^Base URL/), { target: { value: 'http://127.0.0.1:9/v1' } });
    fireEvent.change(within(dialog).getByLabelText(/^API key/), { target: { value: 'sk-openai-1234567890' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add provider' }));
    const url = within(dialog).getByLabelText(/^Base URL/);
    await waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'));
    const described = url.getAttribute('aria-describedby') ?? '';
    expect(described).toMatch(/-err/);
    expect(document.getElementById(described.split(' ').find((id) => id.endsWith('-err'))!)?.textContent).toContain('private address');
  });
});
