import { useEffect, useState } from 'preact/hooks';
import { api, type Environment, type Flag, type FlagConfig, type FlagConfigView, type Segment } from '../api';
import type { PageProps } from '../props';
import { AuditList } from '../components/AuditList';
import { ClausesEditor } from '../components/Clauses';
import { OptionalVariationSelect, ServeEditor } from '../components/Serve';
import { Toggle } from '../components/Toggle';
import { EditFlagDialog } from '../components/FlagDefinition';
import { ClientSide } from '../components/ClientSide';
import { Evaluator } from '../components/Evaluator';
import { ErrorMessage, Loading, useLoad } from '../components/common';
import { ConfirmDialog } from '../components/dialogs';
import { AudienceLink, segmentNames } from '../components/Audience';
import { audience, audienceChange, type AudienceChange } from '../audience';
import { fromConfigDraft, moveRule, newRuleDraft, toConfigDraft, type ConfigDraft, type RuleDraft } from '../drafts/flagConfig';
import { staleness, variationLabel, writeOf } from '../flag';
import { ago, showValue } from '../format';
import { useLiveRefresh } from '../live';
import { useLocation } from '../router';

export function FlagPage({ project, canEdit, flagKey }: PageProps & { flagKey: string }) {
  const { query, setQuery, navigate } = useLocation();
  const envKey = query.get('env') ?? (project.environments.find((e) => !e.production) ?? project.environments[0])?.key;
  const env = project.environments.find((e) => e.key === envKey) ?? project.environments[0];
  const flag = useLoad(() => api.flag(project.key, flagKey), [project.key, flagKey]);
  const segments = useLoad(() => api.segments(project.key), [project.key]);
  const [error, setError] = useState<unknown>(null);
  const [deleting, setDeleting] = useState(false);
  const [editing, setEditing] = useState(false);
  const [archiving, setArchiving] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  useLiveRefresh(flag.reload, (ev) => ev.targetKind === 'flag' && ev.targetKey === flagKey);

  if (flag.error && !flag.data) return <section><h1>{flagKey}</h1><ErrorMessage error={flag.error} /></section>;
  if (!flag.data) return <Loading />;
  const f = flag.data;
  const stale = staleness(f);
  const flagsHref = `/projects/${encodeURIComponent(project.key)}/flags`;

  return (
    <section class="flag-page">
      <p class="crumbs"><a href={flagsHref}>Flags</a> /</p>
      <div class="title-row">
        <h1>{f.name}</h1>
        {canEdit && (
          <div class="actions">
            <button onClick={() => { setNotice(null); setEditing(true); }}>Edit definition</button>
            <button onClick={() => { setNotice(null); setArchiving(true); }}>{f.archived ? 'Unarchive' : 'Archive'}</button>
            <button class="danger" onClick={() => setDeleting(true)}>Delete flag</button>
          </div>
        )}
      </div>
      {f.archived && <p class="banner" role="note"><strong>Archived.</strong> Hidden from the flag list (its “archived” filter shows it)
        and not sent to SDKs: applications get their default value.</p>}
      <p class="meta">
        <code class="key">{f.key}</code> · {f.kind} · {f.lifecycle}{f.owner ? <> · owner {f.owner}</> : null}
        {f.tags.map((t) => <span class="tag">{t}</span>)}
        {stale && <span class="badge stale" title={stale}>stale</span>}
      </p>
      {f.description && <p class="description">{f.description}</p>}
      <ClientSide project={project.key} flag={f} disabled={!canEdit} onError={setError}
        onSaved={(saved, text) => { flag.setData(saved); setNotice(text); }} />
      <h2>Variations</h2>
      <ol class="variations" start={0}>
        {f.variations.map((v, i) => <li><code>{showValue(v.value)}</code>{v.name && <> — {v.name}</>}{v.description && <span class="hint"> {v.description}</span>} <span class="hint">(#{i})</span></li>)}
      </ol>
      {notice && <p class="notice" role="status">{notice}</p>}
      <h2>Environments</h2>
      <ErrorMessage error={error} onReload={() => { setError(null); flag.reload(); }} />
      <table class="envs">
        <thead><tr><th scope="col">Environment</th><th scope="col">State</th><th scope="col">Who gets it</th><th scope="col">Last evaluated</th></tr></thead>
        <tbody>
          {project.environments.map((e) => {
            const state = f.environments[e.key];
            return (
              <tr data-env={e.key}>
                <th scope="row"><a href={`?env=${encodeURIComponent(e.key)}`} aria-current={e.key === env.key ? 'true' : undefined}>{e.name}</a>{e.production && <span class="prod">prod</span>}</th>
                <td>{state && <Toggle project={project.key} flagKey={f.key} flagName={f.name} env={e} on={state.on} disabled={!canEdit}
                  onChanged={() => { setError(null); flag.reload(); }} onError={setError} />}</td>
                <td class="who">{state?.config && (
                  <AudienceLink href={`?env=${encodeURIComponent(e.key)}`} id={`audience-${e.key}`} label={`Who gets it in ${e.name}`}
                    audience={audience({ config: state.config, variations: f.variations, segments: segmentNames(segments.data), release: state.release })} />
                )}</td>
                <td>{ago(state?.lastEvaluatedAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div class="env-tabs" role="tablist" aria-label="Environment to configure">
        {project.environments.map((e) => (
          <button role="tab" aria-selected={e.key === env.key} class={e.key === env.key ? 'tab active' : 'tab'}
            onClick={() => setQuery({ env: e.key })}>{e.name}</button>
        ))}
      </div>
      <ConfigEditor key={`${f.key}/${env.key}`} project={project.key} flag={f} env={env} canEdit={canEdit}
        segments={segments.data ?? []} onSaved={() => flag.reload()} stateVersion={f.environments[env.key]?.version} />
      <Evaluator project={project.key} flag={f} envs={project.environments} />
      <h2>History</h2>
      <AuditList project={project.key} filter={{ flag: f.key }} limit={20}
        version={f.version + JSON.stringify(Object.values(f.environments).map((s) => s.version))} />
      {editing && (
        <EditFlagDialog project={project.key} flag={f}
          onReload={() => api.flag(project.key, f.key).then((fresh) => { flag.setData(fresh); return fresh; })}
          onClose={(saved) => {
            setEditing(false);
            if (saved) { flag.setData(saved); setNotice('The definition was saved.'); }
          }} />
      )}
      {archiving && (
        <ConfirmDialog title={f.archived ? `Unarchive “${f.name}”?` : `Archive “${f.name}”?`} confirmLabel={f.archived ? 'Unarchive' : 'Archive'}
          withComment onClose={async (result) => {
            setArchiving(false);
            if (!result) return;
            setError(null);
            try {
              const saved = await api.updateFlag(project.key, f.key,
                writeOf(f, { archived: !f.archived, ...(result.comment.trim() ? { comment: result.comment.trim() } : {}) }), f.version);
              flag.setData(saved);
              setNotice(saved.archived ? 'The flag is archived.' : 'The flag is back: listed, and sent to SDKs again.');
            } catch (e) { setError(e); }
          }}>
          {f.archived
            ? <p>It shows in the flag list again and SDKs get it again, with its configuration as it is in each environment.</p>
            : <p>It is hidden from the flag list and no longer sent to SDKs: applications get the default value their code gives.
              Its configuration is kept, and unarchiving brings it back.</p>}
        </ConfirmDialog>
      )}
      {deleting && (
        <ConfirmDialog title={`Delete “${f.name}”?`} confirmLabel="Delete" danger withComment onClose={async (result) => {
          setDeleting(false);
          if (!result) return;
          try {
            await api.deleteFlag(project.key, f.key, result.comment || undefined);
            navigate(flagsHref);
          } catch (e) { setError(e); }
        }}>
          <p>The flag and its configuration in every environment are removed. Applications then get their default value.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function ConfigEditor({ project, flag, env, canEdit, onSaved, stateVersion, segments }: {
  project: string; flag: Flag; env: Environment; canEdit: boolean; onSaved: () => void; stateVersion?: number; segments: Segment[];
}) {
  const config = useLoad(() => api.flagConfig(project, flag.key, env.key), [project, flag.key, env.key]);
  const others = useLoad(() => api.flags(project, { limit: 500 }).then((p) => p.items.filter((f) => f.key !== flag.key)), [project, flag.key]);
  const [base, setBase] = useState<FlagConfigView | null>(null);
  const [draft, setDraft] = useState<ConfigDraft | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  // a production save asks first, showing what the change does to who gets the flag
  const [confirming, setConfirming] = useState<AudienceChange | null>(null);

  const dirty = !!(base && draft && JSON.stringify(toConfigDraft(flag, base.config)) !== JSON.stringify(draft));

  // take the server's configuration when it is newer, keeping unsaved edits (their version is
  // refreshed only when untouched, so a save over someone else's change gets a 412 to resolve)
  useEffect(() => {
    if (!config.data) return;
    if (!draft || !dirty) {
      setBase(config.data);
      setDraft(toConfigDraft(flag, config.data.config));
    }
  // eslint-disable-next-line react-hooks/exhaustive-deps -- runs for each configuration loaded, not for each edit
  }, [config.data]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- a new version in the flag's state (a change elsewhere) loads the configuration again
  useEffect(() => { if (stateVersion !== undefined && base && stateVersion !== base.version) config.reload(); }, [stateVersion]);

  if (config.error && !config.data) return <ErrorMessage error={config.error} />;
  if (!draft || !base) return <Loading />;
  const variations = flag.variations;
  const set = (change: Partial<ConfigDraft>) => { setSaved(false); setDraft({ ...draft, ...change }); };

  const save = async () => {
    setError(null);
    let body: FlagConfig;
    try { body = fromConfigDraft(draft); } catch (e) { setError(e); return; }
    const text = comment;
    try {
      const view = await api.saveFlagConfig(project, flag.key, env.key, { ...body, ...(text.trim() ? { comment: text.trim() } : {}) }, base.version);
      setBase(view);
      setDraft(toConfigDraft(flag, view.config));
      setComment('');
      setSaved(true);
      onSaved();
    } catch (e) { setError(e); }
  };

  const submit = (ev: Event) => {
    ev.preventDefault();
    if (!env.production) { save(); return; }
    let after: FlagConfig;
    try { after = fromConfigDraft(draft); } catch (e) { setError(e); return; }
    setConfirming(audienceChange(base.config, after, { variations, segments: segmentNames(segments),
      flags: Object.fromEntries((others.data ?? []).map((o) => [o.key, o.variations])) }));
  };

  const ruleSet = (i: number, change: Partial<RuleDraft>) => set({ rules: draft.rules.map((r, j) => (j === i ? { ...r, ...change } : r)) });
  const move = (i: number, by: number) => set({ rules: moveRule(draft.rules, i, by) });

  return (
    <form class="config" onSubmit={submit} aria-label={`Configuration in ${env.name}`}>
      <h2>Configuration in {env.name}</h2>
      <p class="hint">Version {base.version}, changed {ago(base.updatedAt)}. Order: off → prerequisites → targets → rules → default rule.</p>
      <fieldset disabled={!canEdit} class="plain">
        <label class="field inline">
          <span><input type="checkbox" name="on" checked={draft.on} onChange={(ev) => set({ on: ev.currentTarget.checked })} /> Serving (on)</span>
        </label>
        <OptionalVariationSelect label="While off, serve" variations={variations} value={draft.offVariation} onChange={(offVariation) => set({ offVariation })} />

        <h3>Prerequisites</h3>
        {draft.prerequisites.length === 0 && <p class="hint">None: this flag does not depend on another.</p>}
        {draft.prerequisites.map((p, i) => {
          const other = others.data?.find((o) => o.key === p.flag);
          return (
            <div class="row" key={i}>
              <label class="field">Flag
                <select value={p.flag} onChange={(ev) => set({ prerequisites: draft.prerequisites.map((x, j) => j === i ? { flag: ev.currentTarget.value, variation: 0 } : x) })}>
                  {!other && <option value={p.flag}>{p.flag}</option>}
                  {(others.data ?? []).map((o) => <option value={o.key}>{o.name} ({o.key})</option>)}
                </select>
              </label>
              <label class="field">must serve
                <select value={String(p.variation)} onChange={(ev) => set({ prerequisites: draft.prerequisites.map((x, j) => j === i ? { ...x, variation: Number(ev.currentTarget.value) } : x) })}>
                  {(other?.variations ?? [{ value: p.variation }]).map((_, vi) => <option value={String(vi)}>{other ? variationLabel(other.variations, vi) : `#${vi}`}</option>)}
                </select>
              </label>
              <button type="button" class="link" onClick={() => set({ prerequisites: draft.prerequisites.filter((_, j) => j !== i) })}>Remove</button>
            </div>
          );
        })}
        {(others.data?.length ?? 0) > 0 && (
          <button type="button" onClick={() => set({ prerequisites: [...draft.prerequisites, { flag: others.data![0].key, variation: 0 }] })}>Add prerequisite</button>
        )}

        <h3>Individual targets</h3>
        <div class="targets">
          {variations.map((_, i) => (
            <label class="field">Serve {variationLabel(variations, i)} to context keys <small>(one per line)</small>
              <textarea rows={2} value={draft.targets[i]} onInput={(ev) => set({ targets: draft.targets.map((t, j) => (j === i ? ev.currentTarget.value : t)) })} />
            </label>
          ))}
        </div>

        <h3>Rules</h3>
        {draft.rules.length === 0 && <p class="hint">No rules: everyone gets the default rule.</p>}
        <ol class="rules">
          {draft.rules.map((r, i) => (
            <li class="rule" key={i}>
              <div class="rule-head">
                <strong>Rule {i + 1}</strong>
                <label class="field inline">id <input value={r.id} size={12} placeholder="optional" onInput={(ev) => ruleSet(i, { id: ev.currentTarget.value })} /></label>
                <span class="spacer" />
                <button type="button" class="link" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move rule ${i + 1} up`}>Up</button>
                <button type="button" class="link" disabled={i === draft.rules.length - 1} onClick={() => move(i, 1)} aria-label={`Move rule ${i + 1} down`}>Down</button>
                <button type="button" class="link" onClick={() => set({ rules: draft.rules.filter((_, j) => j !== i) })} aria-label={`Remove rule ${i + 1}`}>Remove</button>
              </div>
              <label class="field">Description <input value={r.description} onInput={(ev) => ruleSet(i, { description: ev.currentTarget.value })} /></label>
              <ClausesEditor clauses={r.clauses} segments={segments} idPrefix={`r${i}`} onChange={(clauses) => ruleSet(i, { clauses })} />
              <ServeEditor label="then serve" serve={r.serve} variations={variations} idPrefix={`r${i}-serve`} place={{ rule: true }}
                onChange={(serve) => ruleSet(i, { serve })} />
            </li>
          ))}
        </ol>
        <button type="button" onClick={() => set({ rules: [...draft.rules, newRuleDraft()] })}>Add rule</button>

        <h3>Default rule</h3>
        <ServeEditor label="Everyone else gets" serve={draft.fallthrough} variations={variations} idPrefix="fallthrough"
          place={{ rule: false, offVariation: draft.offVariation }} onChange={(fallthrough) => set({ fallthrough })} />

        {canEdit && (
          <div class="save-bar">
            <label class="field grow">Comment for the audit log
              <input name="comment" value={comment} maxLength={2000} onInput={(ev) => setComment(ev.currentTarget.value)} placeholder="why this change" />
            </label>
            <button type="button" disabled={!dirty} onClick={() => { setError(null); setDraft(toConfigDraft(flag, base.config)); }}>Discard</button>
            <button type="submit" class="primary" disabled={!dirty}>Save {env.name}</button>
          </div>
        )}
      </fieldset>
      {saved && !dirty && <p class="notice" role="status">Saved. Connected SDKs get the change over their stream within milliseconds.</p>}
      <ErrorMessage error={error} onReload={() => { setError(null); setDraft(null); config.reload(); }} />
      {confirming && (
        <ConfirmDialog title={`Change who gets “${flag.name}” in ${env.name}?`} confirmLabel={`Save ${env.name}`}
          danger={confirming.widening.length > 0} onClose={(result) => {
            setConfirming(null);
            if (result) save(); // with the comment typed beside the Save button: one comment box per change
          }}>
          <AudienceChangeText change={confirming} env={env} />
        </ConfirmDialog>
      )}
    </form>
  );
}

/** A production save's question: who gets the flag before → after, and each way the change widens that. */
function AudienceChangeText({ change, env }: { change: AudienceChange; env: Environment }) {
  const same = change.before.short === change.after.short && change.before.sentence === change.after.sentence;
  return (
    <>
      <p class="before-after" data-testid="before-after">
        <span class="before">{change.before.short}</span> → <strong class="after">{change.after.short}</strong>
      </p>
      <dl class="sentences">
        <dt>Now</dt><dd>{change.before.sentence}</dd>
        <dt>After saving</dt><dd>{same ? 'The same: this change does not alter who gets which value.' : change.after.sentence}</dd>
      </dl>
      {change.widening.length > 0 && (
        <div class="widening" role="note" data-testid="widening">
          <p><strong>This gives the flag to more people in {env.name}:</strong></p>
          <ul>{change.widening.map((w) => <li>{w}</li>)}</ul>
        </div>
      )}
      <p class="hint">{env.name} is a production environment: connected SDKs get the change within milliseconds.</p>
    </>
  );
}
