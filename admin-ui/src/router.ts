// Routing is preact-iso's (Preact's own router; its router entry is ~1.8 KB gzip, ~1.2 KB more
// than the hand-written history router it replaced, which was not our core to maintain):
// LocationProvider follows the address (pushState, popstate) and turns clicks on same-origin
// <a href> links into in-place navigation, so links are plain <a> elements; Router renders the
// first matching Route and scrolls to the top on navigation. The server answers index.html for
// any page path (SPA fallback). What this module adds is what the pages share: the query as
// URLSearchParams, and setQuery, since filters live in the address so a view can be shared.
import { useLocation as useIsoLocation } from 'preact-iso/router';

export { LocationProvider, Route, Router } from 'preact-iso/router';

export interface Location {
  /** The path, without a trailing slash ("/" for the root). */
  path: string;
  query: URLSearchParams;
  /** Goes to another page of the app (replacing the current history entry when asked). */
  navigate: (to: string, replace?: boolean) => void;
  /** Replaces the query of the current page: set values, remove those undefined or empty. */
  setQuery: (values: Record<string, string | undefined>) => void;
}

/** The current location; re-renders on navigation. */
export function useLocation(): Location {
  const { path, url, route } = useIsoLocation();
  const navigate = (to: string, replace = false) => {
    if (to !== location.pathname + location.search) route(to, replace);
  };
  return {
    path,
    query: new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?')) : ''),
    navigate,
    setQuery: (values) => {
      // from the address as it is when called, so a debounced call does not undo a newer change
      const query = new URLSearchParams(location.search);
      for (const [k, v] of Object.entries(values)) {
        if (v) query.set(k, v); else query.delete(k);
      }
      const text = query.toString();
      navigate(location.pathname + (text ? '?' + text : ''), true);
    },
  };
}
