import { useEffect, useState } from 'preact/hooks';
import { api, type Deployment, type Environment, type Release } from '../api';
import type { PageProps } from '../props';
import { Empty, ErrorMessage, Loading, useLoad } from '../components/common';
import { ConfirmDialog, FormDialog, Portal } from '../components/dialogs';
import { GuardCard } from '../components/GuardCard';
import { ago, formatTime } from '../format';
import { useLiveRefresh } from '../live';
import { count, plural } from '../plural';
import { useLocation } from '../router';
import { browserZone, continuations, describePlanned, describeWhen, formatAt, formatFromNow, knownZones, parseWhen, planSteps,
  type Clock, type PlannedStep, type StepDraft } from '../schedule';

const STATUSES = ['started', 'succeeded', 'failed', 'rolled_back'] as const;
/** How often guards' live state is read while a guarded release runs (the server looks every second). */
const GUARD_POLL_MILLIS = 2_000;

/** Only web links become links: a stored "javascript:" URL stays text. */
function safeUrl(url?: string): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}

/**
 * What pipelines shipped, newest first, with the flags each brought (dark until released), and
 * the release actions: release (at once or along a plan), pause, resume, roll back. Beside it,
 * the chosen environment's timeline of deployments and flag changes.
 */
export function DeploymentsPage({ project, canEdit }: PageProps) {
  const { query, setQuery } = useLocation();
  const env = query.get('environment') ?? '';
  const service = query.get('service') ?? '';
  const status = query.get('status') ?? '';
  const zone = query.get('zone') || browserZone();
  const now = useNow();
  const [serviceInput, setServiceInput] = useState(service);
  const list = useLoad(() => api.deployments(project.key, { environment: env || undefined, service: service || undefined,
    status: status || undefined, limit: 50 }), [project.key, env, service, status]);
  const timelineEnv = env || (project.environments.find((e) => e.production) ?? project.environments[0])?.key;
  const timeline = useLoad(() => api.timeline(project.key, timelineEnv, { limit: 30 }), [project.key, timelineEnv]);
  const [error, setError] = useState<unknown>(null);
  useLiveRefresh(() => { list.reload(); timeline.reload(); });
  // a guard's looks record nothing in the audit log until it acts: poll while one watches a running release
  const watched = list.data?.items.some((d) => d.release?.state === 'running' && (d.release.guards?.length ?? 0) > 0) ?? false;
  useEffect(() => {
    if (!watched) return;
    const t = setInterval(() => list.reload(), GUARD_POLL_MILLIS);
    return () => clearInterval(t);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- list.reload follows the filters; restarting on each render would never fire
  }, [watched, project.key, env, service, status]);
  useEffect(() => {
    const t = setTimeout(() => { if (serviceInput.trim() !== service) setQuery({ service: serviceInput.trim() || undefined }); }, 300);
    return () => clearTimeout(t);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- writes what is typed (debounced); a change of the address alone writes nothing back
  }, [serviceInput]);

  const replaced = (d: Deployment) => {
    setError(null);
    if (list.data) list.setData({ ...list.data, items: list.data.items.map((x) => (x.id === d.id ? d : x)) });
    timeline.reload();
  };

  return (
    <section>
      <h1>Deployments</h1>
      <form class="filters" onSubmit={(ev) => ev.preventDefault()} aria-label="Filter deployments">
        <label class="field">Environment
          <select name="environment" value={env} onChange={(ev) => setQuery({ environment: ev.currentTarget.value || undefined })}>
            <option value="">all environments</option>
            {project.environments.map((e) => <option value={e.key}>{e.name}</option>)}
          </select>
        </label>
        <label class="field">Service
          <input type="search" name="service" value={serviceInput} onInput={(ev) => setServiceInput(ev.currentTarget.value)} />
        </label>
        <label class="field">Status
          <select name="status" value={status} onChange={(ev) => setQuery({ status: ev.currentTarget.value || undefined })}>
            <option value="">any status</option>
            {STATUSES.map((s) => <option value={s}>{s.replace('_', ' ')}</option>)}
          </select>
        </label>
        <label class="field">Times in
          <select name="zone" value={zone} onChange={(ev) => setQuery({ zone: ev.currentTarget.value === browserZone() ? undefined : ev.currentTarget.value })}>
            {zoneChoices(zone).map((z) => <option value={z}>{z === browserZone() ? `${z} (this browser)` : z}</option>)}
          </select>
        </label>
      </form>
      <ErrorMessage error={error ?? list.error} />
      <div class="deploy-layout">
        <div>
          {!list.data && list.loading && <Loading />}
          {list.data && list.data.items.length === 0 && (
            <Empty>No deployments{env || service || status ? ' match these filters' : ' yet'}. Pipelines record them with
              POST /api/v1/projects/{project.key}/deployments.</Empty>
          )}
          <ol class="deployments">
            {list.data?.items.map((d) => (
              <DeploymentCard key={d.id} project={project.key} deployment={d} canEdit={canEdit} onChanged={replaced} onError={setError}
                clock={{ now, zone }}
                environment={project.environments.find((e) => e.key === d.environment)} />
            ))}
          </ol>
        </div>
        <aside class="timeline" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Timeline of {project.environments.find((e) => e.key === timelineEnv)?.name ?? timelineEnv}</h2>
          <ErrorMessage error={timeline.error} />
          {timeline.data && timeline.data.items.length === 0 && <p class="hint">Nothing happened here yet.</p>}
          <ol class="timeline-list">
            {timeline.data?.items.map((t) => (
              <li key={t.seq} data-kind={t.kind}>
                <time dateTime={t.at} title={formatTime(t.at)}>{ago(t.at)}</time>
                <span class="summary">{t.summary}</span>
                <span class="actor">{t.actor}</span>
                {t.comment && <span class="comment">“{t.comment}”</span>}
              </li>
            ))}
          </ol>
        </aside>
      </div>
    </section>
  );
}

/** The time now, ticking every 15 s, so "in 10 minutes" counts down. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 15_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** The zones offered: the chosen one and the browser's first, then every zone the browser knows. */
function zoneChoices(chosen: string): string[] {
  return [...new Set([browserZone(), chosen, 'UTC', ...knownZones()])];
}

/** The share the next step of a release brings, if it has one left. */
function nextShare(release: Release): number | null {
  return release.steps.find((s) => !s.appliedAt)?.percentage ?? null;
}

function DeploymentCard({ project, deployment: d, environment, canEdit, onChanged, onError, clock }: {
  project: string; deployment: Deployment; environment?: Environment; canEdit: boolean; onChanged: (d: Deployment) => void;
  onError: (e: unknown) => void; clock: Clock;
}) {
  const [dialog, setDialog] = useState<null | 'release' | 'rollback' | 'failed'>(null);
  const [continuing, setContinuing] = useState<number | null>(null);
  const url = safeUrl(d.url);
  const release = d.release ?? null;
  const act = (call: Promise<Deployment>) => call.then(onChanged, onError);
  const open = d.status !== 'rolled_back' && d.status !== 'failed';
  const flagsHref = (key: string) => `/projects/${encodeURIComponent(project)}/flags/${encodeURIComponent(key)}?env=${encodeURIComponent(d.environment)}`;

  return (
    <li class="deployment card" data-deployment={d.id}>
      <div class="title-row">
        <h2>{d.service} <span class="version">{d.version}</span> → {d.environment}</h2>
        <span class={`badge status-${d.status}`} data-status={d.status}>{d.status.replace('_', ' ')}</span>
      </div>
      <p class="meta">
        #{d.id} · {formatTime(d.createdAt)} by {d.actor}
        {d.commit && <> · commit <code>{d.commit}</code></>}
        {url ? <> · <a href={url} rel="noopener noreferrer" target="_blank">pipeline run</a></> : d.url ? <> · <code>{d.url}</code></> : null}
      </p>
      {d.flags.length === 0 ? <p class="hint">No flags shipped with it.</p> : (
        <ul class="shipped">
          {d.flags.map((f) => (
            <li data-flag={f.key}>
              {f.exists ? <a href={flagsHref(f.key)}>{f.key}</a> : <span>{f.key} (deleted)</span>}
              {' '}<span class={f.on ? 'state on' : 'state'}>{f.on ? `on · ${f.percentage} %` : 'off'}</span>
              {f.created && <span class="tag">new</span>}
            </li>
          ))}
        </ul>
      )}
      {release && <Plan deployment={d} release={release} clock={clock} />}
      {canEdit && (
        <div class="actions start">
          {open && (!release || release.state === 'cancelled') && <button class="primary" onClick={() => setDialog('release')}>Release…</button>}
          {release?.state === 'running' && <button onClick={() => act(api.pauseRelease(project, d.id))}>Pause release</button>}
          {release?.state === 'paused' && <button onClick={() => act(api.resumeRelease(project, d.id))}>
            {nextShare(release) === null ? 'Resume release' : `Continue to ${nextShare(release)} %`}</button>}
          {open && release?.state === 'completed' && continuations(release.percentage).map((p) => (
            <button onClick={() => setContinuing(p)}>Continue to {p} %</button>
          ))}
          {d.status === 'started' && <button onClick={() => act(api.reportDeployment(project, d.id, 'succeeded'))}>Report succeeded</button>}
          {(d.status === 'started' || d.status === 'succeeded') && <button onClick={() => setDialog('failed')}>Report failed…</button>}
          {d.status !== 'rolled_back' && d.flags.length > 0 && <button class="danger" onClick={() => setDialog('rollback')}>Roll back…</button>}
        </div>
      )}
      {dialog === 'failed' && (
        <ConfirmDialog title={`Report ${d.service} ${d.version} in ${d.environment} as failed?`} confirmLabel="Report failed"
          danger={!!environment?.rollbackOnFailure && d.flags.length > 0} withComment
          onClose={(result) => { setDialog(null); if (result) act(api.reportDeployment(project, d.id, 'failed', result.comment || undefined)); }}>
          {environment?.rollbackOnFailure
            ? d.flags.length > 0
              ? <p class="policy-warning"><strong>{environment.name} rolls failed deployments back:</strong> its {count(d.flags.length, 'flag')}
                  {' '}({d.flags.map((f) => f.key).join(', ')}) will be switched off at once, and a running
                  release stops. The change is audited as made by the failure policy.</p>
              : <p>{environment.name} rolls failed deployments back, but this one shipped no flags: nothing is switched.</p>
            : <p>{environment?.name ?? d.environment} does not roll failed deployments back: its flags stay as they are.
                Use “Roll back” to switch them off.</p>}
        </ConfirmDialog>
      )}
      {continuing !== null && release && <ContinueDialog deployment={d} reached={release.percentage} to={continuing} clock={clock}
        onClose={(plan) => {
          setContinuing(null);
          if (plan) act(api.release(project, d.id, plan.steps, plan.comment || undefined));
        }} />}
      {dialog === 'release' && <ReleaseDialog deployment={d} clock={clock} onClose={(plan) => {
        setDialog(null);
        if (plan) act(api.release(project, d.id, plan.steps, plan.comment || undefined));
      }} />}
      {dialog === 'rollback' && (
        <ConfirmDialog title={`Roll back ${d.service} ${d.version} in ${d.environment}?`} confirmLabel="Roll back" danger withComment
          onClose={(result) => { setDialog(null); if (result) act(api.rollback(project, d.id, result.comment || undefined)); }}>
          <p>Its {count(d.flags.length, 'flag')} ({d.flags.map((f) => f.key).join(', ')}) {plural(d.flags.length, 'is', 'are')} switched
            off in one change that applications apply at once; a running release stops. Nothing is redeployed.</p>
        </ConfirmDialog>
      )}
    </li>
  );
}

/**
 * The release as it stands: its plan's state, a bar for the share served the new code now (from
 * the shipped flags' own state, so a rollback or a flag switched off shows as 0 %), and its steps
 * (a step that will not come, after a rollback or cancellation, says so instead of a due time).
 */
function Plan({ deployment: d, release, clock }: { deployment: Deployment; release: Release; clock: Clock }) {
  const flags = d.flags.filter((f) => f.exists);
  const served = Math.max(0, ...flags.map((f) => (f.on ? f.percentage : 0)));
  const stopped = d.status === 'rolled_back' || release.state === 'cancelled';
  const on = flags.filter((f) => f.on).length;
  const offNow = `${plural(flags.length, 'its flag is', 'its flags are')} off`;
  // a rollback or cancellation switched them off; a person may have switched some on since
  const sinceStopped = on === 0 ? offNow : `${count(on, 'flag')} ${plural(on, 'is', 'are')} on again`;
  return (
    <div class="plan" data-release-state={release.state}>
      <p class="plan-state">
        {d.status === 'rolled_back'
          ? <>Rolled back: {sinceStopped} (the release had reached {release.percentage} %)</>
          : release.state === 'cancelled'
            ? <>Release cancelled at {release.percentage} %: {sinceStopped}</>
            : <>Release <strong>{release.state}</strong> at <strong class="pct">{release.percentage} %</strong>
              {release.nextStepAt && release.state === 'running' && <> · next step {formatFromNow(new Date(release.nextStepAt), clock.now)}</>}
              {on === 0 && flags.length > 0 && <> · {offNow} now</>}</>}
      </p>
      {release.state === 'paused' && (release.pauseReason || release.pausedBy) && (
        <p class="hint pause-reason">{release.pauseReason ?? `paused by ${release.pausedBy}`}
          {release.pausedAt && <> · {formatTime(release.pausedAt)}</>}. It moves again only when someone resumes it.</p>
      )}
      <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={served}
        aria-label="Share of contexts served the new code now">
        <span style={{ width: `${Math.min(100, served)}%` }} />
      </div>
      {release.steps.length > 0 && (
        <ol class="steps">
          {release.steps.map((s) => (
            <li class={s.appliedAt ? 'done' : stopped ? 'cancelled' : ''} title={s.dueAt && !s.appliedAt ? formatTime(s.dueAt) : undefined}>
              {s.percentage} % {s.appliedAt ? `· applied ${formatAt(new Date(s.appliedAt), clock)}`
                : stopped ? '· cancelled'
                  : release.state === 'paused' ? `· waits until the release is resumed${s.after ? `, then ${describePlanned(s, clock)}` : ''}`
                    : s.dueAt ? `· ${formatFromNow(new Date(s.dueAt), clock.now)}, ${formatAt(new Date(s.dueAt), clock)}`
                      : s.after ? `· ${describePlanned(s, clock)} the step before` : s.at ? `· ${describePlanned(s, clock)}` : ''}
            </li>
          ))}
        </ol>
      )}
      {release.waiting && <p class="hint waiting">{release.waiting[0].toUpperCase() + release.waiting.slice(1)}.</p>}
      {release.guards && release.guards.length > 0 && (
        <ol class="guards" aria-label="Guards">
          {release.guards.map((g, i) => <GuardCard guard={g} deployment={d} index={i} />)}
        </ol>
      )}
    </div>
  );
}

/** What a step's time reads as, said back under the field, or why it cannot be read. */
function readWhen(text: string, index: number, clock: Clock): { reading: string; bad: boolean } {
  try {
    const when = parseWhen(text, clock);
    if (when.kind === 'now') return index === 0 ? { reading: 'at once', bad: false } : { reading: 'needs a time', bad: true };
    if (when.kind === 'at') return { reading: `${formatFromNow(when.time, clock.now)}, ${formatAt(when.time, clock)}`, bad: false };
    return { reading: `${describeWhen(when, clock)}, counted from the step before`, bad: false };
  } catch (e) {
    return { reading: (e as Error).message, bad: true };
  }
}

/** The steps being written, and what each one's time reads as (or why it cannot be read). */
function StepFields({ steps, setSteps, clock, addLabel }: {
  steps: StepDraft[]; setSteps: (steps: StepDraft[]) => void; clock: Clock; addLabel?: string;
}) {
  const set = (i: number, change: Partial<StepDraft>) => setSteps(steps.map((s, j) => (j === i ? { ...s, ...change } : s)));
  return (
    <fieldset>
      <legend>Steps: say when in words — “now”, “in 10 minutes”, “after 1 hour” (after the step before), “at 09:00 tomorrow”.
        Times are in {clock.zone}.</legend>
      {steps.map((s, i) => {
        const { reading, bad } = readWhen(s.when, i, clock);
        return (
          <div class="row step" key={i}>
            <label class="field narrow">Step {i + 1} %
              <input type="number" min={0.001} max={100} step={0.001} required value={s.percentage} onInput={(ev) => set(i, { percentage: ev.currentTarget.value })} />
            </label>
            <div class="field when">
              <label for={`when-${i}`}>Step {i + 1} when</label>
              <input id={`when-${i}`} name={`when-${i}`} value={s.when} placeholder={i === 0 ? 'now' : 'after 10 minutes'} size={24}
                aria-describedby={`when-reading-${i}`} aria-invalid={bad} onInput={(ev) => set(i, { when: ev.currentTarget.value })} />
              <small id={`when-reading-${i}`} class={bad ? 'when-reading bad' : 'when-reading'}>{reading}</small>
            </div>
            {steps.length > 1 && <button type="button" class="link" onClick={() => setSteps(steps.filter((_, j) => j !== i))} aria-label={`Remove step ${i + 1}`}>Remove</button>}
          </div>
        );
      })}
      <button type="button" onClick={() => setSteps([...steps, { percentage: '100', when: 'after 1 hour' }])}>{addLabel ?? 'Add step'}</button>
    </fieldset>
  );
}

function ReleaseDialog({ deployment, clock, onClose }: {
  deployment: Deployment; clock: Clock; onClose: (plan: { steps?: PlannedStep[]; comment: string } | null) => void;
}) {
  const [mode, setMode] = useState<'now' | 'plan'>('plan');
  const [steps, setSteps] = useState<StepDraft[]>([{ percentage: '1', when: 'now' }, { percentage: '10', when: 'after 10 minutes' },
    { percentage: '100', when: 'after 1 hour' }]);

  const submit = (comment: string) => {
    if (mode === 'now') { onClose({ comment }); return; }
    onClose({ steps: planSteps(steps, { ...clock, now: new Date() }), comment });
  };

  return (
    <FormDialog titleId="release-title" title={<>Release {deployment.service} {deployment.version} in {deployment.environment}</>}
      submitLabel="Start release" wide withComment onSubmit={submit} onCancel={() => onClose(null)}>
      <div class="radios" role="radiogroup" aria-label="How to release">
        <label><input type="radio" name="mode" checked={mode === 'plan'} onChange={() => setMode('plan')} /> along a plan</label>
        <label><input type="radio" name="mode" checked={mode === 'now'} onChange={() => setMode('now')} /> everyone at once</label>
      </div>
      {mode === 'plan' && <StepFields steps={steps} setSteps={setSteps} clock={clock} />}
      <p class="hint">Flags: {deployment.flags.map((f) => f.key).join(', ') || 'none'}. Rollouts are sticky: raising a share only adds users.</p>
    </FormDialog>
  );
}

/** Continues a completed release along a new plan, from the share it reached (one step by default, at once). */
function ContinueDialog({ deployment, reached, to, clock, onClose }: {
  deployment: Deployment; reached: number; to: number; clock: Clock;
  onClose: (plan: { steps: PlannedStep[]; comment: string } | null) => void;
}) {
  const [steps, setSteps] = useState<StepDraft[]>([{ percentage: String(to), when: 'now' }]);
  return (
    <Portal>
      <FormDialog titleId="continue-title" title={<>Continue {deployment.service} {deployment.version} in {deployment.environment} to {to} %</>}
        submitLabel={`Continue to ${to} %`} wide withComment onCancel={() => onClose(null)}
        onSubmit={(comment) => onClose({ steps: planSteps(steps, { ...clock, now: new Date() }, reached), comment })}>
        <p>The release completed at {reached} %. It continues along these steps; the ones it took stay in its history.</p>
        <StepFields steps={steps} setSteps={setSteps} clock={clock} addLabel="Add a step" />
      </FormDialog>
    </Portal>
  );
}
