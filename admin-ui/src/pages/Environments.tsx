import { useEffect, useState } from 'preact/hooks';
import { api, type Environment } from '../api';
import type { PageProps } from '../props';
import { ErrorMessage } from '../components/common';
import { useLiveRefresh } from '../live';

/**
 * The project's environments: their names, which are production (the UI asks before changes
 * there), and the deployment failure policy. Editors and admins change them and add new ones.
 */
export function EnvironmentsPage({ project, canEdit, reloadProjects }: PageProps) {
  useLiveRefresh(() => { reloadProjects(); }, (ev) => ev.targetKind === 'environment' || ev.targetKind === 'project');
  return (
    <section>
      <h1>Environments</h1>
      <p class="hint">Each environment of {project.name} has its own flag configurations, segment members and SDK feed.
        Production environments ask for confirmation before a change.</p>
      <ul class="cards envs-list">
        {project.environments.map((env) => (
          <EnvironmentForm key={env.key} project={project.key} env={env} canEdit={canEdit} onSaved={reloadProjects} />
        ))}
      </ul>
      {canEdit && <AddEnvironment project={project.key} onAdded={reloadProjects} />}
    </section>
  );
}

interface Draft { name: string; production: boolean; rollbackOnFailure: boolean }
const draftOf = (env: Environment): Draft => ({ name: env.name, production: env.production, rollbackOnFailure: env.rollbackOnFailure });

function EnvironmentForm({ project, env, canEdit, onSaved }: {
  project: string; env: Environment; canEdit: boolean; onSaved: () => Promise<void>;
}) {
  const [base, setBase] = useState(env);
  const [draft, setDraft] = useState(draftOf(env));
  const [policyTouched, setPolicyTouched] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(base));
  // take a newer version from the server unless there are unsaved edits (saving those over it
  // then answers 412, which offers a reload)
  // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new version from the server is taken
  useEffect(() => { if (!dirty) { setBase(env); setDraft(draftOf(env)); } }, [env.version]);

  const reload = () => { setError(null); setBase(env); setDraft(draftOf(env)); setPolicyTouched(false); onSaved(); };
  const save = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    setSaved(false);
    try {
      const updated = await api.updateEnvironment(project, env.key, { name: draft.name.trim(), production: draft.production,
        rollbackOnFailure: draft.rollbackOnFailure }, base.version);
      setBase(updated);
      setDraft(draftOf(updated));
      setPolicyTouched(false);
      setSaved(true);
      await onSaved();
    } catch (e) { setError(e); }
  };
  const id = `env-${env.key}`;

  return (
    <li class="card" data-env={env.key}>
      <form onSubmit={save} aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>{base.name} <code class="key">{env.key}</code>{base.production && <span class="prod">prod</span>}</h2>
        <fieldset class="plain" disabled={!canEdit}>
          <label class="field">Name
            <input name="name" required maxLength={200} value={draft.name}
              onInput={(ev) => { setSaved(false); setDraft({ ...draft, name: ev.currentTarget.value }); }} />
          </label>
          <label class="field inline">
            <input type="checkbox" name="production" checked={draft.production} onChange={(ev) => {
              const production = ev.currentTarget.checked;
              setSaved(false);
              // the failure policy's default follows the mark, unless it was chosen here
              setDraft({ ...draft, production, rollbackOnFailure: policyTouched ? draft.rollbackOnFailure : production });
            }} />
            Production: changes here ask for confirmation first
          </label>
          <label class="field inline">
            <input type="checkbox" name="rollbackOnFailure" checked={draft.rollbackOnFailure} onChange={(ev) => {
              setSaved(false); setPolicyTouched(true); setDraft({ ...draft, rollbackOnFailure: ev.currentTarget.checked });
            }} />
            When a deployment here is reported failed, switch its flags off (roll it back)
          </label>
          <p class="hint">SDK feed revision {env.revision}. The failure policy is on by default in production environments.</p>
          {canEdit && (
            <div class="actions start">
              <button type="submit" class="primary" disabled={!dirty}>Save {base.name}</button>
              <button type="button" disabled={!dirty} onClick={() => { setError(null); setDraft(draftOf(base)); setPolicyTouched(false); }}>Discard</button>
            </div>
          )}
        </fieldset>
        {saved && !dirty && <p class="notice" role="status">Saved.</p>}
        <ErrorMessage error={error} onReload={reload} />
      </form>
    </li>
  );
}

function AddEnvironment({ project, onAdded }: { project: string; onAdded: () => Promise<void> }) {
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [production, setProduction] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<string | null>(null);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    setAdded(null);
    try {
      const env = await api.createEnvironment(project, { key: key.trim(), ...(name.trim() ? { name: name.trim() } : {}), production });
      setKey(''); setName(''); setProduction(false);
      setAdded(env.name);
      await onAdded();
    } catch (e) { setError(e); }
  };

  return (
    <form class="card" onSubmit={submit} aria-labelledby="add-env-title">
      <h2 id="add-env-title">Add an environment</h2>
      <p class="hint">Every flag starts off in it and every segment starts empty.</p>
      <div class="row">
        <label class="field">Key <input name="key" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" maxLength={100} value={key}
          onInput={(ev) => setKey(ev.currentTarget.value)} /></label>
        <label class="field">Name <input name="name" maxLength={200} value={name} placeholder={key}
          onInput={(ev) => setName(ev.currentTarget.value)} /></label>
        <label class="field inline"><input type="checkbox" name="production" checked={production}
          onChange={(ev) => setProduction(ev.currentTarget.checked)} /> Production</label>
      </div>
      <ErrorMessage error={error} />
      <div class="actions start"><button type="submit" class="primary">Add environment</button></div>
      {added && <p class="notice" role="status">{added} was added.</p>}
    </form>
  );
}
