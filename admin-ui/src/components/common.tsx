import { render, type ComponentChildren } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../api';
import { count } from '../plural';

/** Loads data when deps change; `reload` loads again keeping the old data visible meanwhile. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: unknown; loading: boolean; reload: () => void; setData: (t: T) => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => { if (mine === generation.current) setState({ data, loading: false }); },
      (error) => { if (mine === generation.current) setState((s) => ({ data: s.data, error, loading: false })); },
    );
  }, deps);
  useEffect(run, [run]);
  return { data: state.data, error: state.error, loading: state.loading, reload: run, setData: (data: T) => setState({ data, loading: false }) };
}

/**
 * An error, as the server said it. A 412 (someone changed the thing since it was read) says so in
 * plain words and, given onReload, offers to load the current version.
 */
export function ErrorMessage({ error, onReload }: { error: unknown; onReload?: () => void }) {
  if (!error) return null;
  if (error instanceof ApiError && error.status === 412) {
    return (
      <div class="error stale-version" role="alert">
        <p>Someone else changed this since you opened it, so your change was not saved.
          {onReload ? ' Reload to see the current version, then make your change again.' : ' Reload the page, then make your change again.'}</p>
        {onReload && <button type="button" onClick={onReload}>Reload</button>}
      </div>
    );
  }
  return <p class="error" role="alert">{messageOf(error)}</p>;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export function Loading() {
  return <p class="loading" aria-live="polite">Loading…</p>;
}

/**
 * Renders its children at the end of <body> instead of where it stands, so what it shows inherits
 * nothing from a table cell or a form around it (a dialog opened from a switch in a table would
 * take the cell's `white-space: nowrap`; a dialog's form must not nest in a page's form, whose
 * submit its own would reach). Preact's createPortal lives in preact/compat, which would also
 * turn on React-compatible event handling for the whole app; rendering into a host element of
 * our own is all a portal needs here. Context does not cross it: give the children props.
 */
export function Portal({ children }: { children: ComponentChildren }) {
  const host = useMemo(() => document.createElement('div'), []);
  useLayoutEffect(() => {
    document.body.append(host);
    return () => { render(null, host); host.remove(); };
  }, []);
  useLayoutEffect(() => { render(<>{children}</>, host); });
  return null;
}

/**
 * A modal dialog (the browser's own <dialog> in the top layer, rendered at the end of the body:
 * focus stays inside, Escape cancels, closing gives the focus back). Resolves with the comment
 * typed in, or null when cancelled.
 */
export function ConfirmDialog({ title, children, confirmLabel, danger, withComment, onClose }: {
  title: string; children?: ComponentChildren; confirmLabel: string; danger?: boolean; withComment?: boolean;
  onClose: (result: { comment: string } | null) => void;
}) {
  return (
    <Portal>
      <ConfirmDialogBody title={title} confirmLabel={confirmLabel} danger={danger} withComment={withComment} onClose={onClose}>
        {children}
      </ConfirmDialogBody>
    </Portal>
  );
}

function ConfirmDialogBody({ title, children, confirmLabel, danger, withComment, onClose }: {
  title: string; children?: ComponentChildren; confirmLabel: string; danger?: boolean; withComment?: boolean;
  onClose: (result: { comment: string } | null) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [comment, setComment] = useState('');
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    return () => { if (dialog.open) dialog.close(); };
  }, []);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="dialog-title" onCancel={(ev) => { ev.preventDefault(); onClose(null); }}>
      <form method="dialog" onSubmit={(ev) => { ev.preventDefault(); onClose({ comment }); }}>
        <h2 id="dialog-title">{title}</h2>
        {children}
        {withComment && (
          <label class="field">Comment for the audit log (optional)
            <input value={comment} onInput={(ev) => setComment(ev.currentTarget.value)} maxLength={2000} />
          </label>
        )}
        <div class="actions">
          <button type="button" onClick={() => onClose(null)}>Cancel</button>
          <button type="submit" class={danger ? 'danger' : 'primary'}>{confirmLabel}</button>
        </div>
      </form>
    </dialog>
  );
}

export function formatTime(iso?: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** "3 min ago", "2 days ago". */
export function ago(iso?: string | null): string {
  if (!iso) return 'never';
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${count(Math.round(hours / 24), 'day')} ago`;
}

/** Shows any JSON value as short text (never as markup). */
export function showValue(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
}
