import { useState } from 'preact/hooks';
import { api, type Flag } from '../api';
import { writeOf } from '../flag';

/**
 * Whether web pages may evaluate the flag with a client token (its definition's `clientSide`).
 * A change saves at once, with If-Match like any definition change, so a concurrent edit is a
 * 412 the page explains.
 */
export function ClientSide({ project, flag, disabled, onSaved, onError }: {
  project: string; flag: Flag; disabled: boolean; onSaved: (saved: Flag, notice: string) => void; onError: (error: unknown) => void;
}) {
  // while a change is saved, the box shows it; a failed save puts it back
  const [saving, setSaving] = useState<boolean | null>(null);
  const change = async (clientSide: boolean) => {
    setSaving(clientSide);
    onError(null);
    try {
      const saved = await api.updateFlag(project, flag.key, writeOf(flag, { clientSide }), flag.version);
      onSaved(saved, clientSide ? 'Web pages with a client token can evaluate this flag now.'
        : 'Client tokens can no longer evaluate this flag.');
    } catch (e) { onError(e); } finally { setSaving(null); }
  };
  const busy = saving !== null;
  return (
    <p class="client-side">
      <label><input type="checkbox" name="clientSide" checked={saving ?? !!flag.clientSide} disabled={disabled || busy} aria-busy={busy}
        aria-describedby="client-side-hint" onChange={(ev) => change(ev.currentTarget.checked)} /> Client-side</label>{' '}
      <span class="hint" id="client-side-hint">Web pages with a client token may evaluate this flag: they get its value for
        their user, never its rules. Leave it off for flags only servers should read.</span>
    </p>
  );
}
