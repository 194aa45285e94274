/**
 * A tiny hash router: "#/providers/openai?tab=keys" -> path "/providers/openai", query {tab}.
 * Hash routing keeps every deep link on /ui/ (no server-side routes needed); a path typed after
 * /ui/ (e.g. /ui/providers) is turned into its hash form on load.
 */
import { useCallback, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

export interface Location {
  path: string;
  query: URLSearchParams;
}

export function parseHash(hash: string): Location {
  const raw = hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = (q < 0 ? raw : raw.slice(0, q)) || '/';
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

/** "/providers/:id" matched against "/providers/openai" -> {id: "openai"}; null when it does not match */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const ps = pattern.split('/').filter(Boolean);
  const xs = path.split('/').filter(Boolean);
  if (ps.length !== xs.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    const x = xs[i]!;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(x);
      } catch {
        return null;
      }
    } else if (p !== x) return null;
  }
  return params;
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

const snapshot = (): string => window.location.hash;

export function useLocation(): Location {
  const hash = useSyncExternalStore(subscribe, snapshot, () => '');
  return parseHash(hash);
}

export function href(path: string, query?: Record<string, string | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const target = to.startsWith('#') ? to : `#${to}`;
  if (opts.replace) {
    window.history.replaceState(window.history.state, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else window.location.hash = target;
}

/** Replace some query parameters of the current route (filters), without a history entry. */
export function useQueryUpdater(): (changes: Record<string, string | null | undefined>) => void {
  return useCallback((changes) => {
    const { path, query } = parseHash(window.location.hash);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === undefined || v === '') query.delete(k);
      else query.set(k, v);
    }
    const s = query.toString();
    navigate(`${path}${s ? `?${s}` : ''}`, { replace: true });
  }, []);
}

/** /ui/providers (typed or bookmarked without the hash) -> /ui/#/providers */
export function adoptPathRoute(base = '/ui/'): void {
  const { pathname, hash, search } = window.location;
  if (!hash && pathname.startsWith(base) && pathname.length > base.length) {
    const rest = pathname.slice(base.length - 1);
    window.history.replaceState(null, '', `${base}${search}#${rest}`);
  }
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; children: ReactNode };

export function Link({ to, children, onClick, ...rest }: LinkProps) {
  const target = to.startsWith('#') ? to : `#${to}`;
  return (
    <a
      href={target}
      onClick={(e: MouseEvent<HTMLAnchorElement>) => {
        onClick?.(e);
      }}
      {...rest}
    >
      {children}
    </a>
  );
}
