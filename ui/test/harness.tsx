/**
 * Test harness for the console's components: a stand-in for the gateway's HTTP answers (shaped
 * as /openapi.json documents them) and the providers a page needs.
 */
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ApiClient, memoryStore } from '../src/api/client.js';
import { SessionProvider } from '../src/app/session.js';
import { ThemeProvider } from '../src/app/theme.js';
import { ToastProvider } from '../src/components/toast.js';
import { I18nProvider, type Lang } from '../src/i18n/index.js';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Handler = (call: Call) => { status?: number; json?: unknown; headers?: Record<string, string> } | undefined;

/** Routes "METHOD /path" (a regular expression on the path) to canned answers; records every call. */
export function fakeGateway(routes: Array<[string, RegExp, Handler]>) {
  const calls: Call[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const url = new URL(String(input), 'http://gateway.test');
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const call: Call = { method, path: url.pathname, query: url.searchParams, body };
    calls.push(call);
    for (const [m, re, handler] of routes) {
      if (m !== method || !re.test(url.pathname)) continue;
      const r = handler(call);
      if (!r) continue;
      const status = r.status ?? 200;
      return new Response(status === 204 ? null : JSON.stringify(r.json ?? {}), {
        status,
        headers: { 'content-type': 'application/json', 'x-request-id': 'req_test123', ...r.headers },
      });
    }
    return new Response(JSON.stringify({ error: { message: `Unknown route ${method} ${url.pathname}.`, type: 'not_found_error', param: null, code: 'not_found' } }), {
      status: 404,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch: fetchFn, calls };
}

export const ADMIN = {
  id: 'u-admin',
  username: 'admin',
  email: null,
  display_name: 'Administrator',
  role: 'admin' as const,
  enabled: true,
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
};

export const ME_ADMIN = { user: ADMIN, role: 'admin', via: 'session' };

export function providers(children: ReactNode, client: ApiClient, lang: Lang = 'en'): ReactNode {
  return (
    <I18nProvider lang={lang}>
      <ThemeProvider>
        <ToastProvider>
          <SessionProvider client={client}>{children}</SessionProvider>
        </ToastProvider>
      </ThemeProvider>
    </I18nProvider>
  );
}

/** A client already holding an (opaque) admin token, as after sign-in. */
export async function signedInClient(f: typeof fetch): Promise<ApiClient> {
  const c = new ApiClient({ fetch: f, refreshStore: memoryStore() });
  await c.useAdminToken('test-admin-token');
  return c;
}

export function renderWith(ui: ReactNode, client: ApiClient, lang: Lang = 'en'): RenderResult {
  return render(providers(ui, client, lang));
}
