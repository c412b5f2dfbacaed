import { useState } from 'preact/hooks';
import { api, type Environment } from '../api';
import { ConfirmDialog } from './dialogs';

/**
 * The on/off switch of a flag in one environment. In production environments it asks first (with
 * an optional comment for the audit log; the dialog is rendered outside any table the switch
 * stands in); elsewhere it switches at once. While a change is under way the switch ignores
 * clicks but stays enabled, so the keyboard focus the dialog gives back to it stays there.
 */
export function Toggle({ project, flagKey, flagName, env, on, disabled, onChanged, onError }: {
  project: string; flagKey: string; flagName: string; env: Environment; on: boolean; disabled: boolean;
  onChanged: (on: boolean) => void; onError: (e: unknown) => void;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const change = async (comment?: string) => {
    setBusy(true);
    try {
      await api.toggle(project, flagKey, env.key, !on, comment);
      onChanged(!on);
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" role="switch" aria-checked={on} class={on ? 'switch on' : 'switch'}
        aria-label={`${flagName} in ${env.name}`} disabled={disabled} aria-busy={busy}
        title={disabled ? undefined : `Turn ${on ? 'off' : 'on'} in ${env.name}`}
        onClick={() => { if (busy) return; if (env.production) setAsking(true); else change(); }}>
        <span class="knob" aria-hidden="true"></span><span class="switch-text">{on ? 'On' : 'Off'}</span>
      </button>
      {asking && (
        <ConfirmDialog title={`Turn ${on ? 'off' : 'on'} in ${env.name}?`} confirmLabel={on ? 'Turn off' : 'Turn on'}
          danger={on} withComment onClose={(result) => { setAsking(false); if (result) change(result.comment || undefined); }}>
          <p>“{flagName}” will be turned <strong>{on ? 'off' : 'on'}</strong> in {env.name}, a production environment.
            Connected SDKs get the change over their stream within milliseconds.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
