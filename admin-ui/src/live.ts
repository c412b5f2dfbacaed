// Live updates: one EventSource per project on /api/v1/projects/{p}/events (audit events as
// Server-Sent Events, sent with the session cookie). Pages subscribe a refresh; a burst of
// changes causes one refresh per page (debounced).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type AuditEvent } from './api';

type Listener = (event: AuditEvent) => void;
let source: EventSource | null = null;
let sourceProject: string | null = null;
const listeners = new Set<Listener>();
const statusListeners = new Set<(connected: boolean) => void>();
let connected = false;

function setConnected(value: boolean) {
  connected = value;
  statusListeners.forEach((l) => l(value));
}

export function connectLive(project: string | null) {
  if (project === sourceProject) return;
  source?.close();
  source = null;
  sourceProject = project;
  setConnected(false);
  if (!project || typeof EventSource === 'undefined') return;
  const es = new EventSource(api.eventsUrl(project), { withCredentials: true });
  es.onopen = () => setConnected(true);
  es.onerror = () => setConnected(false); // EventSource retries by itself
  es.addEventListener('audit', (message) => {
    let event: AuditEvent;
    try { event = JSON.parse((message as MessageEvent).data); } catch { return; }
    listeners.forEach((l) => l(event));
  });
  source = es;
}

export function disconnectLive() {
  connectLive(null);
}

/** Calls refresh (at most every 300 ms) when a change in the project is recorded. */
export function useLiveRefresh(refresh: () => void, filter?: (event: AuditEvent) => boolean) {
  const latest = useRef({ refresh, filter });
  latest.current = { refresh, filter };
  useEffect(() => {
    let timer: number | undefined;
    const listener: Listener = (event) => {
      if (latest.current.filter && !latest.current.filter(event)) return;
      clearTimeout(timer);
      timer = setTimeout(() => latest.current.refresh(), 300) as unknown as number;
    };
    listeners.add(listener);
    return () => { listeners.delete(listener); clearTimeout(timer); };
  }, []);
}

export function useLiveStatus(): boolean {
  const [value, setValue] = useState(connected);
  useEffect(() => {
    statusListeners.add(setValue);
    setValue(connected); // the stream may have opened between the first render and now
    return () => { statusListeners.delete(setValue); };
  }, []);
  return value;
}
