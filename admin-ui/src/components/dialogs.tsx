import { render, type ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorMessage } from './common';

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
  }, [host]);
  useLayoutEffect(() => { render(<>{children}</>, host); });
  return null;
}

/**
 * A form in a modal dialog: the browser's own <dialog> in the top layer (focus stays inside,
 * Escape cancels, closing gives the focus back to what opened it), a title that names it, the
 * fields, an optional comment for the audit log, what went wrong, and Cancel and confirm buttons.
 *
 * `onSubmit` gets the comment. While the promise it returns is pending, the confirm button is
 * disabled (no second request from a double click); what it throws is shown above the buttons,
 * a 412 with `onReload` as an offer to load the current version.
 */
export function FormDialog({ titleId, title, submitLabel, danger, wide, withComment, commentName, onSubmit, onCancel, onReload, children }: {
  /** id of the heading, which labels the dialog */
  titleId: string; title: ComponentChildren; submitLabel: string; danger?: boolean; wide?: boolean;
  withComment?: boolean; commentName?: string;
  onSubmit: (comment: string) => void | Promise<void>; onCancel: () => void; onReload?: () => Promise<void>;
  children?: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    return () => { if (dialog.open) dialog.close(); };
  }, []);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    try {
      const pending = onSubmit(comment);
      if (pending) {
        setBusy(true);
        await pending;
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const reload = onReload && (async () => {
    setError(null);
    try { await onReload(); } catch (e) { setError(e); }
  });

  return (
    <dialog ref={ref} class={wide ? 'dialog wide' : 'dialog'} aria-labelledby={titleId} onCancel={(ev) => { ev.preventDefault(); onCancel(); }}>
      <form onSubmit={submit}>
        <h2 id={titleId}>{title}</h2>
        {children}
        {withComment && (
          <label class="field">Comment for the audit log (optional)
            <input name={commentName} value={comment} maxLength={2000} onInput={(ev) => setComment(ev.currentTarget.value)} />
          </label>
        )}
        <ErrorMessage error={error} onReload={reload} />
        <div class="actions">
          <button type="button" onClick={onCancel}>Cancel</button>
          <button type="submit" class={danger ? 'danger' : 'primary'} disabled={busy}>{submitLabel}</button>
        </div>
      </form>
    </dialog>
  );
}

/**
 * Asks before a change, in a form dialog rendered at the end of the body (see Portal). Resolves
 * with the comment typed in, or null when cancelled; it closes at once either way (the caller
 * makes the change and shows its outcome), so it is never busy.
 */
export function ConfirmDialog({ title, children, confirmLabel, danger, withComment, onClose }: {
  title: string; children?: ComponentChildren; confirmLabel: string; danger?: boolean; withComment?: boolean;
  onClose: (result: { comment: string } | null) => void;
}) {
  return (
    <Portal>
      <FormDialog titleId="dialog-title" title={title} submitLabel={confirmLabel} danger={danger} withComment={withComment}
        onSubmit={(comment) => { onClose({ comment }); }} onCancel={() => onClose(null)}>
        {children}
      </FormDialog>
    </Portal>
  );
}
