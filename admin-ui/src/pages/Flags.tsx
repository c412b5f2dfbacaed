import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, type Flag, type FlagKind } from '../api';
import type { PageProps } from '../props';
import { Toggle } from '../components/Toggle';
import { Empty, ErrorMessage, Loading, useLoad } from '../components/common';
import { ConfirmDialog, FormDialog } from '../components/dialogs';
import { AudienceLink, segmentNames } from '../components/Audience';
import { audience } from '../audience';
import { byLongestUnused, parseVariation, staleness, usageText, writeOf } from '../flag';
import { count, plural } from '../plural';
import { ago } from '../format';
import { useLiveRefresh } from '../live';
import { useLocation } from '../router';

export function FlagsPage({ project, canEdit }: PageProps) {
  const { query, setQuery, navigate } = useLocation();
  const q = query.get('q') ?? '';
  const tag = query.get('tag') ?? '';
  const envFilter = query.get('env') ?? '';
  const archived = query.get('archived') === 'true';
  const staleOnly = query.get('stale') === 'true';
  const sortUnused = query.get('sort') === 'unused';
  const [search, setSearch] = useState(q);
  const [creating, setCreating] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [pages, setPages] = useState<Flag[][]>([]);
  const knownTags = useRef(new Set<string>());

  useEffect(() => {
    const timer = setTimeout(() => { if (search !== q) setQuery({ q: search.trim() || undefined }); }, 250);
    return () => clearTimeout(timer);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- writes what is typed (debounced); a change of the address alone writes nothing back
  }, [search]);

  const filter = { q: q || undefined, tag: tag || undefined, archived: archived || undefined };
  const list = useLoad(() => api.flags(project.key, { ...filter, limit: 500 }), [project.key, q, tag, archived]);
  const segments = useLoad(() => api.segments(project.key).then(segmentNames), [project.key]);
  useEffect(() => setPages([]), [project.key, q, tag, archived]);
  useLiveRefresh(list.reload, (ev) => ev.targetKind === 'flag');

  const loaded = useMemo(() => [...(list.data?.items ?? []), ...pages.flat()], [list.data, pages]);
  // staleness is the server's reading (its clock); the filter and the order apply to the flags loaded
  const flags = useMemo(() => {
    const shown = staleOnly ? loaded.filter((f) => f.usage?.stale) : loaded;
    return sortUnused ? [...shown].sort(byLongestUnused) : shown;
  }, [loaded, staleOnly, sortUnused]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [archiving, setArchiving] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const selecting = canEdit && staleOnly && !archived;
  const chosen = flags.filter((f) => selected.has(f.key));
  const pick = (key: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(key); else next.delete(key);
    setSelected(next);
  };
  const archive = async (comment: string) => {
    setArchiving(false);
    setNotice(null);
    const failed: string[] = [];
    for (const flag of chosen) {
      try {
        await api.updateFlag(project.key, flag.key, writeOf(flag, { archived: true, ...(comment.trim() ? { comment: comment.trim() } : {}) }), flag.version);
      } catch (e) {
        failed.push(flag.key);
        setActionError(e);
      }
    }
    const done = chosen.length - failed.length;
    setSelected(new Set(failed));
    setNotice(`${count(done, 'flag')} archived${failed.length ? `; not archived: ${failed.join(', ')}` : ''}.`);
    list.reload();
  };
  // the variations of every flag loaded, to name what a prerequisite asks of another flag
  const variationsByKey = useMemo(() => Object.fromEntries(loaded.map((f) => [f.key, f.variations])), [loaded]);
  flags.forEach((f) => f.tags.forEach((t) => knownTags.current.add(t)));
  const tags = [...knownTags.current].sort();
  const envs = project.environments.filter((e) => !envFilter || e.key === envFilter);
  const [more, setMore] = useState<string | null>(null);
  useEffect(() => setMore(list.data?.next ?? null), [list.data]);

  const loadMore = async () => {
    if (!more) return;
    try {
      const page = await api.flags(project.key, { ...filter, limit: 500, cursor: more });
      setPages([...pages, page.items]);
      setMore(page.next);
    } catch (e) { setActionError(e); }
  };

  const replace = (key: string, env: string, on: boolean) => {
    const update = (f: Flag) => {
      if (f.key !== key) return f;
      const state = f.environments[env];
      return { ...f, environments: { ...f.environments, [env]: { ...state, on, ...(state.config ? { config: { ...state.config, on } } : {}) } } };
    };
    if (list.data) list.setData({ ...list.data, items: list.data.items.map(update) });
    setPages(pages.map((p) => p.map(update)));
  };

  return (
    <section>
      <div class="title-row">
        <h1>Flags</h1>
        {canEdit && <button class="primary" onClick={() => setCreating(true)}>New flag</button>}
      </div>
      <form class="filters" role="search" onSubmit={(ev) => ev.preventDefault()}>
        <label class="field">Search
          <input type="search" placeholder="key or name" value={search} onInput={(ev) => setSearch(ev.currentTarget.value)} />
        </label>
        <label class="field">Tag
          <select value={tag} onChange={(ev) => setQuery({ tag: ev.currentTarget.value || undefined })}>
            <option value="">any tag</option>
            {tags.map((t) => <option value={t}>{t}</option>)}
          </select>
        </label>
        <label class="field">Environment
          <select value={envFilter} onChange={(ev) => setQuery({ env: ev.currentTarget.value || undefined })}>
            <option value="">all environments</option>
            {project.environments.map((e) => <option value={e.key}>{e.name}</option>)}
          </select>
        </label>
        <label class="field">Show
          <select name="archived" value={archived ? 'true' : ''} onChange={(ev) => setQuery({ archived: ev.currentTarget.value || undefined })}>
            <option value="">active flags</option>
            <option value="true">archived flags</option>
          </select>
        </label>
        <label class="field inline"><input type="checkbox" name="stale" checked={staleOnly}
          onChange={(ev) => { setSelected(new Set()); setQuery({ stale: ev.currentTarget.checked ? 'true' : undefined }); }} />
          only stale temporary flags</label>
        <label class="field">Order
          <select name="sort" value={sortUnused ? 'unused' : ''} onChange={(ev) => setQuery({ sort: ev.currentTarget.value || undefined })}>
            <option value="">A to Z</option>
            <option value="unused">longest unused first</option>
          </select>
        </label>
      </form>
      {selecting && flags.length > 0 && (
        <div class="bulk-bar" role="region" aria-label="Clean up stale flags">
          <span>{chosen.length === 0 ? 'Select the flags to archive.' : `${count(chosen.length, 'flag')} selected`}</span>
          <button type="button" onClick={() => setSelected(new Set(chosen.length === flags.length ? [] : flags.map((f) => f.key)))}>
            {chosen.length === flags.length ? 'Select none' : 'Select all'}</button>
          <button type="button" class="danger" disabled={chosen.length === 0} onClick={() => setArchiving(true)}>Archive selected…</button>
        </div>
      )}
      {notice && <p class="notice" role="status">{notice}</p>}
      {archiving && (
        <ConfirmDialog title={`Archive ${count(chosen.length, 'flag')}?`} confirmLabel={`Archive ${count(chosen.length, 'flag')}`} danger withComment
          onClose={(result) => { if (result) void archive(result.comment); else setArchiving(false); }}>
          <p>{plural(chosen.length, 'It leaves', 'They leave')} the flag list and SDKs stop receiving {plural(chosen.length, 'it', 'them')};
            {' '}{plural(chosen.length, 'it', 'they')} can be unarchived from the “archived flags” view.</p>
          <ul class="bulk-list">{chosen.map((f) => <li>{f.name} <code>{f.key}</code> — {usageText(f) ?? 'no reading'}</li>)}</ul>
        </ConfirmDialog>
      )}
      <ErrorMessage error={actionError} />
      <ErrorMessage error={list.error} />
      {creating && <CreateFlag project={project.key} onClose={(created) => {
        setCreating(false);
        if (created) navigate(`/projects/${encodeURIComponent(project.key)}/flags/${encodeURIComponent(created)}`);
      }} />}
      {!list.data && list.loading && <Loading />}
      {list.data && flags.length === 0 && (
        <Empty>{staleOnly && !archived ? 'No stale temporary flags: every one was evaluated by an SDK this week.' : archived && !q && !tag ? 'No archived flags.' : q || tag ? 'No flag matches these filters.' : canEdit ? 'No flags yet. Create the first one with “New flag”.' : 'No flags yet.'}</Empty>
      )}
      {flags.length > 0 && (
        <table class="flags">
          <thead>
            <tr>
              <th scope="col">Flag</th>
              {envs.map((e) => <th scope="col" class="env">{e.name}{e.production && <span class="prod" title="production">prod</span>}</th>)}
            </tr>
          </thead>
          <tbody>
            {flags.map((flag) => {
              const stale = staleness(flag);
              const usage = usageText(flag);
              return (
                <tr key={flag.key} data-flag={flag.key}>
                  <th scope="row" class="flag-cell">
                    {selecting && <input type="checkbox" class="pick" checked={selected.has(flag.key)} aria-label={`Select ${flag.name}`}
                      onChange={(ev) => pick(flag.key, ev.currentTarget.checked)} />}
                    <a href={`/projects/${encodeURIComponent(project.key)}/flags/${encodeURIComponent(flag.key)}${envFilter ? `?env=${encodeURIComponent(envFilter)}` : ''}`} class="flag-name">{flag.name}</a>
                    <code class="key">{flag.key}</code>
                    {flag.tags.map((t) => <span class="tag">{t}</span>)}
                    {stale && <span class="badge stale" title={stale}>{usage ?? 'stale'}</span>}
                    {flag.archived && <span class="badge">archived</span>}
                  </th>
                  {envs.map((env) => {
                    const state = flag.environments[env.key];
                    const note = evaluatedNote(state?.lastEvaluatedAt);
                    const flagHref = `/projects/${encodeURIComponent(project.key)}/flags/${encodeURIComponent(flag.key)}?env=${encodeURIComponent(env.key)}`;
                    return (
                      <td class="env" data-env={env.key}>
                        <span class="env-label" aria-hidden="true">{env.name}</span>
                        {state ? (
                          <>
                            <Toggle project={project.key} flagKey={flag.key} flagName={flag.name} env={env} on={state.on}
                              disabled={!canEdit} onChanged={(on) => { setActionError(null); replace(flag.key, env.key, on); }}
                              onError={setActionError} />
                            {state.config && (
                              <AudienceLink href={flagHref} id={`audience-${flag.key}-${env.key}`} label={`${flag.name} in ${env.name}`}
                                audience={audience({ config: state.config, variations: flag.variations, segments: segments.data,
                                  flags: variationsByKey, release: state.release })} />
                            )}
                            {note && <span class="evaluated" title={state.lastEvaluatedAt ? new Date(state.lastEvaluatedAt).toLocaleString() : 'No SDK reported evaluating it here'}>
                              {note}</span>}
                          </>
                        ) : '—'}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {more && <p><button onClick={loadMore}>Load more flags</button></p>}
    </section>
  );
}

const STALE_AFTER = 7 * 86_400_000;

/** Only what says something: never evaluated, or not for a week; a recent evaluation is the normal case. */
function evaluatedNote(lastEvaluatedAt: string | undefined): string | null {
  if (!lastEvaluatedAt) return 'never evaluated';
  return Date.now() - new Date(lastEvaluatedAt).getTime() > STALE_AFTER ? `evaluated ${ago(lastEvaluatedAt)}` : null;
}

function CreateFlag({ project, onClose }: { project: string; onClose: (created: string | null) => void }) {
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<FlagKind>('boolean');
  const [variations, setVariations] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState('');

  const submit = async () => {
    const values = kind === 'boolean' ? [true, false]
      : variations.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => parseVariation(kind, l));
    const flag = await api.createFlag(project, {
      key: key.trim(), name: name.trim() || key.trim(), kind, variations: values.map((value) => ({ value })),
      ...(description.trim() ? { description: description.trim() } : {}),
      tags: tags.split(/[\s,]+/).filter(Boolean),
    });
    onClose(flag.key);
  };

  return (
    <FormDialog titleId="new-flag-title" title="New flag" submitLabel="Create flag" onSubmit={submit} onCancel={() => onClose(null)}>
      <label class="field">Key <small>(used in code; letters, digits, . _ -)</small>
        <input name="key" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" maxLength={100} value={key} onInput={(ev) => setKey(ev.currentTarget.value)} />
      </label>
      <label class="field">Name
        <input name="name" maxLength={200} value={name} placeholder={key} onInput={(ev) => setName(ev.currentTarget.value)} />
      </label>
      <label class="field">Kind
        <select name="kind" value={kind} onChange={(ev) => setKind(ev.currentTarget.value as FlagKind)}>
          <option value="boolean">boolean (on / off)</option>
          <option value="string">string</option>
          <option value="number">number</option>
          <option value="json">JSON</option>
        </select>
      </label>
      {kind !== 'boolean' && (
        <label class="field">Variations <small>(one value per line{kind === 'json' ? ', as JSON' : ''})</small>
          <textarea name="variations" rows={4} required value={variations} onInput={(ev) => setVariations(ev.currentTarget.value)} />
        </label>
      )}
      <label class="field">Description
        <textarea name="description" rows={2} maxLength={2000} value={description} onInput={(ev) => setDescription(ev.currentTarget.value)} />
      </label>
      <label class="field">Tags <small>(separated by spaces or commas)</small>
        <input name="tags" value={tags} onInput={(ev) => setTags(ev.currentTarget.value)} />
      </label>
      <p class="hint">The flag starts off in every environment.</p>
    </FormDialog>
  );
}
