/**
 * The console's HTTP client for the management API.
 *
 * Tokens: the access token (a short-lived JWT) lives only in memory. The refresh token is kept in
 * the tab's sessionStorage (given here as `refreshStore`), so a reload of the page keeps the
 * operator signed in while closing the tab ends it; it is never written to localStorage. A 401 on
 * any call triggers one refresh (a single one in flight, however many calls wait for it) and the
 * call is retried once; when the refresh fails the session ends and `onSignedOut` is told.
 *
 * This module is free of DOM globals (fetch, Headers and AbortSignal are in Node too), so it is
 * tested against a real gateway in test/console/.
 */
import type { ErrorBody, Me, Tokens, User } from './types.js';

export class ApiError extends Error {
  readonly status: number;
  readonly type: string | null;
  readonly code: string | null;
  readonly param: string | null;
  readonly requestId: string | null;
  readonly retryAfter: number | null;

  constructor(
    status: number,
    message: string,
    extra: { type?: string | null; code?: string | null; param?: string | null; requestId?: string | null; retryAfter?: number | null } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = extra.type ?? null;
    this.code = extra.code ?? null;
    this.param = extra.param ?? null;
    this.requestId = extra.requestId ?? null;
    this.retryAfter = extra.retryAfter ?? null;
  }

  /** the gateway could not be reached at all */
  get network(): boolean {
    return this.status === 0;
  }
}

/** Where the refresh token is kept between page loads (sessionStorage in the browser). */
export interface TokenStore {
  get(): string | null;
  set(value: string | null): void;
}

export const memoryStore = (): TokenStore => {
  let v: string | null = null;
  return { get: () => v, set: (x) => void (v = x) };
};

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** do not attach the access token (sign-in routes) */
  anonymous?: boolean;
}

export interface SessionInfo {
  user: User | null;
  role: 'admin' | 'user';
  via: 'session' | 'admin-token';
}

export interface ClientOptions {
  /** prefix of every API path ('' = same origin) */
  baseUrl?: string;
  fetch?: typeof fetch;
  refreshStore?: TokenStore;
  /** the session ended (refresh failed or sign-out) */
  onSignedOut?: (reason: 'expired' | 'signed-out') => void;
}

const REFRESH_MARGIN_MS = 30_000;

export function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function readError(res: Response): Promise<ApiError> {
  const requestId = res.headers.get('x-request-id');
  const ra = res.headers.get('retry-after');
  const retryAfter = ra !== null && /^\d+$/.test(ra) ? Number(ra) : null;
  let text = '';
  try {
    text = await res.text();
  } catch {
    /* body unreadable: keep the status line */
  }
  try {
    const body = JSON.parse(text) as Partial<ErrorBody> & { message?: string; error?: unknown };
    const e = body.error;
    if (e && typeof e === 'object' && 'message' in e && typeof e.message === 'string') {
      const ee = e as ErrorBody['error'];
      return new ApiError(res.status, ee.message, { type: ee.type ?? null, code: ee.code ?? null, param: ee.param ?? null, requestId, retryAfter });
    }
    if (typeof body.message === 'string') return new ApiError(res.status, body.message, { requestId, retryAfter });
  } catch {
    /* not JSON */
  }
  const short = text.trim().slice(0, 200);
  return new ApiError(res.status, short || `HTTP ${res.status} ${res.statusText}`.trim(), { requestId, retryAfter });
}

export class ApiClient {
  readonly baseUrl: string;
  private readonly doFetch: typeof fetch;
  private readonly refreshStore: TokenStore;
  private readonly onSignedOut: ((reason: 'expired' | 'signed-out') => void) | undefined;
  private accessToken: string | null = null;
  private accessExpiresAt = 0;
  /** an ADMIN_API_KEY typed at sign-in: sent as is, never refreshed, never stored */
  private staticToken: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private restoring: Promise<SessionInfo | null> | null = null;

  constructor(opts: ClientOptions = {}) {
    this.baseUrl = (opts.baseUrl ?? '').replace(/\/+$/, '');
    this.doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
    this.refreshStore = opts.refreshStore ?? memoryStore();
    this.onSignedOut = opts.onSignedOut;
  }

  get signedIn(): boolean {
    return this.staticToken !== null || this.accessToken !== null || this.refreshStore.get() !== null;
  }

  url(path: string, query?: Query): string {
    return `${this.baseUrl}${path}${buildQuery(query)}`;
  }

  private adopt(t: Tokens): void {
    this.accessToken = t.access_token;
    this.accessExpiresAt = Date.now() + t.expires_in * 1000;
    this.refreshStore.set(t.refresh_token);
  }

  private clear(): void {
    this.accessToken = null;
    this.accessExpiresAt = 0;
    this.staticToken = null;
    this.refreshStore.set(null);
  }

  /** POST /auth/login with a user name or e-mail address. */
  async login(username: string, password: string): Promise<User> {
    const field = username.includes('@') ? 'email' : 'username';
    const t = await this.send<Tokens>('POST', '/auth/login', { body: { [field]: username, password }, anonymous: true });
    this.staticToken = null;
    this.adopt(t);
    return t.user;
  }

  /** Use an ADMIN_API_KEY (kept in memory only) instead of a user session. */
  async useAdminToken(token: string): Promise<SessionInfo> {
    this.clear();
    this.staticToken = token;
    try {
      return await this.me();
    } catch (err) {
      this.staticToken = null;
      throw err;
    }
  }

  /** After a page load: exchange the stored refresh token, if any, for a session. */
  restore(): Promise<SessionInfo | null> {
    this.restoring ??= (async () => {
      if (this.accessToken === null && this.staticToken === null) {
        if (this.refreshStore.get() === null) return null;
        if (!(await this.refresh())) return null;
      }
      return this.me();
    })().finally(() => {
      this.restoring = null;
    });
    return this.restoring;
  }

  me(): Promise<SessionInfo> {
    return this.get<Me>('/auth/me');
  }

  /** POST /auth/logout (this session, or every session of the user), then forget the tokens. */
  async logout(all = false): Promise<void> {
    try {
      if (this.staticToken === null && this.signedIn) await this.post('/auth/logout', all ? { all: true } : null);
    } catch {
      /* the session may be gone already; sign out locally anyway */
    } finally {
      this.clear();
      this.onSignedOut?.('signed-out');
    }
  }

  /** Exchange the refresh token; one exchange at a time. false: the session is over. */
  refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const rt = this.refreshStore.get();
      if (rt === null) return false;
      try {
        const t = await this.send<Tokens>('POST', '/auth/refresh', { body: { refresh_token: rt }, anonymous: true });
        this.adopt(t);
        return true;
      } catch (err) {
        // a network error keeps the token for a later try; a refusal ends the session
        if (err instanceof ApiError && !err.network) {
          this.clear();
          this.onSignedOut?.('expired');
        }
        return false;
      }
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private bearer(): string | null {
    return this.staticToken ?? this.accessToken;
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) });
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }
  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }
  delete<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('DELETE', path, query ? { query } : {});
  }

  /** A management call with the session's token; refreshes once on 401. */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    if (!opts.anonymous && this.staticToken === null) {
      const expiring = this.accessToken === null || Date.now() > this.accessExpiresAt - REFRESH_MARGIN_MS;
      if (expiring && this.refreshStore.get() !== null) await this.refresh();
    }
    const used = opts.anonymous ? null : this.bearer();
    try {
      return await this.send<T>(method, path, opts, used);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401 || opts.anonymous || this.staticToken !== null) throw err;
      // another call refreshed while this one was out: use its token, no second exchange
      if (this.accessToken !== null && this.accessToken !== used) return this.send<T>(method, path, opts, this.accessToken);
      if (this.refreshStore.get() !== null) {
        if (await this.refresh()) return this.send<T>(method, path, opts, this.accessToken);
        // refused: refresh() ended the session and said so; unreachable: keep it for a later try
        throw err;
      }
      const had = this.accessToken !== null;
      this.clear();
      if (had) this.onSignedOut?.('expired');
      throw err;
    }
  }

  private async send<T>(method: string, path: string, opts: RequestOptions, token: string | null = opts.anonymous ? null : this.bearer()): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const init: RequestInit = { method, headers };
    if (opts.body !== undefined && method !== 'GET' && method !== 'HEAD') {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    }
    if (opts.signal) init.signal = opts.signal;
    let res: Response;
    try {
      res = await this.doFetch(this.url(path, opts.query), init);
    } catch (err) {
      if (err instanceof Error && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'The gateway did not answer. Check that it is running and reachable.');
    }
    if (!res.ok) throw await readError(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
