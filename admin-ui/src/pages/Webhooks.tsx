import { useState } from 'preact/hooks';
import { ApiError, WEBHOOK_EVENTS, webhooksApi, type Webhook, type WebhookDelivery, type WebhookEventKind } from '../api';
import type { PageProps } from '../props';
import { Empty, ErrorMessage, Loading, useLoad } from '../components/common';
import { ConfirmDialog, FormDialog, Portal } from '../components/dialogs';
import { ago, formatTime } from '../format';
import { useLiveRefresh } from '../live';
import { count } from '../plural';

const EVENT_LABELS: Record<WebhookEventKind, string> = {
  flags: 'flag changes', segments: 'segment changes', environments: 'environment and project changes',
  deployments: 'deployments and releases', guards: 'what guards did',
};

/**
 * A project's outbound webhooks (editors and admins; the API refuses viewers, since a URL such as
 * a Slack one is a secret of its own): create, enable or disable, rotate the secret (shown once),
 * delete, and each one's delivery log with "send again".
 */
export function WebhooksPage({ project, canEdit }: PageProps) {
  const list = useLoad(() => (canEdit ? webhooksApi.list(project.key) : Promise.resolve([])), [project.key, canEdit]);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ webhook: Webhook; secret: string; rotated: boolean } | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [rotating, setRotating] = useState<Webhook | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  useLiveRefresh(() => { if (canEdit) list.reload(); });

  if (!canEdit || (list.error instanceof ApiError && list.error.status === 403)) {
    return (
      <section>
        <h1>Webhooks</h1>
        <p class="empty" role="note">Only editors and admins can see and change webhooks: a webhook’s address (a Slack one, say) is a
          secret of its own. Ask an editor or admin of this project.</p>
      </section>
    );
  }

  const change = (w: Webhook, patch: Parameters<typeof webhooksApi.update>[2]) => {
    setError(null);
    webhooksApi.update(project.key, w.id, patch).then(() => list.reload(), setError);
  };

  return (
    <section>
      <h1>Webhooks</h1>
      <p class="hint">Webhooks receive this project’s changes as they are committed, in order, signed with HMAC-SHA256
        (<code>X-Darklaunch-Signature</code>); a failed delivery is retried with backoff.</p>
      <div class="actions start"><button class="primary" onClick={() => setCreating(true)}>New webhook…</button></div>
      {secret && <SecretShown shown={secret} onDone={() => setSecret(null)} />}
      <ErrorMessage error={error ?? list.error} />
      {!list.data && list.loading && <Loading />}
      {list.data && list.data.length === 0 && <Empty>No webhooks yet.</Empty>}
      <ul class="webhooks">
        {list.data?.map((w) => (
          <li class={w.enabled ? 'webhook card' : 'webhook card disabled'} data-webhook={w.id}>
            <div class="title-row">
              <h2>{w.name}</h2>
              <span class={w.enabled ? 'badge on' : 'badge'}>{w.enabled ? 'enabled' : 'disabled'}</span>
              {w.failures > 0 && <span class="badge status-failed">{count(w.failures, 'failed attempt')}</span>}
            </div>
            <p class="meta"><code class="url">{w.url}</code> · {w.format === 'slack' ? 'Slack sentence' : 'JSON'} ·{' '}
              {w.events.map((k) => EVENT_LABELS[k] ?? k).join(', ')}</p>
            <p class="hint">Created {ago(w.createdAt)} by {w.createdBy}
              {w.failures > 0 && w.nextAttemptAt && <> · next attempt <time dateTime={w.nextAttemptAt}>{formatTime(w.nextAttemptAt)}</time></>}</p>
            <div class="actions start">
              <button onClick={() => change(w, { enabled: !w.enabled })}>{w.enabled ? 'Disable' : 'Enable'}</button>
              <button onClick={() => setRotating(w)}>Rotate secret…</button>
              <button aria-expanded={open === w.id} aria-controls={`deliveries-${w.id}`} onClick={() => setOpen(open === w.id ? null : w.id)}>
                {open === w.id ? 'Hide deliveries' : 'Deliveries'}</button>
              <button class="danger" onClick={() => setDeleting(w)}>Delete…</button>
            </div>
            {open === w.id && <Deliveries project={project.key} webhook={w} />}
          </li>
        ))}
      </ul>
      {creating && <Portal><CreateDialog onCancel={() => setCreating(false)} onSubmit={async (body) => {
        const created = await webhooksApi.create(project.key, body);
        setCreating(false);
        setSecret({ ...created, rotated: false });
        list.reload();
      }} /></Portal>}
      {rotating && (
        <ConfirmDialog title={`Make a new secret for “${rotating.name}”?`} confirmLabel="Rotate secret" danger onClose={(result) => {
          const w = rotating;
          setRotating(null);
          if (result) webhooksApi.rotateSecret(project.key, w.id).then((r) => setSecret({ ...r, rotated: true }), setError);
        }}><p>Deliveries are signed with the new secret from now on; the old one stops working at once.</p></ConfirmDialog>
      )}
      {deleting && (
        <ConfirmDialog title={`Delete the webhook “${deleting.name}”?`} confirmLabel="Delete" danger onClose={(result) => {
          const w = deleting;
          setDeleting(null);
          if (result) webhooksApi.remove(project.key, w.id).then(() => list.reload(), setError);
        }}><p>Nothing more is sent to <code>{deleting.url}</code>, and its delivery log is deleted.</p></ConfirmDialog>
      )}
    </section>
  );
}

function CreateDialog({ onSubmit, onCancel }: {
  onSubmit: (body: { name: string; url: string; events: WebhookEventKind[]; format: 'json' | 'slack'; comment?: string }) => Promise<void>;
  onCancel: () => void;
}) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventKind[]>([...WEBHOOK_EVENTS]);
  const [format, setFormat] = useState<'json' | 'slack'>('json');
  return (
    <FormDialog titleId="webhook-title" title="New webhook" submitLabel="Create webhook" withComment onCancel={onCancel}
      onSubmit={(comment) => onSubmit({ name: name.trim(), url: url.trim(), events, format, ...(comment ? { comment } : {}) })}>
      <label class="field">Name <input name="name" required maxLength={100} value={name} placeholder="#releases"
        onInput={(ev) => setName(ev.currentTarget.value)} /></label>
      <label class="field">URL <input name="url" type="url" required maxLength={2000} value={url} placeholder="https://hooks.slack.com/services/…"
        onInput={(ev) => setUrl(ev.currentTarget.value)} /></label>
      <fieldset class="plain" data-field="events">
        <legend>Events</legend>
        <div class="radios">
          {WEBHOOK_EVENTS.map((k) => (
            <label><input type="checkbox" name="events" value={k} checked={events.includes(k)}
              onChange={(ev) => setEvents(ev.currentTarget.checked ? [...events, k] : events.filter((x) => x !== k))} /> {EVENT_LABELS[k]}</label>
          ))}
        </div>
      </fieldset>
      <fieldset class="plain" data-field="format">
        <legend>Format</legend>
        <div class="radios">
          <label><input type="radio" name="format" value="json" checked={format === 'json'} onChange={() => setFormat('json')} /> JSON (the event, before and after)</label>
          <label><input type="radio" name="format" value="slack" checked={format === 'slack'} onChange={() => setFormat('slack')} /> Slack (a sentence)</label>
        </div>
      </fieldset>
    </FormDialog>
  );
}

/** The signing secret, shown this once, with a copy button. */
function SecretShown({ shown, onDone }: { shown: { webhook: Webhook; secret: string; rotated: boolean }; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="card secret" role="status">
      <h2>{shown.rotated ? `New secret for “${shown.webhook.name}”` : `Webhook “${shown.webhook.name}” created`}</h2>
      <p><strong>Store the signing secret now:</strong> it is shown this once and cannot be shown again. Receivers check
        each delivery’s signature with it.</p>
      <p><code class="secret-value" data-testid="webhook-secret">{shown.secret}</code></p>
      <button onClick={() => navigator.clipboard?.writeText(shown.secret).then(() => setCopied(true), () => {})}>{copied ? 'Copied' : 'Copy secret'}</button>
      <button onClick={onDone}>Done</button>
    </div>
  );
}

const PAGE = 20;

/** One webhook's attempts, newest first, a page at a time; any event can be sent again. */
function Deliveries({ project, webhook }: { project: string; webhook: Webhook }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const page = useLoad(() => webhooksApi.deliveries(project, webhook.id, { cursor, limit: PAGE }), [project, webhook.id, cursor]);
  const [sent, setSent] = useState<WebhookDelivery | null>(null);
  const [error, setError] = useState<unknown>(null);
  useLiveRefresh(() => page.reload());
  const redeliver = (d: WebhookDelivery) => {
    setError(null);
    setSent(null);
    webhooksApi.redeliver(project, webhook.id, d.event).then((r) => { setSent(r); page.reload(); }, setError);
  };
  return (
    <div class="deliveries" id={`deliveries-${webhook.id}`}>
      <h3>Delivery log</h3>
      <ErrorMessage error={error ?? page.error} />
      {sent && <p class="hint" role="status">Sent event {sent.event} again: {sent.succeeded ? `delivered (${sent.status})` : `failed — ${sent.error ?? sent.status}`}.</p>}
      {!page.data && page.loading && <Loading />}
      {page.data && page.data.items.length === 0 && <p class="hint">No attempts yet.</p>}
      {page.data && page.data.items.length > 0 && (
        <table class="list">
          <caption class="visually-hidden">Attempts to deliver to {webhook.name}, newest first</caption>
          <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Attempt</th><th scope="col">Outcome</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {page.data.items.map((d) => (
              <tr data-delivery={d.id} class={d.succeeded ? 'delivered' : 'failed'}>
                <td><time dateTime={d.at} title={formatTime(d.at)}>{ago(d.at)}</time></td>
                <td><code>{d.action}</code> <span class="hint">#{d.event}</span></td>
                <td>{d.attempt}{d.redelivery && ' (sent again)'}</td>
                <td class="outcome">{d.succeeded ? `delivered · ${d.status}` : `failed · ${d.error ?? d.status ?? 'no answer'}`}
                  <span class="hint"> · {d.durationMillis} ms</span></td>
                <td><button onClick={() => redeliver(d)} aria-label={`Redeliver event ${d.event}`}>Redeliver</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="actions start">
        <button onClick={() => page.reload()}>Refresh</button>
        {cursors.length > 1 && <button onClick={() => setCursors(cursors.slice(0, -1))}>Newer</button>}
        {page.data?.next && <button onClick={() => setCursors([...cursors, page.data!.next])}>Older</button>}
      </div>
    </div>
  );
}
