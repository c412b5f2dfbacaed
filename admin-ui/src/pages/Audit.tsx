import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from '../props';
import { AuditList } from '../components/AuditList';
import { useLocation } from '../router';
import { ACTION_GROUPS, ACTION_LABELS } from '../history';

const FILTERS = ['everywhere', 'actor', 'action', 'flag', 'segment', 'environment', 'deployment', 'since', 'until'] as const;

/** The project's audit log; filters live in the address so a view can be shared. */
export function AuditPage({ project, session }: PageProps) {
  const admin = session.user.role === 'admin';
  const { query, setQuery } = useLocation();
  const current = Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ''])) as Record<typeof FILTERS[number], string>;
  const [form, setForm] = useState(current);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the form follows the address only when the address changes
  useEffect(() => setForm(current), [query.toString()]);
  const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);
  const filter = {
    flag: current.flag || undefined, segment: current.segment || undefined, environment: current.environment || undefined,
    deployment: current.deployment || undefined, since: toIso(current.since), until: toIso(current.until),
    actor: current.actor || undefined, action: current.action || undefined,
  };
  const apply = (ev: Event) => {
    ev.preventDefault();
    setQuery(Object.fromEntries(FILTERS.map((f) => [f, form[f].trim() || undefined])));
  };
  const input = (name: typeof FILTERS[number], label: string, type = 'text') => (
    <label class="field">{label}
      <input type={type} name={name} value={form[name]} onInput={(ev) => setForm({ ...form, [name]: ev.currentTarget.value })} />
    </label>
  );
  return (
    <section>
      <h1>Audit log</h1>
      <form class="filters" onSubmit={apply} aria-label="Filter the audit log">
        {admin && (
          <label class="field check"><input type="checkbox" name="everywhere" checked={form.everywhere === 'yes'}
            onChange={(ev) => setForm({ ...form, everywhere: ev.currentTarget.checked ? 'yes' : '' })} />
            All projects, users and tokens</label>
        )}
        {input('actor', 'Who (email or token name)')}
        <label class="field">What
          <select name="action" value={form.action} onChange={(ev) => setForm({ ...form, action: ev.currentTarget.value })}>
            <option value="">any change</option>
            <optgroup label="Kinds of change">
              {ACTION_GROUPS.map((g) => <option value={g.value}>{g.label}</option>)}
            </optgroup>
            <optgroup label="One action">
              {Object.entries(ACTION_LABELS).map(([value, label]) => <option value={value}>{label} ({value})</option>)}
            </optgroup>
          </select>
        </label>
        {input('flag', 'Flag')}
        {input('segment', 'Segment')}
        <label class="field">Environment
          <select name="environment" value={form.environment} onChange={(ev) => setForm({ ...form, environment: ev.currentTarget.value })}>
            <option value="">any</option>
            {project.environments.map((e) => <option value={e.key}>{e.name}</option>)}
          </select>
        </label>
        {input('deployment', 'Deployment id')}
        {input('since', 'Since', 'datetime-local')}
        {input('until', 'Until', 'datetime-local')}
        <div class="actions"><button type="submit">Apply</button>
          <button type="button" onClick={() => setQuery(Object.fromEntries(FILTERS.map((f) => [f, undefined])))}>Clear</button></div>
      </form>
      <AuditList project={project.key} filter={filter} everywhere={admin && current.everywhere === 'yes'} />
    </section>
  );
}
