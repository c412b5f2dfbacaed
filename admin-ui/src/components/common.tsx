import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../api';

/** Loads data when deps change; `reload` loads again keeping the old data visible meanwhile. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: unknown; loading: boolean; reload: () => void; setData: (t: T) => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => { if (mine === generation.current) setState({ data, loading: false }); },
      (error) => { if (mine === generation.current) setState((s) => ({ data: s.data, error, loading: false })); },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps say when to load again, as with useEffect
  }, deps);
  useEffect(run, [run]);
  return { data: state.data, error: state.error, loading: state.loading, reload: run, setData: (data: T) => setState({ data, loading: false }) };
}

/**
 * An error, as the server said it. A 412 (someone changed the thing since it was read) says so in
 * plain words and, given onReload, offers to load the current version.
 */
export function ErrorMessage({ error, onReload }: { error: unknown; onReload?: () => void }) {
  if (!error) return null;
  if (error instanceof ApiError && error.status === 412) {
    return (
      <div class="error stale-version" role="alert">
        <p>Someone else changed this since you opened it, so your change was not saved.
          {onReload ? ' Reload to see the current version, then make your change again.' : ' Reload the page, then make your change again.'}</p>
        {onReload && <button type="button" onClick={onReload}>Reload</button>}
      </div>
    );
  }
  return <p class="error" role="alert">{messageOf(error)}</p>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export function Loading() {
  return <p class="loading" aria-live="polite">Loading…</p>;
}
