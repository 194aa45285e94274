/**
 * Who is signed in, and the API they talk to. Also keeps, in memory only, the client API keys
 * created during this visit (their tokens are shown once by the server), so the playground can
 * offer them without asking the operator to paste them back.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiClient, type SessionInfo, type TokenStore } from '../api/client.js';
import { Api } from '../api/endpoints.js';

export interface HeldKey {
  id: string | null;
  name: string;
  prefix: string;
  token: string;
  /** created by the playground for itself */
  temporary: boolean;
}

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason: 'expired' | 'signed-out' | null }
  | { status: 'signed-in'; info: SessionInfo };

interface SessionValue {
  state: SessionState;
  api: Api;
  /** the signed-in operator (null while signed out) */
  info: SessionInfo | null;
  isAdmin: boolean;
  login(username: string, password: string): Promise<void>;
  loginWithAdminToken(token: string): Promise<void>;
  logout(all?: boolean): Promise<void>;
  refreshMe(): Promise<void>;
  heldKeys: HeldKey[];
  holdKey(k: HeldKey): void;
  dropKey(token: string): void;
}

const Ctx = createContext<SessionValue | null>(null);

export function sessionStore(): TokenStore {
  const KEY = 'apiproxy.refresh';
  return {
    get: () => {
      try {
        return window.sessionStorage.getItem(KEY);
      } catch {
        return null;
      }
    },
    set: (v) => {
      try {
        if (v === null) window.sessionStorage.removeItem(KEY);
        else window.sessionStorage.setItem(KEY, v);
      } catch {
        /* storage unavailable: the session lasts until the page is reloaded */
      }
    },
  };
}

export function SessionProvider({ children, client }: { children: ReactNode; client?: ApiClient }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [heldKeys, setHeldKeys] = useState<HeldKey[]>([]);
  const clientRef = useRef<ApiClient | null>(null);
  clientRef.current ??=
    client ??
    new ApiClient({
      refreshStore: sessionStore(),
      onSignedOut: (reason) => {
        setHeldKeys([]);
        setState({ status: 'signed-out', reason });
      },
    });
  const c = clientRef.current;
  const api = useMemo(() => new Api(c), [c]);

  useEffect(() => {
    let live = true;
    c.restore()
      .then((info) => live && setState(info ? { status: 'signed-in', info } : { status: 'signed-out', reason: null }))
      .catch(() => live && setState({ status: 'signed-out', reason: null }));
    return () => {
      live = false;
    };
  }, [c]);

  const login = useCallback(
    async (username: string, password: string) => {
      await c.login(username, password);
      setState({ status: 'signed-in', info: await c.me() });
    },
    [c],
  );
  const loginWithAdminToken = useCallback(
    async (token: string) => {
      setState({ status: 'signed-in', info: await c.useAdminToken(token) });
    },
    [c],
  );
  const logout = useCallback(async (all = false) => c.logout(all), [c]);
  const refreshMe = useCallback(async () => setState({ status: 'signed-in', info: await c.me() }), [c]);
  const holdKey = useCallback((k: HeldKey) => setHeldKeys((xs) => [k, ...xs.filter((x) => x.token !== k.token)]), []);
  const dropKey = useCallback((token: string) => setHeldKeys((xs) => xs.filter((x) => x.token !== token)), []);

  const info = state.status === 'signed-in' ? state.info : null;
  const value = useMemo<SessionValue>(
    () => ({
      state,
      api,
      info,
      isAdmin: info?.role === 'admin',
      login,
      loginWithAdminToken,
      logout,
      refreshMe,
      heldKeys,
      holdKey,
      dropKey,
    }),
    [state, api, info, login, loginWithAdminToken, logout, refreshMe, heldKeys, holdKey, dropKey],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
