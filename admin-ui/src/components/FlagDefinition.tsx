import { useState } from 'preact/hooks';
import { api, type Flag, type FlagWrite } from '../api';
import { parseVariation, variationText, writeOf } from '../flag';
import { showValue } from '../format';
import { FormDialog } from './dialogs';

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
    variations: f.variations.map((v) => ({ value: variationText(f.kind, v.value), name: v.name ?? '', description: v.description ?? '', saved: true })),
  });
  const [base, setBase] = useState(flag);
  const [draft, setDraft] = useState(fromFlag(flag));
  const boolean = flag.kind === 'boolean';
  const setVariation = (i: number, change: Partial<VariationDraft>) =>
    setDraft({ ...draft, variations: draft.variations.map((v, j) => (j === i ? { ...v, ...change } : v)) });

  const reload = async () => {
    const fresh = await onReload();
    setBase(fresh);
    setDraft(fromFlag(fresh));
  };

  const submit = async (comment: string) => {
    const body: FlagWrite = writeOf(base, {
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
    onClose(await api.updateFlag(project, base.key, body, base.version));
  };

  return (
    <FormDialog titleId="edit-flag-title" title={<>Edit “{base.name}”</>} submitLabel="Save definition" wide withComment commentName="comment"
      onSubmit={submit} onCancel={() => onClose(null)} onReload={reload}>
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
    </FormDialog>
  );
}
