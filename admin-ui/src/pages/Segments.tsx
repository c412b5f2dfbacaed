import { useEffect, useState } from 'preact/hooks';
import { api, type Segment } from '../api';
import type { PageProps } from '../props';
import { ClausesEditor } from '../components/Clauses';
import { AuditList } from '../components/AuditList';
import { Empty, ErrorMessage, Loading, useLoad } from '../components/common';
import { ConfirmDialog, FormDialog } from '../components/dialogs';
import { fromSegmentDraft, newSegmentRuleDraft, toSegmentDraft, type SegmentDraft } from '../drafts/segmentConfig';
import { ago } from '../format';
import { useLiveRefresh } from '../live';
import { useLocation } from '../router';

export function SegmentsPage({ segmentKey, ...props }: PageProps & { segmentKey?: string }) {
  const { project, canEdit } = props;
  const { navigate } = useLocation();
  const list = useLoad(() => api.segments(project.key), [project.key]);
  const [creating, setCreating] = useState(false);
  useLiveRefresh(list.reload, (ev) => ev.targetKind === 'segment');
  const base = `/projects/${encodeURIComponent(project.key)}/segments`;

  if (segmentKey) return <SegmentDetail key={segmentKey} {...props} segmentKey={segmentKey} />;
  return (
    <section>
      <div class="title-row">
        <h1>Segments</h1>
        {canEdit && <button class="primary" onClick={() => setCreating(true)}>New segment</button>}
      </div>
      <p class="hint">Reusable groups of contexts, for rules with “in segment”. Members and rules are set per environment.</p>
      <ErrorMessage error={list.error} />
      {!list.data && list.loading && <Loading />}
      {list.data && list.data.length === 0 && <Empty>No segments yet.</Empty>}
      {list.data && list.data.length > 0 && (
        <ul class="cards">
          {list.data.map((s) => (
            <li><a href={`${base}/${encodeURIComponent(s.key)}`}>{s.name}</a> <code class="key">{s.key}</code>
              {s.description && <p class="hint">{s.description}</p>}</li>
          ))}
        </ul>
      )}
      {creating && <CreateSegment project={project.key} onClose={(key) => { setCreating(false); if (key) navigate(`${base}/${encodeURIComponent(key)}`); }} />}
    </section>
  );
}

function CreateSegment({ project, onClose }: { project: string; onClose: (key: string | null) => void }) {
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const submit = async () => {
    const s = await api.createSegment(project, { key: key.trim(), name: name.trim() || key.trim(), ...(description.trim() ? { description: description.trim() } : {}) });
    onClose(s.key);
  };
  return (
    <FormDialog titleId="new-segment-title" title="New segment" submitLabel="Create segment" onSubmit={submit} onCancel={() => onClose(null)}>
      <label class="field">Key <input name="key" required value={key} pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" onInput={(ev) => setKey(ev.currentTarget.value)} /></label>
      <label class="field">Name <input name="name" value={name} placeholder={key} onInput={(ev) => setName(ev.currentTarget.value)} /></label>
      <label class="field">Description <textarea name="description" rows={2} value={description} onInput={(ev) => setDescription(ev.currentTarget.value)} /></label>
    </FormDialog>
  );
}

function SegmentDetail({ project, canEdit, segmentKey }: PageProps & { segmentKey: string }) {
  const { query, setQuery, navigate } = useLocation();
  const env = project.environments.find((e) => e.key === query.get('env')) ?? project.environments[0];
  const segment = useLoad(() => api.segment(project.key, segmentKey), [project.key, segmentKey]);
  const config = useLoad(() => api.segmentConfig(project.key, segmentKey, env.key), [project.key, segmentKey, env.key]);
  const [draft, setDraft] = useState<SegmentDraft | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const dirty = !!(config.data && draft && JSON.stringify(toSegmentDraft(config.data.config)) !== JSON.stringify(draft));
  useEffect(() => { if (config.data) setDraft(toSegmentDraft(config.data.config)); }, [config.data]);
  useLiveRefresh(() => { if (!dirty) config.reload(); segment.reload(); }, (ev) => ev.targetKind === 'segment' && ev.targetKey === segmentKey);
  const base = `/projects/${encodeURIComponent(project.key)}/segments`;

  if (segment.error && !segment.data) return <section><h1>{segmentKey}</h1><ErrorMessage error={segment.error} /></section>;
  if (!segment.data) return <Loading />;

  const save = async (ev: Event) => {
    ev.preventDefault();
    if (!draft || !config.data) return;
    setError(null);
    try {
      const body = { ...fromSegmentDraft(draft), ...(comment.trim() ? { comment: comment.trim() } : {}) };
      const view = await api.saveSegmentConfig(project.key, segmentKey, env.key, body, config.data.version);
      config.setData(view);
      setComment('');
      setSaved(true);
    } catch (e) { setError(e); }
  };

  return (
    <section>
      <p class="crumbs"><a href={base}>Segments</a> /</p>
      <div class="title-row">
        <h1>{segment.data.name}</h1>
        {canEdit && (
          <div class="actions">
            <button onClick={() => { setNotice(null); setEditing(true); }}>Edit name and description</button>
            <button class="danger" onClick={() => setDeleting(true)}>Delete segment</button>
          </div>
        )}
      </div>
      <p class="meta"><code class="key">{segment.data.key}</code></p>
      {segment.data.description && <p class="description">{segment.data.description}</p>}
      {notice && <p class="notice" role="status">{notice}</p>}
      {editing && <EditSegment project={project.key} segment={segment.data}
        onReload={() => api.segment(project.key, segmentKey).then((fresh) => { segment.setData(fresh); return fresh; })}
        onClose={(saved) => { setEditing(false); if (saved) { segment.setData(saved); setNotice('Name and description saved.'); } }} />}
      <div class="env-tabs" role="tablist" aria-label="Environment">
        {project.environments.map((e) => (
          <button role="tab" aria-selected={e.key === env.key} class={e.key === env.key ? 'tab active' : 'tab'} onClick={() => { setSaved(false); setQuery({ env: e.key }); }}>{e.name}</button>
        ))}
      </div>
      <ErrorMessage error={config.error} />
      {!draft ? <Loading /> : (
        <form class="config" onSubmit={save} aria-labelledby="members-title">
          <h2 id="members-title">Members in {env.name}</h2>
          <p class="hint">Version {config.data?.version}, changed {ago(config.data?.updatedAt)}. A context is a member when its key is included, or else when its key is not excluded and it matches any rule.</p>
          <fieldset class="plain" disabled={!canEdit}>
            <div class="row">
              <label class="field grow">Included keys <small>(one per line)</small>
                <textarea rows={3} value={draft.included} onInput={(ev) => { setSaved(false); setDraft({ ...draft, included: ev.currentTarget.value }); }} /></label>
              <label class="field grow">Excluded keys
                <textarea rows={3} value={draft.excluded} onInput={(ev) => { setSaved(false); setDraft({ ...draft, excluded: ev.currentTarget.value }); }} /></label>
            </div>
            <h3>Rules <small>(any one matching makes a member)</small></h3>
            <ol class="rules">
              {draft.rules.map((r, i) => (
                <li class="rule">
                  <div class="rule-head"><strong>Rule {i + 1}</strong><span class="spacer" />
                    <button type="button" class="link" onClick={() => setDraft({ ...draft, rules: draft.rules.filter((_, j) => j !== i) })}>Remove</button></div>
                  <ClausesEditor clauses={r.clauses} segments={[]} allowSegments={false} idPrefix={`s${i}`}
                    onChange={(clauses) => { setSaved(false); setDraft({ ...draft, rules: draft.rules.map((x, j) => (j === i ? { ...x, clauses } : x)) }); }} />
                </li>
              ))}
            </ol>
            <button type="button" onClick={() => setDraft({ ...draft, rules: [...draft.rules, newSegmentRuleDraft()] })}>Add rule</button>
            {canEdit && (
              <div class="save-bar">
                <label class="field grow">Comment for the audit log <input value={comment} onInput={(ev) => setComment(ev.currentTarget.value)} /></label>
                <button type="submit" class="primary" disabled={!dirty}>Save {env.name}</button>
              </div>
            )}
          </fieldset>
          {saved && !dirty && <p class="notice" role="status">Saved.</p>}
          <ErrorMessage error={error} onReload={() => { setError(null); config.reload(); }} />
        </form>
      )}
      <h2>History</h2>
      <AuditList project={project.key} filter={{ segment: segmentKey }} limit={20} />
      {deleting && (
        <ConfirmDialog title={`Delete segment “${segment.data.name}”?`} confirmLabel="Delete" danger onClose={async (result) => {
          setDeleting(false);
          if (!result) return;
          try { await api.deleteSegment(project.key, segmentKey); navigate(base); } catch (e) { setError(e); }
        }}><p>Flags whose rules use it must stop using it first.</p></ConfirmDialog>
      )}
    </section>
  );
}

/** Renames a segment and changes its description (its key stays); If-Match, so a 412 offers a reload. */
function EditSegment({ project, segment, onClose, onReload }: {
  project: string; segment: Segment; onClose: (saved: Segment | null) => void; onReload: () => Promise<Segment>;
}) {
  const [base, setBase] = useState(segment);
  const [name, setName] = useState(segment.name);
  const [description, setDescription] = useState(segment.description ?? '');
  const reload = async () => {
    const fresh = await onReload();
    setBase(fresh); setName(fresh.name); setDescription(fresh.description ?? '');
  };
  const submit = async () => {
    onClose(await api.updateSegment(project, base.key, { key: base.key, name: name.trim(),
      ...(description.trim() ? { description: description.trim() } : {}) }, base.version));
  };
  return (
    <FormDialog titleId="edit-segment-title" title={<>Edit segment “{base.name}”</>} submitLabel="Save"
      onSubmit={submit} onCancel={() => onClose(null)} onReload={reload}>
      <p class="hint">Its key <code>{base.key}</code> stays, so rules that use it keep working.</p>
      <label class="field">Name <input name="name" required maxLength={200} value={name} onInput={(ev) => setName(ev.currentTarget.value)} /></label>
      <label class="field">Description <textarea name="description" rows={3} maxLength={2000} value={description}
        onInput={(ev) => setDescription(ev.currentTarget.value)} /></label>
    </FormDialog>
  );
}
