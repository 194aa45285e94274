/** Data loading and actions with their busy/error state, for the pages. */
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { ApiError } from '../api/client.js';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | null;
  /** first load (no data yet) */
  loading: boolean;
  /** any load in flight, including a reload with data shown */
  refreshing: boolean;
  reload(): void;
  setData(update: (prev: T | undefined) => T | undefined): void;
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, err instanceof Error ? err.message : String(err));
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** Loads when deps change; `pollMs` reloads in the background while the page is visible. */
export function useLoad<T>(fn: (signal: AbortSignal) => Promise<T>, deps: DependencyList, opts: { pollMs?: number; enabled?: boolean } = {}): Loaded<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [inFlight, setInFlight] = useState(0);
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const enabled = opts.enabled ?? true;

  useEffect(() => {
    if (!enabled) return;
    const ac = new AbortController();
    setInFlight((n) => n + 1);
    fnRef
      .current(ac.signal)
      .then((v) => {
        if (ac.signal.aborted) return;
        setDataState(v);
        setError(null);
      })
      .catch((err: unknown) => {
        if (ac.signal.aborted || isAbort(err)) return;
        setError(toApiError(err));
      })
      .finally(() => setInFlight((n) => n - 1));
    return () => ac.abort();
  }, [...deps, tick, enabled]);

  useEffect(() => {
    if (!opts.pollMs || !enabled) return;
    const id = window.setInterval(() => {
      if (document.visibilityState !== 'hidden') setTick((t) => t + 1);
    }, opts.pollMs);
    return () => window.clearInterval(id);
  }, [opts.pollMs, enabled]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const setData = useCallback((u: (prev: T | undefined) => T | undefined) => setDataState(u), []);
  return { data, error, loading: data === undefined && error === null && enabled, refreshing: inFlight > 0, reload, setData };
}

export interface Action<A extends unknown[], R> {
  run(...args: A): Promise<R | undefined>;
  busy: boolean;
  error: ApiError | null;
  clearError(): void;
}

/** A user-triggered call: busy while it runs, its error kept to show next to the control. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>): Action<A, R> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      return await fnRef.current(...args);
    } catch (err) {
      if (mounted.current && !isAbort(err)) setError(toApiError(err));
      return undefined;
    } finally {
      if (mounted.current) setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { run, busy, error, clearError };
}
