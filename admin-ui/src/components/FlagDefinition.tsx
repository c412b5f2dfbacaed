import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Flag, type FlagKind, type FlagWrite, type Json } from '../api';
import { ErrorMessage, showValue } from './common';

/** A variation value typed as text, read as the flag's kind. */
export function parseVariation(kind: FlagKind, text: string): Json {
  if (kind === 'string') return text;
  if (kind === 'number') {
    const n = Number(text);
    if (text.trim() === '' || !isFinite(n)) throw new Error(`“${text}” is not a number`);
    return n;
  }
  try { return JSON.parse(text); } catch { throw new Error(`“${text}” is not JSON`); }
}

const valueText = (kind: FlagKind, value: Json) => (kind === 'string' ? String(value) : JSON.stringify(value));

/** The body of PUT …/flags/{flag}: the definition as the API shows it, without the view's fields. */
export function writeOf(flag: Flag, change: Partial<FlagWrite> = {}): FlagWrite {
  return {
    key: flag.key, name: flag.name, kind: flag.kind, variations: flag.variations, tags: flag.tags, lifecycle: flag.lifecycle,
    // clientSide is sent only when true: absent means false (the server leaves it out then, too)
    archived: flag.archived, ...(flag.clientSide ? { clientSide: true } : {}),
    ...(flag.description ? { description: flag.description } : {}), ...(flag.owner ? { owner: flag.owner } : {}),
    ...change,
  };
}

interface VariationDraft { value: string; name: string; description: string; saved: boolean }

/**
 * Edits a flag's definition (name, description, tags, owner, lifecycle, variations) in a dialog.
 * Saved variations keep their place, since configurations refer to them by index: their values
 * and labels can change, new ones are added at the end. Sends If-Match, so a concurrent change
 * is a 412 with an offer to reload.
 */
export function EditFlagDialog({ project, flag, onClose, onReload }: {
  project: string; flag: Flag; onClose: (saved: Flag | null) => void; onReload: () => Promise<Flag>;
}) {
  const fromFlag = (f: Flag) => ({
    name: f.name, description: f.description ?? '', tags: f.tags.join(' '), owner: f.owner ?? '', lifecycle: f.lifecycle,
    variations: f.variations.map((v) => ({ value: valueText(f.kind, v.value), name: v.name ?? '', description: v.description ?? '', saved: true })),
  });
  const [base, setBase] = useState(flag);
  const [draft, setDraft] = useState(fromFlag(flag));
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => { ref.current?.showModal(); }, []);
  const boolean = flag.kind === 'boolean';
  const setVariation = (i: number, change: Partial<VariationDraft>) =>
    setDraft({ ...draft, variations: draft.variations.map((v, j) => (j === i ? { ...v, ...change } : v)) });

  const reload = async () => {
    setError(null);
    try {
      const fresh = await onReload();
      setBase(fresh);
      setDraft(fromFlag(fresh));
    } catch (e) { setError(e); }
  };

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    let body: FlagWrite;
    try {
      body = writeOf(base, {
        name: draft.name.trim(), tags: draft.tags.split(/[\s,]+/).filter(Boolean), lifecycle: draft.lifecycle,
        variations: draft.variations.map((v, i) => ({
          value: boolean ? base.variations[i].value : parseVariation(base.kind, v.value),
          ...(v.name.trim() ? { name: v.name.trim() } : {}),
          ...(v.description.trim() ? { description: v.description.trim() } : {}),
        })),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      delete body.description;
      delete body.owner;
      if (draft.description.trim()) body.description = draft.description.trim();
      if (draft.owner.trim()) body.owner = draft.owner.trim();
    } catch (e) { setError(e); return; }
    setBusy(true);
    try {
      onClose(await api.updateFlag(project, base.key, body, base.version));
    } catch (e) { setError(e); } finally { setBusy(false); }
  };

  return (
    <dialog ref={ref} class="dialog wide" aria-labelledby="edit-flag-title" onCancel={(ev) => { ev.preventDefault(); onClose(null); }}>
      <form onSubmit={submit}>
        <h2 id="edit-flag-title">Edit “{base.name}”</h2>
        <p class="hint">Key <code>{base.key}</code> and kind {base.kind} do not change.</p>
        <label class="field">Name
          <input name="name" required maxLength={200} value={draft.name} onInput={(ev) => setDraft({ ...draft, name: ev.currentTarget.value })} />
        </label>
        <label class="field">Description
          <textarea name="description" rows={2} maxLength={2000} value={draft.description}
            onInput={(ev) => setDraft({ ...draft, description: ev.currentTarget.value })} />
        </label>
        <div class="row">
          <label class="field grow">Tags <small>(separated by spaces or commas)</small>
            <input name="tags" value={draft.tags} onInput={(ev) => setDraft({ ...draft, tags: ev.currentTarget.value })} />
          </label>
          <label class="field grow">Owner <small>(a person or team)</small>
            <input name="owner" maxLength={200} value={draft.owner} onInput={(ev) => setDraft({ ...draft, owner: ev.currentTarget.value })} />
          </label>
        </div>
        <fieldset>
          <legend>Lifecycle</legend>
          <div class="radios">
            <label><input type="radio" name="lifecycle" value="temporary" checked={draft.lifecycle === 'temporary'}
              onChange={() => setDraft({ ...draft, lifecycle: 'temporary' })} /> temporary: remove it once the feature is released</label>
            <label><input type="radio" name="lifecycle" value="permanent" checked={draft.lifecycle === 'permanent'}
              onChange={() => setDraft({ ...draft, lifecycle: 'permanent' })} /> permanent: an operational switch that stays</label>
          </div>
        </fieldset>
        <fieldset>
          <legend>Variations {boolean ? '(a boolean flag serves true or false: give them names if you like)' : '(configurations refer to them by number)'}</legend>
          <ol class="variation-rows" start={0}>
            {draft.variations.map((v, i) => (
              <li class="row" data-variation={i}>
                <label class="field">Value #{i}
                  {boolean ? <input value={showValue(base.variations[i].value)} readOnly />
                    : <input name={`variation-${i}-value`} required value={v.value} onInput={(ev) => setVariation(i, { value: ev.currentTarget.value })} />}
                </label>
                <label class="field">Name of #{i}
                  <input name={`variation-${i}-name`} maxLength={200} value={v.name} onInput={(ev) => setVariation(i, { name: ev.currentTarget.value })} />
                </label>
                <label class="field grow">Description of #{i}
                  <input name={`variation-${i}-description`} maxLength={2000} value={v.description}
                    onInput={(ev) => setVariation(i, { description: ev.currentTarget.value })} />
                </label>
                {!v.saved && <button type="button" class="link" aria-label={`Remove new variation #${i}`}
                  onClick={() => setDraft({ ...draft, variations: draft.variations.filter((_, j) => j !== i) })}>Remove</button>}
              </li>
            ))}
          </ol>
          {!boolean && draft.variations.length < 100 && (
            <button type="button" onClick={() => setDraft({ ...draft, variations: [...draft.variations, { value: '', name: '', description: '', saved: false }] })}>
              Add variation</button>
          )}
        </fieldset>
        <label class="field">Comment for the audit log (optional)
          <input name="comment" maxLength={2000} value={comment} onInput={(ev) => setComment(ev.currentTarget.value)} />
        </label>
        <ErrorMessage error={error} onReload={reload} />
        <div class="actions">
          <button type="button" onClick={() => onClose(null)}>Cancel</button>
          <button type="submit" class="primary" disabled={busy}>Save definition</button>
        </div>
      </form>
    </dialog>
  );
}
