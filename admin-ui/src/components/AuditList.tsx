import { useEffect, useState } from 'preact/hooks';
import { api, type AuditEvent } from '../api';
import { Diff } from './Diff';
import { Empty, ErrorMessage, Loading, useLoad } from './common';
import { formatTime } from '../format';
import { useLiveRefresh } from '../live';

export interface AuditFilter { flag?: string; segment?: string; environment?: string; deployment?: string; since?: string; until?: string }

/** The audit log (newest first) with before/after diffs; follows live changes. */
export function AuditList({ project, filter, limit = 50, version = '' }: {
  project: string; filter: AuditFilter; limit?: number;
  /** changes when the page knows of a change (its own writes), to reload without the live stream */
  version?: string;
}) {
  const key = JSON.stringify(filter) + version;
  const first = useLoad(() => api.audit(project, { ...filter, limit }), [project, key]);
  const [older, setOlder] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { setOlder([]); }, [project, key]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- a new first page sets the cursor, unless older pages were loaded
  useEffect(() => { if (older.length === 0) setNext(first.data?.next ?? null); }, [first.data]);
  useLiveRefresh(first.reload);

  const loadOlder = async () => {
    try {
      const page = await api.audit(project, { ...filter, limit, cursor: next });
      setOlder([...older, ...page.items]);
      setNext(page.next);
    } catch (e) { setError(e); }
  };

  const seen = new Set<number>();
  const events = [...(first.data?.items ?? []), ...older].filter((e) => !seen.has(e.seq) && seen.add(e.seq));
  if (!first.data && first.loading) return <Loading />;
  return (
    <div class="audit">
      <ErrorMessage error={first.error ?? error} />
      {first.data && events.length === 0 && <Empty>No changes recorded{Object.values(filter).some(Boolean) ? ' for these filters' : ''}.</Empty>}
      {events.length > 0 && (
        <ol class="audit-list">
          {events.map((ev) => (
            <li key={ev.seq} class="audit-event" data-action={ev.action}>
              <div class="audit-head">
                <span class="action">{ev.action}</span>
                <span class="target">{ev.targetKind} <code>{ev.targetKey}</code></span>
                {ev.environment && <span class="tag">{ev.environment}</span>}
                {ev.deploymentId != null && <span class="tag">deployment #{ev.deploymentId}</span>}
                <span class="actor">by {ev.actor}</span>
                <time dateTime={ev.at}>{formatTime(ev.at)}</time>
              </div>
              {ev.comment && <p class="comment">“{ev.comment}”</p>}
              {(ev.before !== undefined || ev.after !== undefined) && (
                <details>
                  <summary>Changes</summary>
                  <Diff before={ev.before} after={ev.after} />
                </details>
              )}
            </li>
          ))}
        </ol>
      )}
      {next && <button onClick={loadOlder}>Older changes</button>}
    </div>
  );
}
