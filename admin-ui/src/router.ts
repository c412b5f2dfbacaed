// A tiny history router: the server answers index.html for any page path (SPA fallback), and
// links change the path without reloading.
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set<() => void>();

export function navigate(to: string, replace = false) {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((l) => l());
}

addEventListener('popstate', () => listeners.forEach((l) => l()));

/** The current location; re-renders on navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const l = () => setTick((t) => t + 1);
    listeners.add(l);
    return () => { listeners.delete(l); };
  }, []);
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

/** Matches "/projects/:project/flags/:flag" against a path; decoded parameters, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const have = path.replace(/\/+$/, '').split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      try { params[want[i].slice(1)] = decodeURIComponent(have[i]); } catch { return null; }
    } else if (want[i] !== have[i]) {
      return null;
    }
  }
  return params;
}

/** Replaces the query of the current page (filters live in the address, so they can be shared). */
export function setQuery(values: Record<string, string | undefined>) {
  const query = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(values)) {
    if (v) query.set(k, v); else query.delete(k);
  }
  const text = query.toString();
  navigate(location.pathname + (text ? '?' + text : ''), true);
}
