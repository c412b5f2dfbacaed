import { useState } from 'preact/hooks';
import { api, type Project, type Token, type TokenKind } from '../api';
import { Empty, ErrorMessage, Loading, useLoad } from '../components/common';
import { ConfirmDialog } from '../components/dialogs';
import { ago, formatTime } from '../format';

export function TokensPage({ projects }: { projects: Project[] }) {
  const list = useLoad(() => api.tokens(), []);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<TokenKind>('sdk');
  const [project, setProject] = useState(projects[0]?.key ?? '');
  const [envs, setEnvs] = useState<string[]>([]);
  const [origins, setOrigins] = useState('');
  const [created, setCreated] = useState<{ token: Token; secret: string } | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [copied, setCopied] = useState(false);
  const environments = projects.find((p) => p.key === project)?.environments ?? [];
  const oneEnvironment = kind === 'sdk' || kind === 'client';

  const create = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    try {
      const body = kind === 'admin' ? { name: name.trim(), kind }
        : kind === 'client' ? { name: name.trim(), kind, project, environments: envs, origins: originsOf(origins) }
          : { name: name.trim(), kind, project, environments: envs };
      setCreated(await api.createToken(body));
      setCopied(false);
      setName('');
      setOrigins('');
      list.reload();
    } catch (e) { setError(e); }
  };

  return (
    <section>
      <h1>Tokens</h1>
      <p class="hint">SDK tokens read one environment’s flags; pipeline tokens record deployments and switch flags in their environments; admin tokens do everything. A secret is shown once, when it is created.</p>
      <p class="hint" id="client-token-hint">A client token is safe to put in a web page: it only evaluates the flags marked client-side, over OFREP, from the web origins listed on it.</p>
      <form class="card" onSubmit={create} aria-labelledby="new-token-title">
        <h2 id="new-token-title">New token</h2>
        <div class="row">
          <label class="field">Name <input name="name" required maxLength={100} value={name} placeholder="checkout service, production" onInput={(ev) => setName(ev.currentTarget.value)} /></label>
          <label class="field">Kind
            <select name="kind" value={kind} onChange={(ev) => { setKind(ev.currentTarget.value as TokenKind); setEnvs([]); }}>
              <option value="sdk">sdk</option><option value="client">client (web pages)</option><option value="pipeline">pipeline</option>
              <option value="admin">admin</option>
            </select>
          </label>
          {kind !== 'admin' && (
            <label class="field">Project
              <select name="project" value={project} onChange={(ev) => { setProject(ev.currentTarget.value); setEnvs([]); }}>
                {projects.map((p) => <option value={p.key}>{p.name}</option>)}
              </select>
            </label>
          )}
        </div>
        {kind !== 'admin' && (
          <fieldset class="plain">
            <legend>{oneEnvironment ? 'Environment (exactly one)' : 'Environments (at least one)'}</legend>
            <div class="radios">
              {environments.map((e) => (
                <label><input type={oneEnvironment ? 'radio' : 'checkbox'} name="environments" value={e.key} checked={envs.includes(e.key)}
                  onChange={(ev) => setEnvs(oneEnvironment ? [e.key] : ev.currentTarget.checked ? [...envs, e.key] : envs.filter((x) => x !== e.key))} /> {e.name}</label>
              ))}
            </div>
          </fieldset>
        )}
        {kind === 'client' && (
          <label class="field">Allowed origins <small>(one per line, as a browser sends them: scheme, host and port if not the usual one)</small>
            <textarea name="origins" rows={3} value={origins} placeholder={'https://shop.example.com\nhttps://staging.shop.example.com'}
              aria-describedby="client-token-hint" onInput={(ev) => setOrigins(ev.currentTarget.value)} />
          </label>
        )}
        <ErrorMessage error={error} />
        <button type="submit" class="primary">Create token</button>
      </form>
      {created && (
        <div class="card secret" role="status">
          <h2>Token “{created.token.name}” created</h2>
          <p>Copy the secret now: it is shown this once and cannot be shown again.</p>
          <p><code class="secret-value" data-testid="secret">{created.secret}</code></p>
          <button onClick={() => navigator.clipboard?.writeText(created.secret).then(() => setCopied(true), () => {})}>{copied ? 'Copied' : 'Copy'}</button>
          <button onClick={() => setCreated(null)}>Done</button>
        </div>
      )}
      <h2>All tokens</h2>
      <ErrorMessage error={list.error} />
      {!list.data && <Loading />}
      {list.data && list.data.length === 0 && <Empty>No tokens.</Empty>}
      {list.data && list.data.length > 0 && (
        <table class="list">
          <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Scope</th><th scope="col">Secret</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {list.data.map((t) => (
              <tr class={t.revokedAt ? 'revoked' : ''} data-token={t.id}>
                <th scope="row">{t.name}</th>
                <td>{t.kind}</td>
                <td>{t.project ? `${t.project} / ${t.environments.join(', ')}` : 'all projects'}
                  {t.kind === 'client' && <ul class="origins" aria-label="Allowed origins">{(t.origins ?? []).map((o) => <li><code>{o}</code></li>)}</ul>}</td>
                <td><code>{t.hint}</code></td>
                <td title={formatTime(t.createdAt)}>{ago(t.createdAt)} by {t.createdBy}</td>
                <td>{ago(t.lastUsedAt)}</td>
                <td>{t.revokedAt ? <span class="badge">revoked {ago(t.revokedAt)}</span>
                  : <button class="danger" onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>Revoke</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoking && (
        <ConfirmDialog title={`Revoke “${revoking.name}”?`} confirmLabel="Revoke" danger onClose={async (result) => {
          const token = revoking;
          setRevoking(null);
          if (!result) return;
          try { await api.revokeToken(token.id); list.reload(); } catch (e) { setError(e); }
        }}><p>{revoking.kind === 'client' ? 'Web pages using it are refused from now on and get their default values.'
          : 'Whoever uses it is refused from now on; SDK streams using it end.'}</p></ConfirmDialog>
      )}
    </section>
  );
}

/** The origins typed one per line (commas and spaces separate them too); empty lines dropped. */
function originsOf(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}
