/**
 * Helpers for the management API tests: a gateway whose first-start administrator password is
 * captured from stderr (where the gateway prints it once), and a small JSON client.
 */
import { vi } from 'vitest';
import { startGateway, type StartOptions, type TestGateway } from '../helpers/gateway.js';
import type { Backend } from './backends.js';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

export interface ErrorJson {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export type Json = Record<string, unknown>;

export async function call<T = Json>(
  base: string,
  method: string,
  path: string,
  opts: { token?: string | undefined; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json: json as T };
}

export interface AdminGateway extends TestGateway {
  /** everything the gateway wrote to stderr while starting */
  stderr: string;
  /** the first administrator's password, when this start created it */
  adminPassword: string | null;
  call<T = Json>(method: string, path: string, opts?: { token?: string | undefined; body?: unknown; headers?: Record<string, string> }): Promise<Answer<T>>;
}

/** Run `fn` while capturing everything written to this process's stderr. */
export async function captureStderr<T>(fn: () => Promise<T>): Promise<{ value: T; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    const value = await fn();
    return { value, stderr };
  } finally {
    spy.mockRestore();
  }
}

export type AdminStartOptions = StartOptions & { backend?: Backend };

/** startGateway options for a backend (its database URL, and its own SharedState connection). */
export async function startOptions(opts: AdminStartOptions): Promise<StartOptions> {
  const { backend, ...rest } = opts;
  const start: StartOptions = { ...rest };
  if (backend) {
    start.env = { ...backend.env, ...rest.env };
    const shared = await backend.newShared();
    if (shared) start.shared = shared;
  }
  return start;
}

/** The first administrator's password in what a start printed, if it created one. */
export function printedPassword(stderr: string): string | null {
  const m = /password:\s+(\S+)/.exec(stderr);
  return m ? m[1]! : null;
}

export function asAdminGateway(gw: TestGateway, stderr: string): AdminGateway {
  return {
    ...gw,
    stderr,
    adminPassword: printedPassword(stderr),
    call: (method, path, o = {}) => call(gw.url, method, path, o),
  };
}

/**
 * Start a gateway (on `backend` when given) and capture what it prints on stderr (the first
 * administrator's password).
 */
export async function startAdminGateway(opts: AdminStartOptions = {}): Promise<AdminGateway> {
  const start = await startOptions(opts);
  const { value, stderr } = await captureStderr(() => startGateway(start));
  return asAdminGateway(value, stderr);
}

export interface Session {
  access: string;
  refresh: string;
  userId: string;
}

export async function signIn(g: { call: AdminGateway['call'] }, username: string, password: string): Promise<Session> {
  const r = await g.call<{ access_token: string; refresh_token: string; user: { id: string } }>('POST', '/auth/login', { body: { username, password } });
  if (r.status !== 200) throw new Error(`sign-in as ${username} failed: ${r.status} ${r.text}`);
  return { access: r.json.access_token, refresh: r.json.refresh_token, userId: r.json.user.id };
}

/** Create a plain user (as `admin`) and sign in as them. */
export async function newUser(g: AdminGateway, admin: Session, username: string, role: 'user' | 'admin' = 'user'): Promise<Session> {
  const password = `pw-${username}-0123456789`;
  const r = await g.call('POST', '/users', { token: admin.access, body: { username, password, role } });
  if (r.status !== 201) throw new Error(`creating ${username} failed: ${r.status} ${r.text}`);
  return signIn(g, username, password);
}
