import { useState } from 'preact/hooks';
import { api, ApiError, type Session } from '../api';
import { ErrorMessage } from '../components/common';

const MIN_LENGTH = 12;

/** The signed-in user's own account: who they are, and changing their password. */
export function AccountPage({ session }: { session: Session }) {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [wrongCurrent, setWrongCurrent] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    setWrongCurrent(null);
    setDone(false);
    if (password !== repeat) { setError(new Error('The new password and its repetition differ.')); return; }
    setBusy(true);
    try {
      await api.changeOwnPassword(current, password);
      setCurrent(''); setPassword(''); setRepeat('');
      setDone(true);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400 && e.field === 'currentPassword') setWrongCurrent('That is not your current password.');
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>Your account</h1>
      <p class="meta">Signed in as <strong>{session.user.email}</strong> with role <strong>{session.user.role}</strong>.</p>
      <form class="card narrow-form" onSubmit={submit} aria-labelledby="password-title">
        <h2 id="password-title">Change your password</h2>
        <label class="field">Current password
          <input name="currentPassword" type="password" required autoComplete="current-password" value={current}
            aria-invalid={wrongCurrent ? 'true' : undefined} aria-describedby={wrongCurrent ? 'current-error' : undefined}
            onInput={(ev) => { setWrongCurrent(null); setCurrent(ev.currentTarget.value); }} />
        </label>
        {wrongCurrent && <p id="current-error" class="error" role="alert">{wrongCurrent}</p>}
        <label class="field">New password <small>(at least {MIN_LENGTH} characters)</small>
          <input name="password" type="password" required minLength={MIN_LENGTH} maxLength={256} autoComplete="new-password"
            value={password} onInput={(ev) => setPassword(ev.currentTarget.value)} />
        </label>
        <label class="field">Repeat the new password
          <input name="repeat" type="password" required minLength={MIN_LENGTH} maxLength={256} autoComplete="new-password"
            value={repeat} onInput={(ev) => setRepeat(ev.currentTarget.value)} />
        </label>
        <p class="hint">Your other sessions (other browsers and devices) end; this one stays signed in.</p>
        <ErrorMessage error={error} />
        <div class="actions start">
          <button type="submit" class="primary" disabled={busy}>Change password</button>
        </div>
        {done && <p class="notice" role="status">Your password was changed. Your other sessions have ended.</p>}
      </form>
    </section>
  );
}
