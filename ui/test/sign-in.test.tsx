// @vitest-environment happy-dom
/** Sign-in and language: what an operator sees before and right after signing in. */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, memoryStore } from '../src/api/client.js';
import { App } from '../src/app/App.js';
import { ADMIN, ME_ADMIN, fakeGateway } from './harness.js';

const emptySeries = { range: 'day', step: 'hour', from: '2025-01-01T00:00:00.000Z', to: '2025-01-01T01:00:00.000Z', group: null, series: [{ group: null, points: [] }] };

function gateway(opts: { password: string }) {
  return fakeGateway([
    [
      'POST',
      /^\/auth\/login$/,
      (c) =>
        (c.body as { password?: string }).password === opts.password
          ? { json: { access_token: 'a.b.c', refresh_token: 'r.r.r', token_type: 'bearer', expires_in: 900, refresh_expires_in: 604800, user: ADMIN } }
          : { status: 401, json: { error: { message: 'Wrong user name, e-mail or password.', type: 'authentication_error', param: null, code: 'invalid_credentials' } } },
    ],
    ['GET', /^\/auth\/me$/, () => ({ json: ME_ADMIN })],
    ['GET', /^\/usage\/timeseries$/, () => ({ json: emptySeries })],
    ['GET', /^\/request-logs$/, () => ({ json: { data: [], next_cursor: null } })],
    ['GET', /^\/providers$/, () => ({ json: { data: [], total: 0 } })],
    ['GET', /^\/logical-models$/, () => ({ json: { data: [], total: 0 } })],
    ['GET', /^\/api-keys$/, () => ({ json: { data: [], total: 0, limit: 500, offset: 0 } })],
  ]);
}

beforeEach(() => {
  window.localStorage.clear();
  window.location.hash = '';
});
afterEach(cleanup);

describe('sign-in page', () => {
  it('names the empty field, then shows the refusal next to the form, then opens the overview', async () => {
    const gw = gateway({ password: 'right password' });
    render(<App client={new ApiClient({ fetch: gw.fetch, refreshStore: memoryStore() })} lang="en" />);
    await screen.findByRole('heading', { name: 'Sign in' });

    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const user = screen.getByLabelText('User name or e-mail');
    expect(user.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Required.')).toBeTruthy();
    expect(gw.calls.some((c) => c.path === '/auth/login')).toBe(false);

    fireEvent.change(user, { target: { value: 'admin' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Wrong user name, e-mail or password.');

    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'right password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { level: 1, name: 'Overview' });
    expect(gw.calls.find((c) => c.path === '/auth/login' && (c.body as { password: string }).password === 'right password')?.body).toEqual({
      username: 'admin',
      password: 'right password',
    });
    // the first steps of a new gateway are offered
    await screen.findByText('Set up your gateway');
    expect(screen.getByRole('link', { name: /Add a provider/ }).getAttribute('href')).toBe('#/providers?add=1');
  });

  it('signs in with an e-mail address as "email"', async () => {
    const gw = gateway({ password: 'pw' });
    render(<App client={new ApiClient({ fetch: gw.fetch, refreshStore: memoryStore() })} lang="en" />);
    fireEvent.change(await screen.findByLabelText('User name or e-mail'), { target: { value: 'ops@example.com' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { level: 1, name: 'Overview' });
    expect(gw.calls.find((c) => c.path === '/auth/login')?.body).toEqual({ email: 'ops@example.com', password: 'pw' });
  });

  it('switches to Chinese and remembers it', async () => {
    const gw = gateway({ password: 'pw' });
    render(<App client={new ApiClient({ fetch: gw.fetch, refreshStore: memoryStore() })} />);
    await screen.findByRole('heading', { name: 'Sign in' });
    fireEvent.click(screen.getByRole('button', { name: 'Switch language to 简体中文' }));
    await screen.findByRole('heading', { name: '登录' });
    expect(screen.getByLabelText('用户名或邮箱')).toBeTruthy();
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(window.localStorage.getItem('apiproxy.lang')).toBe('zh');
    cleanup();
    render(<App client={new ApiClient({ fetch: gw.fetch, refreshStore: memoryStore() })} />);
    await screen.findByRole('heading', { name: '登录' });
  });

  it('offers the first-run page that creates the first administrator', async () => {
    const gw = fakeGateway([['POST', /^\/system\/admin\/init$/, () => ({ status: 409, json: { error: { message: 'The system already has users; sign in at POST /auth/login instead.', type: 'invalid_request_error', param: null, code: 'conflict' } } })]]);
    window.location.hash = '#/setup';
    render(<App client={new ApiClient({ fetch: gw.fetch, refreshStore: memoryStore() })} lang="en" />);
    await screen.findByRole('heading', { name: 'Create the first administrator' });
    fireEvent.click(screen.getByRole('button', { name: 'Create administrator' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('An administrator already exists'));
    expect(gw.calls[0]?.body).toEqual({ username: 'admin' });
  });
});
