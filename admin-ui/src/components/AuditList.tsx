import { useEffect, useState } from 'preact/hooks';
import { api, auditEverywhere, type AuditEvent, type Variation } from '../api';
import { Diff } from './Diff';
import { Empty, ErrorMessage, Loading, useLoad } from './common';
import { actorName, tell, timeWithZone } from '../history';
import { useLiveRefresh } from '../live';

export interface AuditFilter {
  flag?: string; segment?: string; environment?: string; deployment?: string; since?: string; until?: string; actor?: string; action?: string;
}

/**
 * The variations of the flags the events are about, to name them in sentences ("25 % on"): a
 * configuration's event carries indexes only. Each flag is read once; one that is gone stays unnamed.
 */
function useVariations(events: AuditEvent[]): (project: string, flag: string) => Variation[] | undefined {
  const [known, setKnown] = useState<Record<string, Variation[] | null>>({});
  const id = (project: string, flag: string) => `${project}/${flag}`;
  const wanted = [...new Map(events.filter((e) => e.targetKind === 'flag').map((e) => [id(e.project, e.targetKey), e])).values()]
    .filter((e) => !(id(e.project, e.targetKey) in known));
  useEffect(() => {
    if (wanted.length === 0) return;
    setKnown((k) => ({ ...k, ...Object.fromEntries(wanted.map((e) => [id(e.project, e.targetKey), null])) }));
    for (const e of wanted) {
      api.flag(e.project, e.targetKey).then((flag) => setKnown((k) => ({ ...k, [id(e.project, e.targetKey)]: flag.variations })),
        () => { /* deleted: unnamed */ });
    }
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the flags asked for are the ones not known yet
  }, [wanted.map((e) => id(e.project, e.targetKey)).join('\n')]);
  return (project, flag) => known[id(project, flag)] ?? undefined;
}

/** The audit log (newest first) as sentences, with the recorded states behind "Details"; follows live changes. */
export function AuditList({ project, filter, limit = 50, version = '', everywhere = false }: {
  project: string; filter: AuditFilter; limit?: number;
  /** every project's events and the accounts' (users, admin tokens): admins only */
  everywhere?: boolean;
  /** changes when the page knows of a change (its own writes), to reload without the live stream */
  version?: string;
}) {
  const key = JSON.stringify(filter) + version + everywhere;
  const read = (cursor?: string | null) => (everywhere ? auditEverywhere({ ...filter, limit, cursor })
    : api.audit(project, { ...filter, limit, cursor }));
  const first = useLoad(() => read(), [project, key]);
  const [older, setOlder] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { setOlder([]); }, [project, key]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- a new first page sets the cursor, unless older pages were loaded
  useEffect(() => { if (older.length === 0) setNext(first.data?.next ?? null); }, [first.data]);
  useLiveRefresh(first.reload);

  const loadOlder = async () => {
    try {
      const page = await read(next);
      setOlder([...older, ...page.items]);
      setNext(page.next);
    } catch (e) { setError(e); }
  };

  const seen = new Set<number>();
  const events = [...(first.data?.items ?? []), ...older].filter((e) => !seen.has(e.seq) && seen.add(e.seq));
  const variationsOf = useVariations(events);
  if (!first.data && first.loading) return <Loading />;
  return (
    <div class="audit">
      <ErrorMessage error={first.error ?? error} />
      {first.data && events.length === 0 && <Empty>No changes recorded{Object.values(filter).some(Boolean) ? ' for these filters' : ''}.</Empty>}
      {events.length > 0 && (
        <ol class="audit-list">
          {events.map((ev) => {
            const story = tell(ev, (flag) => variationsOf(ev.project, flag));
            const about = subject(ev, filter, everywhere);
            return (
              <li key={ev.seq} class="audit-event" data-action={ev.action}>
                <p class="audit-sentence">{about && <>{about}: </>}<strong>{story.headline}</strong></p>
                {story.changes.length > 0 && <ul class="audit-changes">{story.changes.map((c) => <li>{c}</li>)}</ul>}
                <p class="audit-meta">
                  <span class="actor" title={ev.actor}>{actorName(ev.actor, ev.action)}</span>
                  {' · '}<time dateTime={ev.at} title={ev.at}>{timeWithZone(ev.at)}</time>
                </p>
                <details>
                  <summary>Details</summary>
                  <p class="audit-raw"><code>{ev.action}</code> on {ev.targetKind} <code>{ev.targetKey}</code>
                    {ev.environment && <> in <code>{ev.environment}</code></>}
                    {ev.deploymentId != null && <> · deployment #{ev.deploymentId}</>} · by <code>{ev.actor}</code> · event #{ev.seq}</p>
                  {(ev.before !== undefined || ev.after !== undefined) && <Diff before={ev.before} after={ev.after} />}
                </details>
              </li>
            );
          })}
        </ol>
      )}
      {next && <button onClick={loadOlder}>Older changes</button>}
    </div>
  );
}

/** What an event is about, where the list does not say: the flag (a link to it), and the project when the list spans all. */
function subject(ev: AuditEvent, filter: AuditFilter, everywhere: boolean) {
  const base = `/projects/${encodeURIComponent(ev.project)}`;
  const where = everywhere && ev.project !== '*' ? `${ev.project} · ` : '';
  if (ev.targetKind === 'flag' && !filter.flag && ev.action !== 'flag.delete') {
    return <>{where}<a href={`${base}/flags/${encodeURIComponent(ev.targetKey)}`}>{ev.targetKey}</a></>;
  }
  return where ? <>{ev.project}</> : null;
}
