import { render, type ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorMessage } from './common';
import { ApiError } from '../api';

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
 * a 412 with `onReload` as an offer to load the current version. An answer that names a `field`
 * the dialog has (by `name` or `data-field`, see {@link fieldFor}) marks that field instead: it
 * is outlined, `aria-invalid`, focused, and the server's message stands beside it as its
 * description, until it is edited or the form is sent again.
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
  const marked = useFieldError(ref, `${titleId}-field-error`);
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    return () => { if (dialog.open) dialog.close(); };
  }, []);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    marked.clear();
    try {
      const pending = onSubmit(comment);
      if (pending) {
        setBusy(true);
        await pending;
      }
    } catch (e) {
      if (!marked.mark(e)) setError(e);
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

/**
 * The control that a server's `field` (such as `key`, `tags[0]` or `variations[1].value`) names in
 * a form: the one with that `name` or `data-field`; else the same path with dashes
 * (`variation-1-value`); else its first part (`tags`).
 */
export function fieldFor(form: ParentNode, field: string): HTMLElement | null {
  const dashed = field.replace(/s?\[(\d+)\]\.?/g, '-$1-').replace(/-$/, '');
  for (const name of [field, dashed, field.split(/[.[]/)[0]]) {
    const found = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(name)}"], [name="${CSS.escape(name)}"]`);
    if (found) return found;
  }
  return null;
}

/**
 * Marks the field a refused answer names. The message is a node of its own placed after the
 * field's label (outside it, so it is not part of the field's name), kept there after every
 * render, since the dialog's children belong to its users: they only give their fields names.
 */
function useFieldError(dialog: { current: HTMLDialogElement | null }, id: string) {
  const state = useRef<{ field: HTMLElement; message: HTMLElement; describedBy: string | null; onInput: () => void } | null>(null);
  const clear = () => {
    const s = state.current;
    if (!s) return;
    state.current = null;
    s.message.remove();
    s.field.removeAttribute('aria-invalid');
    if (s.describedBy === null) s.field.removeAttribute('aria-describedby');
    else s.field.setAttribute('aria-describedby', s.describedBy);
    s.field.removeEventListener('input', s.onInput);
    s.field.removeEventListener('change', s.onInput);
  };
  const place = () => {
    const s = state.current;
    if (!s) return;
    const anchor = s.field.closest('label') ?? s.field;
    if (anchor.nextSibling !== s.message) anchor.after(s.message);
  };
  const mark = (error: unknown): boolean => {
    const form = dialog.current?.querySelector('form');
    if (!(error instanceof ApiError) || !error.field || !form) return false;
    const field = fieldFor(form, error.field);
    if (!field) return false;
    const message = document.createElement('p');
    message.id = id;
    message.className = 'field-error';
    message.textContent = error.message;
    const describedBy = field.getAttribute('aria-describedby');
    state.current = { field, message, describedBy, onInput: clear };
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', describedBy ? `${describedBy} ${id}` : id);
    field.addEventListener('input', clear);
    field.addEventListener('change', clear);
    place();
    field.focus();
    return true;
  };
  useLayoutEffect(place);
  useEffect(() => clear, []);
  return { mark, clear };
}
